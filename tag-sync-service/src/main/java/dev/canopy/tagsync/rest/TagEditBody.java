package dev.canopy.tagsync.rest;

import java.util.Map;

/**
 * Body of {@code PATCH /resources/{id}/tags}.
 *
 * @param operation {@code merge}, {@code replace} or {@code delete} (ARM's Tags PATCH semantics)
 * @param tags the tags; for delete the names, each with an empty value (any value) or the value to match
 */
public record TagEditBody(String operation, Map<String, String> tags) {
}

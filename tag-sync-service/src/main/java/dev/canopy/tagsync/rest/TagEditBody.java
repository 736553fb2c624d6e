package dev.canopy.tagsync.rest;

import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Body of {@code PATCH /resources/{id}/tags}.
 *
 * @param operation {@code merge}, {@code replace} or {@code delete} (ARM's Tags PATCH semantics)
 * @param tags the tags, values as sent (one that is not a string is refused, not coerced); for delete the names,
 *     each with an empty value (any value) or the value to match
 */
public record TagEditBody(String operation, @Schema(description = "tag names to values; every value a string",
        additionalProperties = String.class) Map<String, JsonNode> tags) {
}

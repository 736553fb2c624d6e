package dev.canopy.tagsync.rest;

import java.util.List;
import java.util.Map;

/**
 * Body of {@code POST /tag-edits/bulk} and {@code POST /tag-edits/preview}: one edit over many resources.
 *
 * @param operation {@code merge}, {@code replace} or {@code delete}
 * @param tags the tags of the edit
 * @param resourceIds ARM ids of the resources (bulk: at most 10,000)
 */
public record MultiResourceEditBody(String operation, Map<String, String> tags, List<String> resourceIds) {
}

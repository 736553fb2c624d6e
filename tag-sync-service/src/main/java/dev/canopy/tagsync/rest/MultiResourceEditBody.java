package dev.canopy.tagsync.rest;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Body of {@code POST /tag-edits/bulk} and {@code POST /tag-edits/preview}: one edit over many resources.
 *
 * @param operation {@code merge}, {@code replace} or {@code delete}
 * @param tags the tags of the edit; values as sent, so that one that is not a string is refused, not coerced
 * @param resourceIds ARM ids of the resources (bulk: at most 10,000)
 */
public record MultiResourceEditBody(String operation, @Schema(description = "tag names to values; every value a string",
        additionalProperties = String.class) Map<String, JsonNode> tags, List<String> resourceIds) {
}

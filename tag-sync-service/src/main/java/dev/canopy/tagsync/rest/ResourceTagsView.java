package dev.canopy.tagsync.rest;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.canopy.events.TagDrift;

/**
 * What Canopy knows of one resource's tags: Azure's as last collected, Canopy's platform tags (kept under
 * READ_TAGS_ONLY), the edits not decided yet, and the drift found against tags Canopy wrote.
 */
public record ResourceTagsView(String resourceId, Map<String, String> azureTags, Instant azureTagsObservedAt,
        Map<String, String> platformTags, List<TagEditView> pendingEdits, List<TagDrift> drift) {
}

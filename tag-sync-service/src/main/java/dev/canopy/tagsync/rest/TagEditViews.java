package dev.canopy.tagsync.rest;

import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.canopy.events.TagDrift;
import dev.canopy.tagsync.repository.TagEdit;

/** Turns stored edits into the API's audit-trail view. */
final class TagEditViews {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TagEditViews() {
    }

    static TagEditView of(TagEdit e, List<TagDrift> drift) {
        return new TagEditView(e.editId, e.batchId, e.tenantId, e.subscriptionId, e.resourceId, e.displayResourceId,
                e.operation, e.tags, e.requestedBy, e.requestedAt, e.state, e.outcome, e.policySeen, e.reason,
                request(e.azureRequest), e.azureTags, e.sentAt, e.decidedAt, e.attempts, drift);
    }

    static String location(java.util.UUID editId) {
        return "/tag-edits/" + editId;
    }

    private static JsonNode request(String json) {
        if (json == null) {
            return null;
        }
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored Tags API request is not JSON", e);
        }
    }
}

package dev.canopy.tagsync.rest;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import dev.canopy.events.TagDrift;
import dev.canopy.events.TagEditOutcome.Outcome;
import dev.canopy.events.azure.TagOperation;
import dev.canopy.events.policy.SyncPolicy;
import dev.canopy.tagsync.repository.EditState;

/**
 * One edit's audit trail: who asked for what and when, the policy it was decided with, what was sent to Azure and
 * what Azure held afterwards, the outcome, and drift reported since.
 */
public record TagEditView(UUID editId, UUID batchId, String tenantId, String subscriptionId, String resourceId,
        String displayResourceId, TagOperation operation, Map<String, String> tags, String requestedBy,
        Instant requestedAt, EditState state, Outcome outcome, SyncPolicy policySeen, String reason,
        JsonNode azureRequest, Map<String, String> azureTags, Instant sentAt, Instant decidedAt, int attempts,
        List<TagDrift> drift) {
}

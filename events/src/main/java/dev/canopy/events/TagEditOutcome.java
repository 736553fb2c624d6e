package dev.canopy.events;

import dev.canopy.events.policy.SyncPolicy;
import dev.canopy.events.topic.EventType;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What became of one {@link TagEditRequested}: written, kept in Canopy, rejected, failed or unknown.
 *
 * @param eventId unique id of this event
 * @param occurredAt when the outcome was decided
 * @param editId the edit this answers
 * @param batchId the bulk request of the edit, or {@code null} for a single edit
 * @param tenantId the customer's Entra tenant id, lower-cased
 * @param subscriptionId the subscription holding the resource, lower-cased
 * @param resourceId the normalized (lower-case) ARM id — the Kafka key
 * @param outcome what happened
 * @param policySeen the sync policy tag-sync decided with, or {@code null} if it had seen none (then nothing is written)
 * @param reason a human explanation (Azure's error code and message, the violated tag rules), or {@code null}
 * @param azureTags the tags Azure holds after the operation as ARM returned them, or {@code null} if unknown
 * @param drift the tags on which Azure and Canopy disagree; required and non-empty for {@link Outcome#DRIFT_DETECTED}, else {@code null} or a note
 */
public record TagEditOutcome(
        UUID eventId,
        Instant occurredAt,
        UUID editId,
        UUID batchId,
        String tenantId,
        String subscriptionId,
        String resourceId,
        Outcome outcome,
        SyncPolicy policySeen,
        String reason,
        Map<String, String> azureTags,
        List<TagDrift> drift) implements CanopyEvent {

    /** The possible ends of a tag edit. */
    public enum Outcome {
        /** Written to Azure (policy {@code READ_WRITE_TAGS}). */
        APPLIED,
        /** Stored in Canopy only (policy {@code READ_TAGS_ONLY}). */
        KEPT_IN_PLATFORM,
        /** The policy forbids edits, or no policy was seen. */
        REJECTED_BY_POLICY,
        /** The resulting tag set breaks Azure's tag rules; nothing was sent. */
        REJECTED_BY_AZURE_RULES,
        /** Azure refused Canopy's principal (403). */
        FAILED_PERMISSION,
        /** Azure or the network failed for good. */
        FAILED,
        /** The request may or may not have reached Azure (e.g. a timeout); to be reconciled from the next tag snapshot. */
        UNKNOWN,
        /** Azure's tags differ from what Canopy expected; see {@code drift}. */
        DRIFT_DETECTED
    }

    /** Validates and normalizes the fields. */
    public TagEditOutcome {
        Checks.envelope(eventId, occurredAt);
        Checks.required(editId, "editId");
        tenantId = Checks.azureId(tenantId, "tenantId");
        subscriptionId = Checks.azureId(subscriptionId, "subscriptionId");
        resourceId = Checks.armId(resourceId, "resourceId", subscriptionId).key();
        Checks.required(outcome, "outcome");
        azureTags = Checks.optionalTags(azureTags, "azureTags");
        drift = Checks.optionalList(drift, "drift");
        if (outcome == Outcome.DRIFT_DETECTED && (drift == null || drift.isEmpty())) {
            throw new IllegalArgumentException("drift must list the drifted tags when outcome is DRIFT_DETECTED");
        }
    }

    @Override
    public String kafkaKey() {
        return resourceId;
    }

    @Override
    public EventType type() {
        return EventType.TAG_EDIT_OUTCOME;
    }
}

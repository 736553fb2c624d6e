package dev.canopy.events;

import dev.canopy.events.azure.ArmResourceId;
import dev.canopy.events.topic.EventType;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * The tags Azure holds on one resource, resource group or subscription; published only when they changed,
 * tombstoned when the resource vanished or the policy stopped tag collection.
 *
 * @param eventId unique id of this event
 * @param occurredAt when the snapshot was published
 * @param tenantId the customer's Entra tenant id, lower-cased
 * @param subscriptionId the subscription holding the resource, lower-cased
 * @param resourceId the normalized (lower-case) ARM id — the Kafka key and the join key
 * @param displayId the ARM id in Azure's casing, for display
 * @param tags the tags exactly as Azure returns them, names in Azure's casing, in Azure's order; empty if none
 * @param fingerprint hash of the tags; the collector publishes only when it changes
 * @param collectionRunId the collection run that observed these tags
 * @param observedAt when Azure returned these tags
 */
public record TagSnapshot(
        UUID eventId,
        Instant occurredAt,
        String tenantId,
        String subscriptionId,
        String resourceId,
        String displayId,
        Map<String, String> tags,
        String fingerprint,
        UUID collectionRunId,
        Instant observedAt) implements CanopyEvent {

    /** Validates and normalizes the fields; the ids must name the same resource in this subscription. */
    public TagSnapshot {
        Checks.envelope(eventId, occurredAt);
        tenantId = Checks.azureId(tenantId, "tenantId");
        subscriptionId = Checks.azureId(subscriptionId, "subscriptionId");
        ArmResourceId id = Checks.armId(displayId, "displayId", subscriptionId);
        resourceId = Checks.sameResource(resourceId, id, "resourceId");
        displayId = id.displayId();
        tags = Checks.tags(tags, "tags");
        fingerprint = Checks.text(fingerprint, "fingerprint");
        Checks.required(collectionRunId, "collectionRunId");
        Checks.required(observedAt, "observedAt");
    }

    @Override
    public String kafkaKey() {
        return resourceId;
    }

    @Override
    public EventType type() {
        return EventType.TAG_SNAPSHOT;
    }
}

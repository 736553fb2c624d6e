package dev.canopy.events;

import dev.canopy.events.azure.ArmResourceId;
import dev.canopy.events.topic.EventType;

import java.time.Instant;
import java.util.UUID;

/**
 * A resource or resource group left Canopy's picture: it vanished from Azure, the policy stopped resource collection,
 * or the tenant was offboarded. Published on {@code canopy.resources} under the resource's key right before the
 * tombstone, so a live consumer learns why; compaction later removes both.
 *
 * @param eventId unique id of this event
 * @param occurredAt when the collector decided the resource is gone
 * @param tenantId the customer's Entra tenant id, lower-cased
 * @param subscriptionId the subscription that held the resource, lower-cased
 * @param resourceId the normalized (lower-case) ARM id — the Kafka key
 * @param displayId the ARM id in Azure's casing, as last seen
 * @param reason why it left the picture
 * @param collectionRunId the collection run that found it gone; {@code null} for a policy change or offboarding
 */
public record ResourceDeleted(
        UUID eventId,
        Instant occurredAt,
        String tenantId,
        String subscriptionId,
        String resourceId,
        String displayId,
        Reason reason,
        UUID collectionRunId) implements CanopyEvent {

    /** Why a resource left Canopy's picture. */
    public enum Reason {
        /** A complete listing no longer contains it: it was deleted or moved out of the subscription. */
        VANISHED,
        /** The subscription's policy stopped resource collection (NO_RESOURCES). */
        POLICY,
        /** The tenant was offboarded. */
        OFFBOARDED
    }

    /** Validates and normalizes the fields; the ids must name the same resource in this subscription. */
    public ResourceDeleted {
        Checks.envelope(eventId, occurredAt);
        tenantId = Checks.azureId(tenantId, "tenantId");
        subscriptionId = Checks.azureId(subscriptionId, "subscriptionId");
        ArmResourceId id = Checks.armId(displayId, "displayId", subscriptionId);
        resourceId = Checks.sameResource(resourceId, id, "resourceId");
        displayId = id.displayId();
        Checks.required(reason, "reason");
    }

    @Override
    public String kafkaKey() {
        return resourceId;
    }

    @Override
    public EventType type() {
        return EventType.RESOURCE_DELETED;
    }
}

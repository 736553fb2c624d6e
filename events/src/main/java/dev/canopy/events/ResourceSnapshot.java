package dev.canopy.events;

import dev.canopy.events.azure.ArmResourceId;
import dev.canopy.events.topic.EventType;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * The latest collected state of one resource or resource group (without its tags, see {@link TagSnapshot});
 * published only when its fingerprint changed, tombstoned when it vanished.
 *
 * @param eventId unique id of this event
 * @param occurredAt when the snapshot was published
 * @param tenantId the customer's Entra tenant id, lower-cased
 * @param subscriptionId the subscription holding the resource, lower-cased
 * @param resourceId the normalized (lower-case) ARM id — the Kafka key and the join key
 * @param displayId the ARM id in Azure's casing, for display
 * @param kind whether this is a resource or a resource group; matches the id's shape
 * @param name the resource (or group) name as Azure returns it
 * @param resourceType the full ARM type, e.g. {@code Microsoft.Network/virtualNetworks/subnets}; named
 *     {@code resourceType}, not {@code type}, because {@link CanopyEvent#type()} is the event type
 * @param location the Azure region, e.g. {@code westeurope}, or {@code global}
 * @param resourceGroup the resource group name as Azure spells it; {@code null} only for a subscription-level resource
 * @param sku the SKU name ({@code sku.name}), or {@code null} if the resource has none
 * @param managedBy the id of the resource managing this one (e.g. a Databricks workspace for its managed group), or {@code null}
 * @param fingerprint hash of the collected content; the collector publishes only when it changes
 * @param collectionRunId the collection run that observed this state
 * @param observedAt when Azure returned this state
 */
public record ResourceSnapshot(
        UUID eventId,
        Instant occurredAt,
        String tenantId,
        String subscriptionId,
        String resourceId,
        String displayId,
        Kind kind,
        String name,
        String resourceType,
        String location,
        String resourceGroup,
        String sku,
        String managedBy,
        String fingerprint,
        UUID collectionRunId,
        Instant observedAt) implements CanopyEvent {

    /** What a resource snapshot describes. */
    public enum Kind {
        /** A resource, {@code .../providers/{ns}/{type}/{name}}. */
        RESOURCE,
        /** A resource group, {@code /subscriptions/{id}/resourceGroups/{name}}. */
        RESOURCE_GROUP
    }

    /** Validates and normalizes the fields; the ids must name the same resource in this subscription. */
    public ResourceSnapshot {
        Checks.envelope(eventId, occurredAt);
        tenantId = Checks.azureId(tenantId, "tenantId");
        subscriptionId = Checks.azureId(subscriptionId, "subscriptionId");
        ArmResourceId id = Checks.armId(displayId, "displayId", subscriptionId);
        resourceId = Checks.sameResource(resourceId, id, "resourceId");
        displayId = id.displayId();
        Checks.required(kind, "kind");
        if (!kind.name().equals(id.scopeKind().name())) {
            throw new IllegalArgumentException("kind " + kind + " does not match id '" + displayId + "', which names a "
                    + id.scopeKind());
        }
        name = Checks.text(name, "name");
        resourceType = Checks.text(resourceType, "resourceType");
        location = Checks.text(location, "location");
        if (!Objects.equals(lower(resourceGroup), lower(id.resourceGroup()))) {
            throw new IllegalArgumentException("resourceGroup '" + resourceGroup + "' does not match id '" + displayId + "'");
        }
        fingerprint = Checks.text(fingerprint, "fingerprint");
        Checks.required(collectionRunId, "collectionRunId");
        Checks.required(observedAt, "observedAt");
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    @Override
    public String kafkaKey() {
        return resourceId;
    }

    @Override
    public EventType type() {
        return EventType.RESOURCE_SNAPSHOT;
    }
}

package dev.canopy.events;

import dev.canopy.events.topic.EventType;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A tenant left Canopy: collection stops and its subscriptions' data is to be tombstoned.
 *
 * @param eventId unique id of this event
 * @param occurredAt when offboarding was acknowledged
 * @param tenantId the customer's Entra tenant id, lower-cased
 * @param subscriptionIds every subscription of the tenant Canopy had access to, lower-cased
 * @param offboardedBy object id of the admin who offboarded the tenant
 */
public record TenantOffboarded(
        UUID eventId,
        Instant occurredAt,
        String tenantId,
        List<String> subscriptionIds,
        String offboardedBy) implements CanopyEvent {

    /** Validates and normalizes the fields. */
    public TenantOffboarded {
        Checks.envelope(eventId, occurredAt);
        tenantId = Checks.azureId(tenantId, "tenantId");
        subscriptionIds = Checks.list(subscriptionIds, "subscriptionIds").stream()
                .map(id -> Checks.azureId(id, "subscriptionIds[]"))
                .toList();
        offboardedBy = Checks.text(offboardedBy, "offboardedBy");
    }

    @Override
    public String kafkaKey() {
        return tenantId;
    }

    @Override
    public EventType type() {
        return EventType.TENANT_OFFBOARDED;
    }
}

package dev.canopy.events;

import dev.canopy.events.topic.EventType;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An onboarded tenant gave Canopy access to more subscriptions (a new consent).
 *
 * @param eventId unique id of this event
 * @param occurredAt when the roles were assigned
 * @param tenantId the customer's Entra tenant id, lower-cased
 * @param addedBy object id of the admin who consented
 * @param subscriptions the subscriptions added; at least one
 */
public record SubscriptionsAdded(
        UUID eventId,
        Instant occurredAt,
        String tenantId,
        String addedBy,
        List<OnboardedSubscription> subscriptions) implements CanopyEvent {

    /** Validates and normalizes the fields. */
    public SubscriptionsAdded {
        Checks.envelope(eventId, occurredAt);
        tenantId = Checks.azureId(tenantId, "tenantId");
        addedBy = Checks.text(addedBy, "addedBy");
        subscriptions = Checks.list(subscriptions, "subscriptions");
        if (subscriptions.isEmpty()) {
            throw new IllegalArgumentException("subscriptions must not be empty");
        }
    }

    @Override
    public String kafkaKey() {
        return tenantId;
    }

    @Override
    public EventType type() {
        return EventType.SUBSCRIPTIONS_ADDED;
    }
}

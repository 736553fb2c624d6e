package dev.canopy.events;

import dev.canopy.events.topic.EventType;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A customer tenant consented and Canopy's service principal got its roles on the listed subscriptions.
 * Each subscription's policy follows separately as a {@link SubscriptionPolicyChanged}.
 *
 * @param eventId unique id of this event
 * @param occurredAt when onboarding completed
 * @param tenantId the customer's Entra tenant id, lower-cased
 * @param servicePrincipalObjectId object id of Canopy's service principal in that tenant (the {@code oid} of its app-only token)
 * @param onboardedBy object id of the admin who consented
 * @param subscriptions the subscriptions Canopy was given access to; may be empty
 */
public record TenantOnboarded(
        UUID eventId,
        Instant occurredAt,
        String tenantId,
        String servicePrincipalObjectId,
        String onboardedBy,
        List<OnboardedSubscription> subscriptions) implements CanopyEvent {

    /** Validates and normalizes the fields. */
    public TenantOnboarded {
        Checks.envelope(eventId, occurredAt);
        tenantId = Checks.azureId(tenantId, "tenantId");
        servicePrincipalObjectId = Checks.text(servicePrincipalObjectId, "servicePrincipalObjectId");
        onboardedBy = Checks.text(onboardedBy, "onboardedBy");
        subscriptions = Checks.list(subscriptions, "subscriptions");
    }

    @Override
    public String kafkaKey() {
        return tenantId;
    }

    @Override
    public EventType type() {
        return EventType.TENANT_ONBOARDED;
    }
}

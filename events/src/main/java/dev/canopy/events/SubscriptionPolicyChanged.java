package dev.canopy.events;

import dev.canopy.events.policy.SyncPolicy;
import dev.canopy.events.topic.EventType;

import java.time.Instant;
import java.util.UUID;

/**
 * A subscription's sync policy as of now; the compacted policy topic keeps the latest one per subscription and is
 * the single source of truth for what Canopy may do there.
 *
 * @param eventId unique id of this event
 * @param occurredAt when the API acknowledged the change (edits processed after it must see it)
 * @param tenantId the customer's Entra tenant id, lower-cased
 * @param subscriptionId the subscription, lower-cased
 * @param policy the policy now in force
 * @param previousPolicy the policy before, or {@code null} for a newly onboarded subscription
 * @param changedBy object id of the admin who changed it (the consenting admin at onboarding)
 */
public record SubscriptionPolicyChanged(
        UUID eventId,
        Instant occurredAt,
        String tenantId,
        String subscriptionId,
        SyncPolicy policy,
        SyncPolicy previousPolicy,
        String changedBy) implements CanopyEvent {

    /** Validates and normalizes the fields. */
    public SubscriptionPolicyChanged {
        Checks.envelope(eventId, occurredAt);
        tenantId = Checks.azureId(tenantId, "tenantId");
        subscriptionId = Checks.azureId(subscriptionId, "subscriptionId");
        Checks.required(policy, "policy");
        changedBy = Checks.text(changedBy, "changedBy");
    }

    @Override
    public String kafkaKey() {
        return subscriptionId;
    }

    @Override
    public EventType type() {
        return EventType.SUBSCRIPTION_POLICY_CHANGED;
    }
}

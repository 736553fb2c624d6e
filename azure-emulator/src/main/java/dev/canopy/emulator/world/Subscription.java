package dev.canopy.emulator.world;

import java.util.Map;

/**
 * An Azure subscription in one tenant.
 *
 * @param state Enabled, Warned, PastDue, Disabled or Deleted
 * @param tags the subscription's tags (never null)
 */
public record Subscription(String subscriptionId, String tenantId, String displayName, String state,
                           Map<String, String> tags, String quotaId, String spendingLimit) {
    public Subscription {
        tags = tags == null ? Map.of() : Tags.copy(tags);
        state = state == null ? "Enabled" : state;
        quotaId = quotaId == null ? "EnterpriseAgreement_2014-09-01" : quotaId;
        spendingLimit = spendingLimit == null ? "Off" : spendingLimit;
    }

    public Subscription withTags(Map<String, String> newTags) {
        return new Subscription(subscriptionId, tenantId, displayName, state, newTags, quotaId, spendingLimit);
    }

    public String id() {
        return "/subscriptions/" + subscriptionId;
    }
}

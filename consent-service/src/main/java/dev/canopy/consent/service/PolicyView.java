package dev.canopy.consent.service;

import dev.canopy.events.policy.SyncPolicy;

/**
 * A subscription's sync policy as the API shows it.
 *
 * @param subscriptionId the subscription
 * @param tenantId its tenant
 * @param policy the policy in force
 */
public record PolicyView(String subscriptionId, String tenantId, SyncPolicy policy) {
}

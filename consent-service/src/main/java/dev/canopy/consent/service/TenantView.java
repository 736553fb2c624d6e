package dev.canopy.consent.service;

import java.time.Instant;
import java.util.List;

/**
 * A tenant as the API shows it.
 *
 * @param tenantId the tenant
 * @param state active or offboarded
 * @param servicePrincipalObjectId Canopy's service principal there
 * @param onboardedAt when it was first onboarded
 * @param offboardedAt when it was offboarded, or null
 * @param subscriptions every subscription an onboarding saw, with its state and policy
 */
public record TenantView(String tenantId, String state, String servicePrincipalObjectId, Instant onboardedAt,
        Instant offboardedAt, List<SubscriptionView> subscriptions) {

    /**
     * One subscription.
     *
     * @param subscriptionId the subscription
     * @param displayName its Azure display name
     * @param state onboarding, active, skipped, access-lost or offboarded
     * @param reason why skipped or access-lost; else null
     * @param policy the sync policy, or null while Canopy has no access
     * @param costManagementReader whether Canopy holds Cost Management Reader there
     */
    public record SubscriptionView(String subscriptionId, String displayName, String state, String reason,
            String policy, boolean costManagementReader) {
    }
}

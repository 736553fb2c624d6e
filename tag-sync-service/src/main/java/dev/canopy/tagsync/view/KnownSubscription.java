package dev.canopy.tagsync.view;

import java.util.Objects;

/**
 * A subscription as canopy.tenants describes it.
 *
 * @param subscriptionId the subscription, lower-cased
 * @param tenantId the tenant it belongs to (the newest event naming it decides), lower-cased
 * @param tenantOffboarded whether that tenant's newest event offboarded it
 */
public record KnownSubscription(String subscriptionId, String tenantId, boolean tenantOffboarded) {

    public KnownSubscription {
        Objects.requireNonNull(subscriptionId, "subscriptionId");
        Objects.requireNonNull(tenantId, "tenantId");
    }
}

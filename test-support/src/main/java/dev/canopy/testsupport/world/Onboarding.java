package dev.canopy.testsupport.world;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.canopy.emulator.world.Subscription;
import dev.canopy.emulator.world.WorldSpec;
import dev.canopy.events.OnboardedSubscription;
import dev.canopy.events.SubscriptionPolicyChanged;
import dev.canopy.events.TenantOnboarded;
import dev.canopy.events.policy.SyncPolicy;
import dev.canopy.testsupport.kafka.EventTopicClient;

/**
 * Publishes what consent-service publishes when a tenant of a synthetic world is onboarded: a policy per
 * subscription on canopy.subscription-policies, then TenantOnboarded on canopy.tenants.
 */
public final class Onboarding {

    private Onboarding() {
    }

    /** The subscriptions of one tenant of the world, in the world's order. */
    public static List<Subscription> subscriptionsOf(WorldSpec spec, String tenantId) {
        return spec.subscriptions().stream().filter(s -> s.tenantId().equals(tenantId)).toList();
    }

    /**
     * Onboards one tenant; the i-th of its subscriptions gets the i-th policy.
     *
     * @return the canopy.tenants partition its TenantOnboarded landed on (which instance collects it)
     */
    public static int onboardTenant(EventTopicClient kafka, WorldSpec spec, String tenantId, List<SyncPolicy> policies) {
        List<Subscription> subscriptions = subscriptionsOf(spec, tenantId);
        for (int i = 0; i < subscriptions.size(); i++) {
            setPolicy(kafka, tenantId, subscriptions.get(i).subscriptionId(), policies.get(i), null);
        }
        // The world's principal of Canopy's app in that tenant, as consent-service reads it from the token's oid.
        String servicePrincipal = spec.servicePrincipals().stream().filter(p -> p.tenantId().equals(tenantId))
                .findFirst().orElseThrow().objectId();
        return kafka.publish(new TenantOnboarded(UUID.randomUUID(), Instant.now(), tenantId, servicePrincipal, "admin",
                subscriptions.stream().map(s -> new OnboardedSubscription(s.subscriptionId(), s.displayName(), true))
                        .toList())).partition();
    }

    /**
     * Onboards every tenant of the world with one policy for all subscriptions.
     *
     * @return tenant id → the canopy.tenants partition it landed on
     */
    public static Map<String, Integer> onboardAll(EventTopicClient kafka, WorldSpec spec, SyncPolicy policy) {
        Map<String, Integer> partitions = new LinkedHashMap<>();
        for (String tenantId : spec.subscriptions().stream().map(Subscription::tenantId).distinct().toList()) {
            List<SyncPolicy> policies = subscriptionsOf(spec, tenantId).stream().map(s -> policy).toList();
            partitions.put(tenantId, onboardTenant(kafka, spec, tenantId, policies));
        }
        return partitions;
    }

    /**
     * Publishes a policy change as an admin would make it, and returns once the broker acknowledged it — the moment
     * consent-service's API answers a policy PUT.
     */
    public static void setPolicy(EventTopicClient kafka, String tenantId, String subscriptionId, SyncPolicy policy,
            SyncPolicy previous) {
        kafka.publish(new SubscriptionPolicyChanged(UUID.randomUUID(), Instant.now(), tenantId, subscriptionId, policy,
                previous, "admin"));
    }
}

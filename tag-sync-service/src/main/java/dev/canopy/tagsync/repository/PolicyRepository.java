package dev.canopy.tagsync.repository;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import dev.canopy.events.SubscriptionPolicyChanged;
import dev.canopy.events.policy.SyncPolicy;

/** The latest sync policy per subscription, as the policy topic last said it. */
@ApplicationScoped
public class PolicyRepository {

    private final EntityManager em;

    public PolicyRepository(EntityManager em) {
        this.em = em;
    }

    /** Stores the change as the subscription's policy (an upsert: two instances may meet one subscription). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void put(SubscriptionPolicyChanged changed) {
        em.createNativeQuery("INSERT INTO subscription_policy "
                        + "(subscription_id, tenant_id, policy, changed_at, event_id) "
                        + "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (subscription_id) DO UPDATE SET "
                        + "tenant_id = EXCLUDED.tenant_id, policy = EXCLUDED.policy, changed_at = EXCLUDED.changed_at, "
                        + "event_id = EXCLUDED.event_id")
                .setParameter(1, changed.subscriptionId()).setParameter(2, changed.tenantId())
                .setParameter(3, changed.policy().name()).setParameter(4, changed.occurredAt())
                .setParameter(5, changed.eventId()).executeUpdate();
    }

    /** Drops what is known of the subscription's policy: from now on it is unknown, which means "write nothing". */
    @Transactional(Transactional.TxType.MANDATORY)
    public void forget(String subscriptionId) {
        em.createNativeQuery("DELETE FROM subscription_policy WHERE subscription_id = ?1")
                .setParameter(1, subscriptionId).executeUpdate();
    }

    @Transactional
    public Optional<SyncPolicy> policyOf(String subscriptionId) {
        @SuppressWarnings("unchecked")
        List<String> policies = em.createNativeQuery(
                        "SELECT policy FROM subscription_policy WHERE subscription_id = ?1", String.class)
                .setParameter(1, subscriptionId).getResultList();
        return policies.stream().findFirst().map(SyncPolicy::valueOf);
    }
}

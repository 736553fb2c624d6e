package dev.canopy.collector.repository;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** The subscription registry. */
@ApplicationScoped
public class RegistryRepository implements PanacheRepositoryBase<RegisteredSubscription, String> {

    private static final String DUE = "active = true and policy is not null and registryPartition in ?1 "
            + "and (runRequested = true or nextRunAt <= ?2)";

    /**
     * The subscription's row, created inactive if it does not exist yet. An upsert, because the tenant and the
     * policy consumers may both see a new subscription at the same moment.
     */
    public RegisteredSubscription ensure(String subscriptionId, String tenantId) {
        getEntityManager().createNativeQuery("INSERT INTO subscription (subscription_id, tenant_id, display_name, "
                        + "cost_reader, active, registry_partition, next_run_at) VALUES (?1, ?2, ?1, false, false, -1, now()) "
                        + "ON CONFLICT (subscription_id) DO NOTHING")
                .setParameter(1, subscriptionId).setParameter(2, tenantId).executeUpdate();
        return findById(subscriptionId);
    }

    /**
     * The subscription's row, locked until the transaction ends: a run's page and a policy change of the same
     * subscription then happen one after the other, so a tombstone can never be overtaken by a snapshot of a run
     * that still obeys the old policy.
     */
    public RegisteredSubscription lock(String subscriptionId) {
        return findById(subscriptionId, LockModeType.PESSIMISTIC_WRITE);
    }

    public List<RegisteredSubscription> ofTenant(String tenantId) {
        return list("tenantId", tenantId);
    }

    /** Active subscriptions on the given registry partitions that are due now or were asked for. */
    public List<RegisteredSubscription> due(Collection<Integer> partitions, Instant now) {
        if (partitions.isEmpty()) {
            return List.of();
        }
        return list(DUE + " order by runRequested desc, nextRunAt", partitions, now);
    }

    /** Whether the subscription is still one of {@link #due}'s: active, on one of the partitions, due or asked for. */
    public boolean isDue(String subscriptionId, Collection<Integer> partitions, Instant now) {
        return !partitions.isEmpty() && count(DUE + " and subscriptionId = ?3", partitions, now, subscriptionId) > 0;
    }
}

package dev.canopy.tagsync.repository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/** Tenants and the tenant each subscription belongs to, as the tenant topic describes them. */
@ApplicationScoped
public class DirectoryRepository {

    /** A subscription's tenant and whether that tenant is offboarded. */
    public record SubscriptionRow(String tenantId, boolean tenantOffboarded) {
    }

    private final EntityManager em;

    public DirectoryRepository(EntityManager em) {
        this.em = em;
    }

    /** Records the tenant as onboarded or offboarded, whatever it was: one tenant's events come in order. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void setTenant(String tenantId, boolean offboarded, Instant at) {
        em.createNativeQuery("INSERT INTO known_tenant (tenant_id, offboarded, changed_at) VALUES (?1, ?2, ?3) "
                        + "ON CONFLICT (tenant_id) DO UPDATE SET offboarded = EXCLUDED.offboarded, "
                        + "changed_at = EXCLUDED.changed_at")
                .setParameter(1, tenantId).setParameter(2, offboarded).setParameter(3, at).executeUpdate();
    }

    /** Records the tenant as onboarded if it is not known yet; a known tenant keeps its state. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void ensureTenant(String tenantId, Instant at) {
        em.createNativeQuery("INSERT INTO known_tenant (tenant_id, offboarded, changed_at) VALUES (?1, false, ?2) "
                        + "ON CONFLICT (tenant_id) DO NOTHING")
                .setParameter(1, tenantId).setParameter(2, at).executeUpdate();
    }

    /** Gives the subscription to the tenant unless a newer event already gave it to one. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void assign(String subscriptionId, String tenantId, Instant at) {
        em.createNativeQuery("INSERT INTO known_subscription (subscription_id, tenant_id, assigned_at) "
                        + "VALUES (?1, ?2, ?3) ON CONFLICT (subscription_id) DO UPDATE SET "
                        + "tenant_id = EXCLUDED.tenant_id, assigned_at = EXCLUDED.assigned_at "
                        + "WHERE known_subscription.assigned_at <= EXCLUDED.assigned_at")
                .setParameter(1, subscriptionId).setParameter(2, tenantId).setParameter(3, at).executeUpdate();
    }

    /**
     * Gives the subscription to the tenant only if no event named it yet, with the lowest precedence: an offboarding
     * lists what the tenant had, which may be stale for a subscription that moved, so any onboarding wins over it,
     * whichever partition was read first.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void claimUnknown(String subscriptionId, String tenantId) {
        em.createNativeQuery("INSERT INTO known_subscription (subscription_id, tenant_id, assigned_at) "
                        + "VALUES (?1, ?2, '-infinity') ON CONFLICT (subscription_id) DO NOTHING")
                .setParameter(1, subscriptionId).setParameter(2, tenantId).executeUpdate();
    }

    @Transactional
    public Optional<SubscriptionRow> subscription(String subscriptionId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT s.tenant_id, COALESCE(t.offboarded, false) "
                        + "FROM known_subscription s LEFT JOIN known_tenant t ON t.tenant_id = s.tenant_id "
                        + "WHERE s.subscription_id = ?1", Object[].class)
                .setParameter(1, subscriptionId).getResultList();
        return rows.stream().findFirst().map(row -> new SubscriptionRow((String) row[0], (Boolean) row[1]));
    }

    @Transactional
    public boolean tenantOffboarded(String tenantId) {
        @SuppressWarnings("unchecked")
        List<Boolean> rows = em.createNativeQuery("SELECT offboarded FROM known_tenant WHERE tenant_id = ?1",
                        Boolean.class)
                .setParameter(1, tenantId).getResultList();
        return rows.stream().findFirst().orElse(false);
    }
}

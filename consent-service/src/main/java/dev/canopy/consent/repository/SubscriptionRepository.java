package dev.canopy.consent.repository;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** Subscriptions by id and by tenant. */
@ApplicationScoped
public class SubscriptionRepository implements PanacheRepositoryBase<Subscription, String> {

    /** A tenant's subscriptions, by id. */
    public List<Subscription> listByTenant(String tenantId) {
        return list("tenantId = ?1 order by id", tenantId);
    }
}

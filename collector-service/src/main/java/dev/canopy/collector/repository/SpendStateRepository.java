package dev.canopy.collector.repository;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** Published spend fingerprints per subscription, day and cost type. */
@ApplicationScoped
public class SpendStateRepository implements PanacheRepositoryBase<SpendState, String> {

    /** Up to {@code limit} of the subscription's rows: the next chunk of an offboarding's spend tombstones. */
    public List<SpendState> someOfSubscription(String subscriptionId, int limit) {
        return find("subscriptionId", subscriptionId).page(0, limit).list();
    }
}

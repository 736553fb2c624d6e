package dev.canopy.collector.repository;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** Collection runs. */
@ApplicationScoped
public class CollectionRunRepository implements PanacheRepositoryBase<CollectionRun, java.util.UUID> {

    public Optional<CollectionRun> latest(String subscriptionId) {
        return find("subscriptionId = ?1 order by startedAt desc", subscriptionId).firstResultOptional();
    }
}

package dev.canopy.collector.repository;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** Published spend fingerprints per subscription, day and cost type. */
@ApplicationScoped
public class SpendStateRepository implements PanacheRepositoryBase<SpendState, String> {
}

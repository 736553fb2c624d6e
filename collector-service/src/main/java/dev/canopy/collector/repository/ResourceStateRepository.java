package dev.canopy.collector.repository;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** Published fingerprints per resource. */
@ApplicationScoped
public class ResourceStateRepository implements PanacheRepositoryBase<ResourceState, String> {

    public Map<String, ResourceState> byIds(Collection<String> resourceIds) {
        if (resourceIds.isEmpty()) {
            return Map.of();
        }
        return list("resourceId in ?1", resourceIds).stream()
                .collect(Collectors.toMap(s -> s.resourceId, Function.identity()));
    }

    public List<ResourceState> ofSubscription(String subscriptionId) {
        return list("subscriptionId", subscriptionId);
    }

    /** Rows the given run did not see: the resources that vanished since the last complete run. */
    public List<ResourceState> notSeenIn(String subscriptionId, UUID runId) {
        return list("subscriptionId = ?1 and lastRunId <> ?2", subscriptionId, runId);
    }
}

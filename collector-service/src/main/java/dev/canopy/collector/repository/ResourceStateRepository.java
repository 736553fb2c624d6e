package dev.canopy.collector.repository;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import dev.canopy.events.policy.SyncPolicy;
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

    /** Up to {@code limit} of the subscription's rows: the next chunk of an offboarding's or a policy's tombstones. */
    public List<ResourceState> someOfSubscription(String subscriptionId, int limit) {
        return find("subscriptionId", subscriptionId).page(0, limit).list();
    }

    /** Up to {@code limit} of the subscription's rows whose tag snapshot is still published. */
    public List<ResourceState> someWithTags(String subscriptionId, int limit) {
        return find("subscriptionId = ?1 and tagFp is not null", subscriptionId).page(0, limit).list();
    }

    /**
     * Subscriptions whose published snapshots their registry row no longer allows: not onboarded (offboarded, or never
     * known), NO_RESOURCES with resource snapshots, NO_TAGS with tag snapshots, or offboarded with spend snapshots. An
     * offboarding or a narrower policy leaves such rows only until its tombstoning is done.
     */
    @SuppressWarnings("unchecked")
    public List<String> subscriptionsOwingTombstones() {
        List<String> noResources = Arrays.stream(SyncPolicy.values()).filter(p -> !p.collectsResources())
                .map(Enum::name).toList();
        List<String> noTags = Arrays.stream(SyncPolicy.values()).filter(p -> p.collectsResources() && !p.collectsTags())
                .map(Enum::name).toList();
        return getEntityManager().createNativeQuery("""
                SELECT DISTINCT r.subscription_id FROM resource_state r
                  LEFT JOIN subscription s ON s.subscription_id = r.subscription_id
                 WHERE s.subscription_id IS NULL OR NOT s.active OR s.policy IN (:noResources)
                    OR (s.policy IN (:noTags) AND r.tag_fp IS NOT NULL)
                UNION
                SELECT DISTINCT p.subscription_id FROM spend_state p
                  LEFT JOIN subscription s ON s.subscription_id = p.subscription_id
                 WHERE s.subscription_id IS NULL OR NOT s.active""")
                .setParameter("noResources", noResources).setParameter("noTags", noTags).getResultList();
    }

    /** Rows the given run did not see: the resources that vanished since the last complete run. */
    public List<ResourceState> notSeenIn(String subscriptionId, UUID runId) {
        return list("subscriptionId = ?1 and lastRunId <> ?2", subscriptionId, runId);
    }
}

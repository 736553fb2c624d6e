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
     * Subscriptions whose published snapshots their registry row no longer allows: offboarded with resource, tag or
     * spend snapshots, NO_RESOURCES with resource snapshots, NO_TAGS with tag snapshots. An offboarding or a narrower
     * policy leaves such rows only until its tombstoning is done. Rows without a registry row are left alone: the
     * registry is rebuilt from the topics, and a sweep must not take a registry not yet rebuilt for offboardings.
     */
    @SuppressWarnings("unchecked")
    public List<String> subscriptionsOwingTombstones() {
        List<String> noResources = Arrays.stream(SyncPolicy.values()).filter(p -> !p.collectsResources())
                .map(Enum::name).toList();
        List<String> noTags = Arrays.stream(SyncPolicy.values()).filter(p -> p.collectsResources() && !p.collectsTags())
                .map(Enum::name).toList();
        return getEntityManager().createNativeQuery("""
                SELECT s.subscription_id FROM subscription s
                 WHERE (NOT s.active
                        AND (EXISTS (SELECT 1 FROM resource_state r WHERE r.subscription_id = s.subscription_id)
                             OR EXISTS (SELECT 1 FROM spend_state p WHERE p.subscription_id = s.subscription_id)))
                    OR (s.active AND s.policy IN (:noResources)
                        AND EXISTS (SELECT 1 FROM resource_state r WHERE r.subscription_id = s.subscription_id))
                    OR (s.active AND s.policy IN (:noTags)
                        AND EXISTS (SELECT 1 FROM resource_state r
                                     WHERE r.subscription_id = s.subscription_id AND r.tag_fp IS NOT NULL))""")
                .setParameter("noResources", noResources).setParameter("noTags", noTags).getResultList();
    }

    /** Rows the given run did not see: the resources that vanished since the last complete run. */
    public List<ResourceState> notSeenIn(String subscriptionId, UUID runId) {
        return list("subscriptionId = ?1 and lastRunId <> ?2", subscriptionId, runId);
    }
}

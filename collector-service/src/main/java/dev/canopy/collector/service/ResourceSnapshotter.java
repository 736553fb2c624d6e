package dev.canopy.collector.service;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.canopy.collector.azure.ArmInventory;
import dev.canopy.collector.messaging.EventPublisher;
import dev.canopy.collector.repository.ResourceState;
import dev.canopy.collector.repository.ResourceStateRepository;
import dev.canopy.events.ResourceDeleted;
import dev.canopy.events.ResourceSnapshot;
import dev.canopy.events.TagSnapshot;
import dev.canopy.events.azure.ArmResourceId;
import dev.canopy.events.topic.CanopyTopic;

/**
 * Turns one page of listed resources (or groups) into the snapshots owed: a ResourceSnapshot or TagSnapshot only
 * where the fingerprint differs from the one last published; fingerprints are stored only after Kafka acked.
 */
@ApplicationScoped
public class ResourceSnapshotter {

    private final ResourceStateRepository states;
    private final RunGuard guard;
    private final EventPublisher publisher;
    private final SnapshotTombstones tombstones;

    public ResourceSnapshotter(ResourceStateRepository states, RunGuard guard, EventPublisher publisher,
            SnapshotTombstones tombstones) {
        this.states = states;
        this.guard = guard;
        this.publisher = publisher;
        this.tombstones = tombstones;
    }

    /** Publishes what changed on one page; returns the number of records sent. */
    @Transactional
    public int publishPage(RunContext run, List<ArmInventory.Item> items, ResourceSnapshot.Kind kind) {
        guard.requireCurrentPolicy(run);
        Instant observedAt = Instant.now();
        Map<String, ArmInventory.Item> byKey = new LinkedHashMap<>();
        Map<String, ArmResourceId> ids = new LinkedHashMap<>();
        for (ArmInventory.Item item : items) {
            ArmResourceId id = ArmResourceId.parse(item.id());
            byKey.put(id.key(), item);
            ids.put(id.key(), id);
        }
        Map<String, ResourceState> known = states.byIds(byKey.keySet());
        EventPublisher.Batch batch = publisher.batch();
        for (Map.Entry<String, ArmInventory.Item> entry : byKey.entrySet()) {
            String key = entry.getKey();
            ArmInventory.Item item = entry.getValue();
            ArmResourceId id = ids.get(key);
            ResourceState state = stateOf(run, id, known.get(key));
            state.displayId = id.displayId();
            String fp = Fingerprints.of(id.displayId(), kind, item.name(), item.type(), item.location(),
                    id.resourceGroup(), item.sku(), item.managedBy());
            if (!fp.equals(state.resourceFp)) {
                batch.publish(new ResourceSnapshot(UUID.randomUUID(), Instant.now(), run.tenantId, run.subscriptionId,
                        key, id.displayId(), kind, item.name(), item.type(), item.location(), id.resourceGroup(),
                        item.sku(), item.managedBy(), fp, run.runId, observedAt));
                state.resourceFp = fp;
            }
            if (run.policy.collectsTags()) {
                Map<String, String> tags = item.tags() == null ? Map.of() : item.tags();
                String tagFp = Fingerprints.ofTags(tags);
                if (!tagFp.equals(state.tagFp)) {
                    batch.publish(new TagSnapshot(UUID.randomUUID(), Instant.now(), run.tenantId, run.subscriptionId,
                            key, id.displayId(), tags, tagFp, run.runId, observedAt));
                    state.tagFp = tagFp;
                }
            } else if (state.tagFp != null) {
                // The policy stopped tag collection; its handler tombstoned already, this catches a race with a run.
                batch.tombstone(CanopyTopic.TAGS, key, ResourceDeleted.Reason.POLICY.name());
                state.tagFp = null;
            }
        }
        batch.await();
        return batch.size();
    }

    /**
     * The subscription's own tags: a TagSnapshot keyed by the subscription id (there is no ResourceSnapshot of a
     * subscription). Returns the number of records sent.
     */
    @Transactional
    public int publishSubscriptionTags(RunContext run, String displayId, Map<String, String> azureTags) {
        guard.requireCurrentPolicy(run);
        ArmResourceId id = ArmResourceId.parse(displayId);
        ResourceState state = stateOf(run, id, states.findById(id.key()));
        EventPublisher.Batch batch = publisher.batch();
        if (run.policy.collectsTags()) {
            Map<String, String> tags = azureTags == null ? Map.of() : azureTags;
            String tagFp = Fingerprints.ofTags(tags);
            if (!tagFp.equals(state.tagFp)) {
                Instant now = Instant.now();
                batch.publish(new TagSnapshot(UUID.randomUUID(), now, run.tenantId, run.subscriptionId, id.key(),
                        id.displayId(), tags, tagFp, run.runId, now));
                state.tagFp = tagFp;
            }
        } else if (state.tagFp != null) {
            batch.tombstone(CanopyTopic.TAGS, id.key(), ResourceDeleted.Reason.POLICY.name());
            state.tagFp = null;
        }
        batch.await();
        return batch.size();
    }

    // The row of what is published for the id, created when there is none, stamped with the run. A row of another
    // tenant is a subscription that moved: its snapshots still name the old tenant, so they are owed again whatever
    // their content (a tag snapshot only where the policy collects tags; else it stays owed its tombstone).
    private ResourceState stateOf(RunContext run, ArmResourceId id, ResourceState known) {
        ResourceState state = known;
        if (state == null) {
            state = new ResourceState();
            state.resourceId = id.key();
            state.subscriptionId = run.subscriptionId;
            state.tenantId = run.tenantId;
            state.displayId = id.displayId();
            state.lastRunId = run.runId;
            states.persist(state);
            return state;
        }
        if (!run.tenantId.equals(state.tenantId)) {
            state.tenantId = run.tenantId;
            state.resourceFp = null;
            if (run.policy.collectsTags()) {
                state.tagFp = null;
            }
        }
        state.lastRunId = run.runId;
        return state;
    }

    /** After a complete listing: tombstones whatever the run did not see. Returns the tombstones sent. */
    @Transactional
    public int deleteVanished(RunContext run) {
        guard.requireCurrentPolicy(run);
        List<ResourceState> vanished = states.notSeenIn(run.subscriptionId, run.runId);
        return tombstones.deleteResources(vanished, ResourceDeleted.Reason.VANISHED, run.runId);
    }
}

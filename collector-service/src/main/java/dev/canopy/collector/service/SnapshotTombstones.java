package dev.canopy.collector.service;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.canopy.collector.messaging.EventPublisher;
import dev.canopy.collector.repository.ResourceState;
import dev.canopy.collector.repository.ResourceStateRepository;
import dev.canopy.collector.repository.SpendState;
import dev.canopy.collector.repository.SpendStateRepository;
import dev.canopy.events.ResourceDeleted;
import dev.canopy.events.ResourceDeleted.Reason;
import dev.canopy.events.topic.CanopyTopic;

/**
 * Deletes published snapshots from the compacted topics (tombstones) and forgets their fingerprints: for a resource
 * that vanished, for every resource or tag of a subscription whose policy stopped collecting them, and at offboarding.
 */
@ApplicationScoped
public class SnapshotTombstones {

    private final ResourceStateRepository states;
    private final SpendStateRepository spendStates;
    private final EventPublisher publisher;

    public SnapshotTombstones(ResourceStateRepository states, SpendStateRepository spendStates,
            EventPublisher publisher) {
        this.states = states;
        this.spendStates = spendStates;
        this.publisher = publisher;
    }

    /** Tombstones the given spend snapshots (offboarding) and deletes their rows; returns the tombstones sent. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int deleteSpend(List<SpendState> rows, Reason reason) {
        EventPublisher.Batch batch = publisher.batch();
        rows.forEach(row -> batch.tombstone(CanopyTopic.SPEND, row.spendKey, reason.name()));
        batch.await();
        rows.forEach(spendStates::delete);
        return batch.size();
    }

    /**
     * Tombstones resource and tag snapshots of the given rows and deletes the rows; each resource's tombstone is
     * preceded by a {@link ResourceDeleted} under the same key, so a live consumer learns why (compaction later
     * removes both). Returns the tombstones sent.
     *
     * @param runId the run that found the resources gone; {@code null} for a policy change or offboarding
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int deleteResources(List<ResourceState> rows, Reason reason, UUID runId) {
        EventPublisher.Batch batch = publisher.batch();
        Instant now = Instant.now();
        for (ResourceState row : rows) {
            if (row.resourceFp != null) {
                batch.publish(new ResourceDeleted(UUID.randomUUID(), now, row.tenantId, row.subscriptionId,
                        row.resourceId, row.displayId != null ? row.displayId : row.resourceId, reason, runId));
                batch.tombstone(CanopyTopic.RESOURCES, row.resourceId, reason.name());
            }
            if (row.tagFp != null) {
                batch.tombstone(CanopyTopic.TAGS, row.resourceId, reason.name());
            }
        }
        batch.await();
        rows.forEach(states::delete);
        return batch.size();
    }

    /** Tombstones the tag snapshots of the given rows, keeping their resource snapshots; returns the tombstones sent. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int deleteTags(List<ResourceState> rows, Reason reason) {
        EventPublisher.Batch batch = publisher.batch();
        for (ResourceState row : rows) {
            if (row.tagFp != null) {
                batch.tombstone(CanopyTopic.TAGS, row.resourceId, reason.name());
                row.tagFp = null;
            }
        }
        batch.await();
        return batch.size();
    }
}

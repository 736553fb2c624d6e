package dev.canopy.tagsync.view;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import dev.canopy.events.CanopyEvent;
import dev.canopy.events.TagSnapshot;
import dev.canopy.events.azure.ArmResourceId;
import dev.canopy.events.topic.CanopyTopic;
import dev.canopy.tagsync.repository.CollectedTagsRepository;
import dev.canopy.tagsync.repository.StoredTagSet;

/** Keeps {@link CollectedTags} in step with canopy.tags (fed by the {@code tags-in} channel). */
@ApplicationScoped
public class CollectedTagsUpdater implements ViewUpdater {

    private static final Logger LOG = Logger.getLogger(CollectedTagsUpdater.class);

    private final CollectedTagsRepository tags;
    private final Event<TagSnapshotApplied> applied;

    public CollectedTagsUpdater(CollectedTagsRepository tags, Event<TagSnapshotApplied> applied) {
        this.tags = tags;
        this.applied = applied;
    }

    @Override
    public CanopyTopic topic() {
        return CanopyTopic.TAGS;
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(CanopyEvent event) {
        TagSnapshot snapshot = (TagSnapshot) event;
        StoredTagSet row = tags.lock(snapshot.resourceId());
        CollectedTagSet previous = row == null ? null : tags.toTagSet(row);
        // Two collector instances may publish one resource out of order around a partition move: Azure's time decides.
        if (previous != null && snapshot.observedAt().isBefore(previous.observedAt())) {
            LOG.debugf("%s: snapshot observed %s is older than the stored one (%s), ignored", snapshot.resourceId(),
                    snapshot.observedAt(), previous.observedAt());
            return;
        }
        CollectedTagSet current = new CollectedTagSet(snapshot.resourceId(), snapshot.displayId(),
                snapshot.subscriptionId(), snapshot.tenantId(), snapshot.tags(), snapshot.observedAt());
        tags.store(row, current);
        applied.fire(new TagSnapshotApplied(previous, current));
    }

    /** The resource vanished or its tags are no longer collected. */
    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public void tombstone(String key) {
        String id = ArmResourceId.lenientKey(key);
        if (id != null && tags.deleteById(id)) {
            LOG.debugf("%s: tags removed", id);
        }
    }
}

package dev.canopy.tagsync.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.canopy.events.TagDrift;
import dev.canopy.events.azure.TagNames;
import dev.canopy.tagsync.repository.TagEditRepository;
import dev.canopy.tagsync.repository.WrittenTag;
import dev.canopy.tagsync.repository.WrittenTagRepository;
import dev.canopy.tagsync.view.CollectedTagSet;
import dev.canopy.tagsync.view.TagSnapshotApplied;

/**
 * Notices when a collected tag snapshot shows that Azure's value of a tag Canopy wrote has changed since the write
 * (someone edited it in the portal, a policy rewrote it): publishes a drift outcome for the edit that wrote it, once
 * per change, and never writes anything back by itself.
 */
@ApplicationScoped
public class DriftDetector {

    private final WrittenTagRepository written;
    private final TagEditRepository edits;
    private final EditOutcomes outcomes;

    public DriftDetector(WrittenTagRepository written, TagEditRepository edits, EditOutcomes outcomes) {
        this.written = written;
        this.edits = edits;
        this.outcomes = outcomes;
    }

    /** Runs in the transaction that stored the snapshot. */
    void onSnapshot(@Observes TagSnapshotApplied applied) {
        CollectedTagSet current = applied.current();
        if (current == null) {
            return;
        }
        Map<UUID, List<TagDrift>> driftByEdit = new LinkedHashMap<>();
        for (WrittenTag tag : written.lockAll(current.resourceId())) {
            // A snapshot Azure returned before (or while) Canopy wrote says nothing about the write.
            if (current.observedAt() == null || !current.observedAt().isAfter(tag.writtenAt)) {
                continue;
            }
            String azureValue = valueOf(current.tags(), tag.name);
            if (Objects.equals(azureValue, tag.value)) {
                tag.driftedTo = null;
                tag.driftSeenAt = null; // back in line (someone restored it): a later change is new drift
                continue;
            }
            if (tag.driftSeenAt != null && Objects.equals(tag.driftedTo, azureValue)) {
                continue; // this change was reported already
            }
            tag.driftedTo = azureValue;
            tag.driftSeenAt = Instant.now();
            driftByEdit.computeIfAbsent(tag.editId, id -> new ArrayList<>())
                    .add(new TagDrift(tag.name, tag.value, azureValue));
        }
        driftByEdit.forEach((editId, drift) -> outcomes.drift(edits.findById(editId), drift));
    }

    private static String valueOf(Map<String, String> tags, String name) {
        return tags.entrySet().stream().filter(e -> TagNames.same(e.getKey(), name)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }
}

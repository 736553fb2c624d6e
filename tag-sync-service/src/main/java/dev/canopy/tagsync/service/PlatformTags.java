package dev.canopy.tagsync.service;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.canopy.events.azure.TagNames;
import dev.canopy.tagsync.repository.PlatformTag;
import dev.canopy.tagsync.repository.PlatformTagRepository;
import dev.canopy.tagsync.repository.TagEdit;

/** Tags kept in Canopy only (READ_TAGS_ONLY): an edit is applied to them with Azure's merge/replace/delete semantics. */
@ApplicationScoped
public class PlatformTags {

    private final PlatformTagRepository tags;

    public PlatformTags(PlatformTagRepository tags) {
        this.tags = tags;
    }

    /** The resource's platform tags, in the order they were first set. */
    public Map<String, String> of(String resourceId) {
        Map<String, String> result = new LinkedHashMap<>();
        tags.of(resourceId).forEach(t -> result.put(t.name, t.value));
        return result;
    }

    /** Applies the edit to the resource's platform tags. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(TagEdit edit) {
        Map<String, String> next = edit.operation.apply(of(edit.resourceId), edit.tags);
        List<PlatformTag> held = tags.of(edit.resourceId);
        Instant now = Instant.now();
        for (PlatformTag row : held) {
            boolean kept = next.keySet().stream().anyMatch(name -> TagNames.same(name, row.name));
            if (!kept) {
                tags.delete(row);
            }
        }
        next.forEach((name, value) -> {
            PlatformTag row = held.stream().filter(t -> TagNames.same(t.name, name)).findFirst().orElse(null);
            if (row != null && row.value.equals(value)) {
                return;
            }
            boolean fresh = row == null;
            if (fresh) {
                row = PlatformTag.of(edit.resourceId, name);
            }
            row.value = value;
            row.editId = edit.editId;
            row.updatedAt = now;
            if (fresh) {
                tags.persist(row); // complete before persist: the insert carries the state persist saw
            }
        });
    }
}

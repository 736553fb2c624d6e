package dev.canopy.tagsync.repository;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.canopy.tagsync.view.CollectedTagSet;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** The latest collected tags per resource. */
@ApplicationScoped
public class CollectedTagsRepository implements PanacheRepositoryBase<StoredTagSet, String> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<List<String>>> PAIRS = new TypeReference<>() {
    };

    /** The resource's row, locked until the transaction ends, so two snapshots of it are compared one at a time. */
    public StoredTagSet lock(String resourceId) {
        return findById(resourceId, LockModeType.PESSIMISTIC_WRITE);
    }

    /** Writes the set into the given row, or into a new one if {@code row} is null. */
    public void store(StoredTagSet row, CollectedTagSet set) {
        StoredTagSet target = row != null ? row : new StoredTagSet();
        target.resourceId = set.resourceId();
        target.displayId = set.displayId();
        target.subscriptionId = set.subscriptionId();
        target.tenantId = set.tenantId();
        target.tags = toJson(set.tags());
        target.observedAt = set.observedAt();
        if (row == null) {
            persist(target);
        }
    }

    public CollectedTagSet toTagSet(StoredTagSet row) {
        return new CollectedTagSet(row.resourceId, row.displayId, row.subscriptionId, row.tenantId, fromJson(row.tags),
                row.observedAt);
    }

    // Pairs rather than a JSON object: jsonb reorders object keys, and the tags' order is Azure's, kept on purpose.
    private static String toJson(Map<String, String> tags) {
        try {
            return JSON.writeValueAsString(
                    tags.entrySet().stream().map(t -> List.of(t.getKey(), t.getValue())).toList());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write tags as JSON", e);
        }
    }

    private static Map<String, String> fromJson(String json) {
        try {
            Map<String, String> tags = new LinkedHashMap<>();
            JSON.readValue(json, PAIRS).forEach(pair -> tags.put(pair.get(0), pair.get(1)));
            return tags;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored tags are not a JSON array of [name, value] pairs", e);
        }
    }
}

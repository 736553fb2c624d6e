package dev.canopy.events.topic;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What it takes to create one Kafka topic, for AdminClient in the local stack and Strimzi {@code KafkaTopic}s in the
 * cluster alike. The replication factor is not here: it depends on the cluster (1 locally, 3 in production).
 *
 * @param name the topic name
 * @param partitions the partition count
 * @param cleanupPolicy compact or delete
 * @param retention how long a delete-policy topic keeps records; {@code null} means forever ({@code retention.ms=-1});
 *     must be {@code null} for a compacted topic, where the latest record per key is kept
 */
public record TopicSpec(String name, int partitions, CleanupPolicy cleanupPolicy, Duration retention) {

    /** Validates the spec. */
    public TopicSpec {
        Objects.requireNonNull(name, "name is required");
        Objects.requireNonNull(cleanupPolicy, "cleanupPolicy is required");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
        }
        if (cleanupPolicy == CleanupPolicy.COMPACT && retention != null) {
            throw new IllegalArgumentException("a compacted topic keeps the latest record per key; retention must be null");
        }
    }

    /**
     * @return the topic-level configs, e.g. {@code cleanup.policy=compact}, with Kafka's own config names
     */
    public Map<String, String> config() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("cleanup.policy", cleanupPolicy.configValue());
        if (cleanupPolicy == CleanupPolicy.DELETE) {
            config.put("retention.ms", retention == null ? "-1" : Long.toString(retention.toMillis()));
        }
        return Collections.unmodifiableMap(config);
    }
}

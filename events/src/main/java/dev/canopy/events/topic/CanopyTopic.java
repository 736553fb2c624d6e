package dev.canopy.events.topic;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every Canopy Kafka topic, declared once: name, partitions, cleanup policy and retention; each has a
 * {@code <name>.dlq} dead-letter topic for poison messages.
 *
 * <p>Partition counts are small on purpose (one tenant's volume is modest; partitions can be added, not removed).
 * Compacted topics hold the current state per key (a snapshot, a policy, a spend day); delete topics hold
 * happenings.
 */
public enum CanopyTopic {

    /** Onboarding and offboarding; key = tenant id. Kept forever: a new consumer must see every tenant. */
    TENANTS("canopy.tenants", 3, CleanupPolicy.DELETE, null),
    /** The single source of truth for sync policies; key = subscription id. */
    SUBSCRIPTION_POLICIES("canopy.subscription-policies", 3, CleanupPolicy.COMPACT, null),
    /** Latest resource / resource group snapshot; key = normalized ARM id; tombstone = vanished. */
    RESOURCES("canopy.resources", 6, CleanupPolicy.COMPACT, null),
    /** Latest tag snapshot; key = normalized ARM id; tombstone = vanished or tags no longer collected. */
    TAGS("canopy.tags", 6, CleanupPolicy.COMPACT, null),
    /** Spend per subscription, usage day and cost type; a restated day replaces the earlier one. */
    SPEND("canopy.spend", 6, CleanupPolicy.COMPACT, null),
    /**
     * Daily spend totals per currency as cost-service holds them ({@code SpendDailyTotal}); key = subscription / day /
     * cost type, as on {@link #SPEND}; tombstone = the day's spend is gone.
     */
    SPEND_DAILY("canopy.spend-daily", 3, CleanupPolicy.COMPACT, null),
    /** Collection run progress for ops dashboards; key = subscription id. */
    COLLECTION_RUNS("canopy.collection-runs", 3, CleanupPolicy.DELETE, Duration.ofDays(7)),
    /** Requested tag edits; key = normalized ARM id so edits of one resource stay in order. */
    TAG_EDITS("canopy.tag-edits", 6, CleanupPolicy.DELETE, Duration.ofDays(7)),
    /** Outcomes of tag edits; key = normalized ARM id. */
    TAG_EDIT_RESULTS("canopy.tag-edit-results", 3, CleanupPolicy.DELETE, Duration.ofDays(7));

    /** Suffix of every dead-letter topic. */
    public static final String DLQ_SUFFIX = ".dlq";
    /** Partitions of a dead-letter topic: order does not matter there, volume is tiny. */
    public static final int DLQ_PARTITIONS = 3;
    /** How long a dead-letter topic keeps a poison message: long enough for someone to look at it. */
    public static final Duration DLQ_RETENTION = Duration.ofDays(30);

    private final TopicSpec spec;

    CanopyTopic(String topicName, int partitions, CleanupPolicy cleanupPolicy, Duration retention) {
        this.spec = new TopicSpec(topicName, partitions, cleanupPolicy, retention);
    }

    /** @return the Kafka topic name, e.g. {@code canopy.tags} */
    public String topicName() {
        return spec.name();
    }

    /** @return the partition count */
    public int partitions() {
        return spec.partitions();
    }

    /** @return compact or delete */
    public CleanupPolicy cleanupPolicy() {
        return spec.cleanupPolicy();
    }

    /** @return everything needed to create the topic */
    public TopicSpec spec() {
        return spec;
    }

    /** @return the topic-level configs, e.g. {@code cleanup.policy -> compact} */
    public Map<String, String> config() {
        return spec.config();
    }

    /** @return the dead-letter topic name, {@code <name>.dlq} */
    public String dlqName() {
        return topicName() + DLQ_SUFFIX;
    }

    /** @return the dead-letter topic: every poison message kept (delete policy), whatever the main topic's policy */
    public TopicSpec dlq() {
        return new TopicSpec(dlqName(), DLQ_PARTITIONS, CleanupPolicy.DELETE, DLQ_RETENTION);
    }

    /** @return every topic and its dead-letter topic, in declaration order */
    public static List<TopicSpec> all() {
        List<TopicSpec> all = new ArrayList<>();
        for (CanopyTopic topic : values()) {
            all.add(topic.spec());
            all.add(topic.dlq());
        }
        return List.copyOf(all);
    }

    /**
     * @param topicName a Kafka topic name
     * @return the topic with that name
     * @throws IllegalArgumentException if no Canopy topic has that name
     */
    public static CanopyTopic fromTopicName(String topicName) {
        for (CanopyTopic topic : values()) {
            if (topic.topicName().equals(topicName)) {
                return topic;
            }
        }
        throw new IllegalArgumentException("Unknown Canopy topic '" + topicName + "'");
    }
}

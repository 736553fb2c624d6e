package dev.canopy.cost.ingest;

import dev.canopy.events.CanopyEvent;
import dev.canopy.events.azure.ArmResourceId;
import dev.canopy.events.topic.CanopyTopic;

/**
 * What cost-service does with the records of one topic. {@link RecordIngestor} calls these inside the transaction that
 * also records the event as processed, so an effect and its record in {@code processed_event} commit together.
 */
public interface TopicApplier {

    /** The topic whose records this applies. */
    CanopyTopic topic();

    /**
     * Applies an event of one of the topic's types.
     *
     * @throws IllegalArgumentException if the event makes no sense here (the record is dead-lettered)
     */
    void apply(CanopyEvent event);

    /**
     * A tombstone (null value) under the key: what the key stood for is gone.
     *
     * @throws IllegalArgumentException if the key is not one of the topic's keys (the record is dead-lettered)
     */
    void tombstone(String key);

    /** The failure for an event of a type this topic should not carry. */
    default IllegalArgumentException unexpected(CanopyEvent event) {
        return new IllegalArgumentException("unexpected event type " + event.type().typeName() + " on "
                + topic().topicName());
    }

    /** The normalized resource id a tombstone on a resource-keyed topic stands for. */
    default String resourceKey(String key) {
        String id = ArmResourceId.lenientKey(key);
        if (id == null) {
            throw new IllegalArgumentException("a tombstone on " + topic().topicName() + " needs a resource id key");
        }
        return id;
    }
}

package dev.canopy.tagsync.view;

import dev.canopy.events.CanopyEvent;
import dev.canopy.events.topic.CanopyTopic;

/**
 * What one view does with the records of its topic. The Kafka edge decodes each record, skips events already
 * processed, and calls these inside the transaction that also records the view's position, so a view and its
 * position always commit together.
 */
public interface ViewUpdater {

    /** The topic the view is built from. */
    CanopyTopic topic();

    /**
     * Applies an event not seen before, of one of the topic's types.
     *
     * @throws IllegalArgumentException if the event makes no sense for the view (the record is dead-lettered)
     */
    void apply(CanopyEvent event);

    /** A tombstone (null value) under the key. By default a tombstone is not an event, and is dead-lettered. */
    default void tombstone(String key) {
        throw new IllegalArgumentException("a tombstone is not an event on " + topic().topicName());
    }

    /** The record under this key (may be null) went to the dead-letter topic; by default nothing changes. */
    default void deadLettered(String key) {
    }

    /** Called after the commit: the view now holds the partition up to, not including, {@code nextOffset}. */
    default void committed(int partition, long nextOffset) {
    }
}

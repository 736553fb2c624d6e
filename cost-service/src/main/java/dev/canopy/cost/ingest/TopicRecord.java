package dev.canopy.cost.ingest;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import dev.canopy.events.CanopyEvent;

/**
 * One record read from a topic, decoded.
 *
 * @param topic the topic it was read from
 * @param partition its partition
 * @param offset its offset
 * @param key its key
 * @param event the event it carries, or {@code null} for a tombstone
 */
public record TopicRecord(String topic, int partition, long offset, String key, CanopyEvent event) {

    /** True for a tombstone. */
    public boolean isTombstone() {
        return event == null;
    }

    /**
     * The id under which the record is remembered as processed: the event id, or for a tombstone (which has none) an id
     * derived from its place in the topic. Without one, a tombstone redelivered after a crash would be applied again
     * while the snapshot that followed it is skipped as already processed — and the key would wrongly end up deleted.
     */
    public UUID processedId() {
        if (event != null) {
            return event.eventId();
        }
        return UUID.nameUUIDFromBytes((topic + "/" + partition + "/" + offset).getBytes(StandardCharsets.UTF_8));
    }

    /** For log lines: topic-partition@offset and the key. */
    public String describe() {
        return topic + "-" + partition + "@" + offset + " (key " + key + ")";
    }
}

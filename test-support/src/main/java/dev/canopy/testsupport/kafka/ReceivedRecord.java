package dev.canopy.testsupport.kafka;

import java.util.Map;

import dev.canopy.events.CanopyEvent;
import dev.canopy.events.json.EventJson;
import dev.canopy.events.topic.CloudEventHeaders;

/**
 * One record a test read from a topic: its key, its headers decoded as UTF-8, and its value.
 *
 * @param topic the topic it was read from
 * @param partition its partition
 * @param key the record key
 * @param headers the headers (the last value wins for a repeated name)
 * @param value the raw value; {@code null} for a tombstone
 */
public record ReceivedRecord(String topic, int partition, String key, Map<String, String> headers, byte[] value) {

    /** True for a tombstone: a null value that removes its key from a compacted topic. */
    public boolean isTombstone() {
        return value == null;
    }

    /** The CloudEvents type of the record, from its {@code ce_type} header. */
    public String ceType() {
        return headers.get(CloudEventHeaders.TYPE);
    }

    /** The event, read by its {@code ce_type} header. */
    public CanopyEvent event() {
        return EventJson.read(value, ceType());
    }

    /** The event as the given record class. */
    public <T extends CanopyEvent> T event(Class<T> type) {
        return type.cast(event());
    }
}

package dev.canopy.messaging.inbox;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import dev.canopy.events.CanopyEvent;
import dev.canopy.events.json.EventJson;
import dev.canopy.events.topic.CloudEventHeaders;

/**
 * Decodes a Kafka record published as a binary-mode CloudEvent into its Canopy event. Anything that is not one — a
 * tombstone, a missing {@code ce_type}, a payload that does not match it — is an IllegalArgumentException, which the
 * consuming channel's dead-letter strategy turns into a record on {@code <topic>.dlq} with the reason.
 */
public final class EventRecords {

    private EventRecords() {
    }

    /** @return the event the record carries */
    public static CanopyEvent decode(ConsumerRecord<String, byte[]> record) {
        return decode(record.value(), record.headers());
    }

    /** @return the event a record with this value and these headers carries */
    public static CanopyEvent decode(byte[] value, Headers headers) {
        if (value == null) {
            throw new IllegalArgumentException("a tombstone is not an event");
        }
        Header type = headers.lastHeader(CloudEventHeaders.TYPE);
        if (type == null) {
            throw new IllegalArgumentException("missing header " + CloudEventHeaders.TYPE);
        }
        return EventJson.read(value, new String(type.value(), StandardCharsets.UTF_8));
    }
}

package dev.canopy.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.canopy.events.topic.EventType;

import java.time.Instant;
import java.util.UUID;

/**
 * A Canopy event: the JSON data of one CloudEvent on Kafka. The envelope ({@code ce_*} headers) is derived from it,
 * see {@link dev.canopy.events.topic.CloudEventHeaders}.
 */
public interface CanopyEvent {

    /** @return unique id of this event ({@code ce_id}); consumers deduplicate on it */
    UUID eventId();

    /** @return when the fact happened ({@code ce_time}) — not when it was published */
    Instant occurredAt();

    /** @return the Kafka record key: events with the same key stay in order, and compaction keeps the latest per key */
    @JsonIgnore
    String kafkaKey();

    /** @return the CloudEvents type, which also names the record class and the topic */
    @JsonIgnore
    EventType type();
}

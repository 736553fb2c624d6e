package dev.canopy.events.topic;

import dev.canopy.events.CanopyEvent;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Kafka header names of CloudEvents 1.0 binary mode (the Kafka protocol binding: {@code ce_} prefix, the data's
 * media type in {@code content-type}) and of the dead-letter reason headers.
 */
public final class CloudEventHeaders {

    /** CloudEvents spec version header. */
    public static final String SPEC_VERSION = "ce_specversion";
    /** The only spec version Canopy writes. */
    public static final String SPEC_VERSION_1_0 = "1.0";
    /** Event id header ({@link CanopyEvent#eventId()}). */
    public static final String ID = "ce_id";
    /** Event type header ({@link EventType#typeName()}). */
    public static final String TYPE = "ce_type";
    /** Producer header: a URI reference naming the service, e.g. {@code /canopy/tag-sync-service}. */
    public static final String SOURCE = "ce_source";
    /** Occurrence time header, RFC 3339 ({@link CanopyEvent#occurredAt()}). */
    public static final String TIME = "ce_time";
    /** Subject header: what the event is about; Canopy puts the Kafka key here. */
    public static final String SUBJECT = "ce_subject";
    /** Media type of the record value (binary mode maps {@code datacontenttype} to this header). */
    public static final String CONTENT_TYPE = "content-type";
    /** Canopy's data is always JSON. */
    public static final String APPLICATION_JSON = "application/json";

    // Dead-letter headers: the names SmallRye Reactive Messaging's Kafka dead-letter-queue strategy writes
    // (KafkaDeadLetterQueue), so a hand-written DLQ producer and the connector's agree.
    /** The failure's message. */
    public static final String DLQ_REASON = "dead-letter-reason";
    /** The root cause's message, if any. */
    public static final String DLQ_CAUSE = "dead-letter-cause";
    /** The failure's exception class. */
    public static final String DLQ_EXCEPTION_CLASS = "dead-letter-exception-class-name";
    /** The root cause's exception class, if any. */
    public static final String DLQ_CAUSE_CLASS = "dead-letter-cause-class-name";
    /** The topic the poison message was read from. */
    public static final String DLQ_TOPIC = "dead-letter-topic";
    /** Its partition. */
    public static final String DLQ_PARTITION = "dead-letter-partition";
    /** Its offset. */
    public static final String DLQ_OFFSET = "dead-letter-offset";

    private CloudEventHeaders() {
    }

    /**
     * The binary-mode headers of an event, as strings (encode as UTF-8 bytes for Kafka).
     *
     * @param event the event
     * @param source the producing service, a URI reference such as {@code /canopy/collector-service}
     * @return header name to value, in a stable order
     */
    public static Map<String, String> binaryHeaders(CanopyEvent event, String source) {
        Objects.requireNonNull(event, "event is required");
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("source is required");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(SPEC_VERSION, SPEC_VERSION_1_0);
        headers.put(ID, event.eventId().toString());
        headers.put(TYPE, event.type().typeName());
        headers.put(SOURCE, source);
        // Instant.toString is ISO-8601 in UTC with a 'Z', which is valid RFC 3339.
        headers.put(TIME, event.occurredAt().toString());
        headers.put(SUBJECT, event.kafkaKey());
        headers.put(CONTENT_TYPE, APPLICATION_JSON);
        return Collections.unmodifiableMap(headers);
    }
}

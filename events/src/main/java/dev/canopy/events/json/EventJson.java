package dev.canopy.events.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.canopy.events.CanopyEvent;
import dev.canopy.events.topic.EventType;

import java.io.IOException;

/**
 * Canopy's one JSON mapping of events: {@link #write} and {@link #read} for producers, consumers and outbox relays.
 *
 * <p>Conventions (the golden files under {@code src/test/resources/golden} pin them):
 * <ul>
 *   <li>Field names are the record component names (camelCase); enums are written by name.</li>
 *   <li>{@code Instant} is an ISO-8601 UTC string ({@code "2024-09-01T06:00:00Z"}), {@code LocalDate} is
 *       {@code "2024-09-01"} — never numeric timestamps.</li>
 *   <li>Money ({@code BigDecimal}) is a JSON string in plain notation, scale kept ({@link DecimalStringSerializer}).</li>
 *   <li>Nulls are written, never omitted: every field is always present, so the shape of an event does not depend
 *       on its data and a consumer in any language sees an explicit {@code null} for "none".</li>
 *   <li>Unknown fields are ignored on read: schemas evolve additively, and an older consumer must accept a newer
 *       producer's event. A field missing on read becomes {@code null} (or 0/false for primitives) and the record's
 *       own validation decides whether that is acceptable.</li>
 *   <li>Unknown enum constants fail the read: adding a constant is not additive — deploy consumers first.</li>
 *   <li>Trailing content after the JSON object and duplicate field names are errors; error messages carry the
 *       position but not the payload (tags may carry customer data).</li>
 * </ul>
 * A Kafka tombstone (null value) is not an event: check for it before calling {@code read}.
 */
public final class EventJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .serializationInclusion(JsonInclude.Include.ALWAYS)
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();

    private EventJson() {
    }

    /**
     * @return a copy of the configured mapper, for code that needs Jackson directly (e.g. a framework serde);
     *     a copy so nobody can reconfigure the shared one
     */
    public static ObjectMapper mapper() {
        return MAPPER.copy();
    }

    /**
     * @param event the event
     * @return its JSON as UTF-8 bytes (compact)
     * @throws EventJsonException if the event cannot be serialized
     */
    public static byte[] write(CanopyEvent event) {
        if (event == null) {
            throw new EventJsonException(null, "Cannot write a null event", null);
        }
        try {
            return MAPPER.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new EventJsonException(event.type().typeName(),
                    "Cannot write " + describe(event.getClass()) + ": " + e.getOriginalMessage(), e);
        }
    }

    /**
     * @param json UTF-8 JSON
     * @param type the record (or any Jackson-readable class) to read
     * @param <T> the type read
     * @return the value, validated by its record constructor
     * @throws EventJsonException naming the type and the cause, for malformed JSON, invalid or missing fields
     */
    public static <T> T read(byte[] json, Class<T> type) {
        if (json == null) {
            throw new EventJsonException(describe(type), "Cannot read " + describe(type)
                    + ": no payload (a Kafka tombstone is not an event)", null);
        }
        T value;
        try {
            value = MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new EventJsonException(describe(type), "Cannot read " + describe(type) + ": " + e.getMessage(), e);
        }
        if (value == null) {
            throw new EventJsonException(describe(type), "Cannot read " + describe(type) + ": payload is JSON null", null);
        }
        return value;
    }

    /**
     * Reads an event by its {@code ce_type} header.
     *
     * @param json UTF-8 JSON
     * @param ceType the CloudEvents type, e.g. {@code canopy.tag.snapshot}
     * @return the event
     * @throws EventJsonException for an unknown type or a payload that is not a valid event of that type
     */
    public static CanopyEvent read(byte[] json, String ceType) {
        EventType type = EventType.find(ceType).orElseThrow(() -> new EventJsonException(ceType,
                "Cannot read event: unknown CloudEvents type '" + ceType + "'", null));
        return read(json, type.eventClass());
    }

    /** Names a class in messages: {@code canopy.tag.snapshot (TagSnapshot)} for events, the simple name otherwise. */
    private static String describe(Class<?> type) {
        for (EventType eventType : EventType.values()) {
            if (eventType.eventClass() == type) {
                return eventType.typeName() + " (" + type.getSimpleName() + ")";
            }
        }
        return type.getSimpleName();
    }
}

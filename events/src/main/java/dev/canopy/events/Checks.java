package dev.canopy.events;

import dev.canopy.events.azure.ArmResourceId;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The validation every event record's compact constructor shares, so a record states its rules in one line per
 * field. Messages name the field; Jackson adds the record type when a payload is read.
 */
final class Checks {

    private Checks() {
    }

    /** Requires the two envelope fields every event has. */
    static void envelope(UUID eventId, Instant occurredAt) {
        required(eventId, "eventId");
        required(occurredAt, "occurredAt");
    }

    static <T> T required(T value, String field) {
        if (value == null) {
            throw new NullPointerException(field + " is required");
        }
        return value;
    }

    static String text(String value, String field) {
        if (required(value, field).isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank");
        }
        return value;
    }

    /**
     * For Azure GUIDs used as keys (tenant and subscription ids): compared case-insensitively by Azure, so
     * lower-cased here — a compacted topic keyed by {@code ABC} and {@code abc} would keep two records.
     */
    static String azureId(String value, String field) {
        return text(value, field).toLowerCase(Locale.ROOT);
    }

    /** An ISO 4217 currency code, upper-cased: amounts are only ever added within one currency. */
    static String currency(String value, String field) {
        String code = text(value, field).toUpperCase(Locale.ROOT);
        if (!code.matches("[A-Z]{3}")) {
            throw new IllegalArgumentException(field + " must be a three-letter ISO 4217 code, was '" + code + "'");
        }
        return code;
    }

    static long nonNegative(long value, String field) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must not be negative, was " + value);
        }
        return value;
    }

    static <T> List<T> list(List<T> value, String field) {
        for (int i = 0; i < required(value, field).size(); i++) {
            required(value.get(i), field + "[" + i + "]");
        }
        return List.copyOf(value);
    }

    static <T> List<T> optionalList(List<T> value, String field) {
        return value == null ? null : list(value, field);
    }

    /** An immutable copy that keeps the tags' order (Azure returns them in a meaningful order; so do we). */
    static Map<String, String> tags(Map<String, String> value, String field) {
        required(value, field).forEach((name, tagValue) -> {
            required(name, field + " name");
            required(tagValue, field + "['" + name + "']");
        });
        return Collections.unmodifiableMap(new LinkedHashMap<>(value));
    }

    static Map<String, String> optionalTags(Map<String, String> value, String field) {
        return value == null ? null : tags(value, field);
    }

    /**
     * Parses an event's ARM id and checks it lies in the event's subscription.
     *
     * @return the parsed id; the record stores its {@link ArmResourceId#key()} and {@link ArmResourceId#displayId()}
     */
    static ArmResourceId armId(String id, String field, String subscriptionId) {
        ArmResourceId parsed;
        try {
            parsed = ArmResourceId.parse(text(id, field));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": " + e.getMessage(), e);
        }
        if (!parsed.subscriptionId().equalsIgnoreCase(subscriptionId)) {
            throw new IllegalArgumentException(field + " '" + id + "' is not in subscription " + subscriptionId);
        }
        return parsed;
    }

    /**
     * Checks that a normalized id and a display id name the same resource.
     *
     * @return the normalized key
     */
    static String sameResource(String resourceId, ArmResourceId display, String field) {
        String key = ArmResourceId.lenientKey(text(resourceId, field));
        if (!display.key().equals(key)) {
            throw new IllegalArgumentException(field + " '" + resourceId + "' is not the same resource as '"
                    + display.displayId() + "'");
        }
        return key;
    }
}

package dev.canopy.events.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Real tag maps from the FOCUS and EA samples, kept in {@code azure-samples/real-tag-maps.json} (origin inside). */
final class RealTagMaps {

    private static final JsonNode MAPS = load();

    private RealTagMaps() {
    }

    static Map<String, String> tags(String name) {
        Map<String, String> tags = new LinkedHashMap<>();
        MAPS.get(name).get("tags").fields().forEachRemaining(e -> tags.put(e.getKey(), e.getValue().asText()));
        return tags;
    }

    static ArmResourceId resourceId(String name) {
        return ArmResourceId.parse(MAPS.get(name).get("_resourceId").asText());
    }

    private static JsonNode load() {
        try (InputStream in = RealTagMaps.class.getResourceAsStream("/azure-samples/real-tag-maps.json")) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.canopy.events.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.canopy.events.topic.EventType;

/**
 * Pins what the golden samples cannot: the declared type of every field (also those that are null in a sample) and
 * every enum constant an event can carry. Renaming {@code APPLIED} or retyping a nullable field fails here.
 * Update on purpose with {@code -Dcanopy.golden.update=true}, like the golden files.
 */
class ContractVocabularyTest {

    private static final Path FILE = Path.of("src", "test", "resources", "contract", "vocabulary.json");
    private static final ObjectMapper MAPPER = EventJson.mapper();

    @Test
    void fieldTypesAndEnumConstantsMatchThePinnedVocabulary() throws IOException {
        JsonNode actual = vocabulary();
        if (Boolean.getBoolean("canopy.golden.update")) {
            Files.writeString(FILE, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(actual) + "\n");
            fail("Rewrote %s; review the diff and re-run without -Dcanopy.golden.update", FILE);
        }
        try (InputStream in = getClass().getResourceAsStream("/contract/vocabulary.json")) {
            assertThat(in).as("contract/vocabulary.json").isNotNull();
            assertThat(actual).isEqualTo(MAPPER.readTree(in));
        }
    }

    /** Walks every event record and what its fields refer to, in a stable (sorted) order. */
    private static JsonNode vocabulary() {
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode records = root.putObject("records");
        ObjectNode enums = root.putObject("enums");
        Deque<Class<?>> pending = new ArrayDeque<>();
        Set<Class<?>> seen = new HashSet<>();
        for (EventType type : EventType.values()) {
            pending.add(type.eventClass());
        }
        TreeMap<String, JsonNode> sortedRecords = new TreeMap<>();
        TreeMap<String, JsonNode> sortedEnums = new TreeMap<>();
        while (!pending.isEmpty()) {
            Class<?> type = pending.poll();
            if (!seen.add(type)) {
                continue;
            }
            if (type.isEnum()) {
                ArrayNode constants = MAPPER.createArrayNode();
                for (Object constant : type.getEnumConstants()) {
                    constants.add(((Enum<?>) constant).name());
                }
                sortedEnums.put(type.getName(), constants);
            } else if (type.isRecord()) {
                ObjectNode fields = MAPPER.createObjectNode();
                for (RecordComponent component : type.getRecordComponents()) {
                    fields.put(component.getName(), component.getGenericType().getTypeName());
                    collectCanopyTypes(component.getGenericType(), pending);
                }
                sortedRecords.put(type.getName(), fields);
            }
        }
        records.setAll(sortedRecords);
        enums.setAll(sortedEnums);
        return root;
    }

    private static void collectCanopyTypes(Type type, Deque<Class<?>> pending) {
        if (type instanceof ParameterizedType parameterized) {
            for (Type argument : parameterized.getActualTypeArguments()) {
                collectCanopyTypes(argument, pending);
            }
        } else if (type instanceof Class<?> cls && cls.getName().startsWith("dev.canopy.")) {
            pending.add(cls);
        }
    }
}

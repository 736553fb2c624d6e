package dev.canopy.events.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.canopy.events.CanopyEvent;
import dev.canopy.events.SampleEvents;
import dev.canopy.events.topic.EventType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Pins each event's JSON shape to {@code src/test/resources/golden/<ce-type>.json}: a renamed, retyped, added or
 * removed field fails here. An intended (additive!) change: run once with {@code -Dcanopy.golden.update=true}
 * (which rewrites the files and fails the run on purpose), review the diff, run again.
 */
class GoldenFileTest {

    private static final Path GOLDEN_DIR = Path.of("src", "test", "resources", "golden");
    private static final ObjectMapper MAPPER = EventJson.mapper();

    @ParameterizedTest
    @EnumSource(EventType.class)
    void serializedSampleHasTheGoldenShape(EventType type) throws IOException {
        JsonNode actual = MAPPER.readTree(EventJson.write(SampleEvents.of(type)));
        if (Boolean.getBoolean("canopy.golden.update")) {
            Files.writeString(GOLDEN_DIR.resolve(type.typeName() + ".json"),
                    MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(actual) + "\n");
            fail("Rewrote golden file for %s; review the diff and re-run without -Dcanopy.golden.update", type.typeName());
        }
        assertThat(actual).isEqualTo(golden(type));
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void goldenFileReadsBackToTheSample(EventType type) {
        CanopyEvent read = EventJson.read(goldenBytes(type), type.typeName());

        assertThat(read).isEqualTo(SampleEvents.of(type));
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void unknownFieldsAreIgnoredOnRead(EventType type) throws IOException {
        ObjectNode newer = (ObjectNode) golden(type);
        newer.put("fieldAddedByANewerProducer", "ignored");
        newer.putObject("anotherNewObject").put("depth", 2);

        CanopyEvent read = EventJson.read(MAPPER.writeValueAsBytes(newer), type.typeName());

        assertThat(read).isEqualTo(SampleEvents.of(type));
    }

    @Test
    void everyEventTypeHasAGoldenFileAndEveryGoldenFileAType() throws IOException {
        List<String> expected = Arrays.stream(EventType.values()).map(t -> t.typeName() + ".json").sorted().toList();
        List<String> present;
        try (Stream<Path> files = Files.list(GOLDEN_DIR)) {
            present = files.map(p -> p.getFileName().toString()).sorted().toList();
        }

        assertThat(present).isEqualTo(expected);
    }

    @Test
    void goldenFilesHaveNoKafkaKeyOrTypeField() {
        for (EventType type : EventType.values()) {
            assertThat(golden(type).has("kafkaKey")).as(type.typeName()).isFalse();
            assertThat(golden(type).has("type")).as(type.typeName()).isFalse();
        }
    }

    private static JsonNode golden(EventType type) {
        try {
            return MAPPER.readTree(goldenBytes(type));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] goldenBytes(EventType type) {
        String resource = "/golden/" + type.typeName() + ".json";
        try (InputStream in = GoldenFileTest.class.getResourceAsStream(resource)) {
            assertThat(in).as("golden file %s", resource).isNotNull();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

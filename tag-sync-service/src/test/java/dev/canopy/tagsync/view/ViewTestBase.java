package dev.canopy.tagsync.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import dev.canopy.events.topic.CanopyTopic;
import dev.canopy.events.topic.CloudEventHeaders;
import dev.canopy.events.topic.EventType;
import dev.canopy.tagsync.repository.ViewPositionRepository;
import dev.canopy.testsupport.kafka.EventTopicClient;
import dev.canopy.testsupport.kafka.ReceivedRecord;

/**
 * Shared steps of the view tests: a client of the test broker, fresh ids (tests share the topics, never a key),
 * waiting until a view has moved past a record, and checking a dead-lettered record.
 */
abstract class ViewTestBase {

    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final byte[] NOT_JSON = "{not json".getBytes(StandardCharsets.UTF_8);

    @Inject
    ViewPositionRepository positions;

    EventTopicClient kafka;

    @BeforeEach
    void connect() {
        kafka = EventTopicClient.forTestKafka();
    }

    @AfterEach
    void disconnect() {
        kafka.close();
    }

    static String newId() {
        return UUID.randomUUID().toString();
    }

    /** The headers of an event of that type (a poison record carries them too: only its value is bad). */
    static Map<String, String> headersOf(EventType type) {
        return Map.of(CloudEventHeaders.TYPE, type.typeName(), CloudEventHeaders.ID, newId());
    }

    /** Waits until the view of the record's topic has moved past it: applied, skipped or dead-lettered. */
    void awaitPast(RecordMetadata record) {
        await().atMost(TIMEOUT).until(() -> positionOf(record) > record.offset());
    }

    long positionOf(RecordMetadata record) {
        return positions.positions(record.topic()).getOrDefault(record.partition(), 0L);
    }

    /** Waits for the record's copy on the topic's dead-letter topic and checks SmallRye's reason headers. */
    ReceivedRecord awaitDeadLettered(CanopyTopic topic, String key, RecordMetadata original) {
        ReceivedRecord dead = kafka.awaitRecord(topic.dlqName(), r -> key.equals(r.key()), TIMEOUT);
        assertThat(dead.headers())
                .containsEntry(CloudEventHeaders.DLQ_TOPIC, topic.topicName())
                .containsEntry(CloudEventHeaders.DLQ_PARTITION, String.valueOf(original.partition()))
                .containsEntry(CloudEventHeaders.DLQ_OFFSET, String.valueOf(original.offset()))
                .containsKey(CloudEventHeaders.DLQ_EXCEPTION_CLASS);
        assertThat(dead.headers().get(CloudEventHeaders.DLQ_REASON)).isNotBlank();
        return dead;
    }
}

package dev.canopy.messaging.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

import dev.canopy.events.SubscriptionPolicyChanged;
import dev.canopy.events.json.EventJson;
import dev.canopy.events.policy.SyncPolicy;
import dev.canopy.events.topic.CanopyTopic;
import dev.canopy.events.topic.CloudEventHeaders;

/**
 * What the relay sends for an outbox row: an event as JSON with its CloudEvents headers, a tombstone as a record
 * without a value. (The services' tests send both through a real broker.)
 */
class OutboxRecordTest {

    private static final String SOURCE = "/canopy/test-service";

    @Test
    void theProducerAcceptsAnAckTimeoutShorterThanItsRequestTimeout() {
        // Kafka refuses delivery.timeout < linger + request.timeout; the producer is only configured here, never
        // connected, so no broker is needed.
        for (Duration ackTimeout : List.of(Duration.ofSeconds(1), Duration.ofSeconds(15), Duration.ofSeconds(30))) {
            OutboxProducer producer = new OutboxProducer("127.0.0.1:1", "test-service", ackTimeout);
            assertThat(producer.source()).isEqualTo(SOURCE);
            producer.close();
        }
    }

    @Test
    void anEventRowIsSentAsItsJsonWithTheCloudEventsHeaders() {
        SubscriptionPolicyChanged event = new SubscriptionPolicyChanged(UUID.randomUUID(), Instant.now(),
                "0f8c3a5e-2b1d-4e6f-9a7c-5d3e1b2a4c6f", "9ec51cfd-5ca7-4d76-8101-dd0a4abc5674",
                SyncPolicy.NO_TAGS, SyncPolicy.READ_WRITE_TAGS, "admin");
        OutboxEvent row = row(event.type().topic(), event.kafkaKey(), event.type().typeName(),
                new String(EventJson.write(event), StandardCharsets.UTF_8));

        ProducerRecord<String, byte[]> record = OutboxProducer.record(row, OutboxRelay.headersOf(row, SOURCE));

        assertThat(row.isTombstone()).isFalse();
        assertThat(record.topic()).isEqualTo("canopy.subscription-policies");
        assertThat(record.key()).isEqualTo(event.subscriptionId());
        assertThat(EventJson.read(record.value(), SubscriptionPolicyChanged.class)).isEqualTo(event);
        assertThat(headers(record)).containsEntry(CloudEventHeaders.TYPE, "canopy.subscription.policy-changed")
                .containsEntry(CloudEventHeaders.ID, event.eventId().toString())
                .containsEntry(CloudEventHeaders.SOURCE, SOURCE);
    }

    @Test
    void aTombstoneRowIsSentWithoutAValueAndWithOnlyItsSubject() {
        OutboxEvent row = row(CanopyTopic.SPEND_DAILY, "9ec51cfd/2026-10-01/ACTUAL", null, null);

        ProducerRecord<String, byte[]> record = OutboxProducer.record(row, OutboxRelay.headersOf(row, SOURCE));

        assertThat(row.isTombstone()).isTrue();
        assertThat(record.topic()).isEqualTo("canopy.spend-daily");
        assertThat(record.key()).isEqualTo("9ec51cfd/2026-10-01/ACTUAL");
        assertThat(record.value()).isNull();
        assertThat(headers(record)).containsExactly(Map.entry(CloudEventHeaders.SUBJECT, "9ec51cfd/2026-10-01/ACTUAL"));
    }

    @Test
    void aTombstoneNeedsACompactedTopicAndAKey() {
        // Both checks come before the writer touches its collaborators or the transaction.
        OutboxWriter writer = new OutboxWriter(null, null, null);

        assertThatThrownBy(() -> writer.appendTombstone(CanopyTopic.TAG_EDITS, "k"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("compacted topic");
        assertThatThrownBy(() -> writer.appendTombstone(CanopyTopic.SPEND_DAILY, null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("key");
    }

    private static OutboxEvent row(CanopyTopic topic, String key, String type, String payload) {
        OutboxEvent row = new OutboxEvent();
        row.id = UUID.randomUUID();
        row.topic = topic.topicName();
        row.kafkaKey = key;
        row.eventType = type;
        row.payload = payload;
        return row;
    }

    private static Map<String, String> headers(ProducerRecord<String, byte[]> record) {
        Map<String, String> byName = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            byName.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
        }
        return byName;
    }
}

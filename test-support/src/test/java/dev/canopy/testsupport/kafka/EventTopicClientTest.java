package dev.canopy.testsupport.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.canopy.events.OnboardedSubscription;
import dev.canopy.events.TenantOnboarded;
import dev.canopy.events.topic.CanopyTopic;
import dev.canopy.events.topic.CloudEventHeaders;

/** Round trips through the real broker with the client the service tests use. */
class EventTopicClientTest {

    private static EventTopicClient client;

    @BeforeAll
    static void connect() {
        client = EventTopicClient.forTestKafka();
    }

    @AfterAll
    static void disconnect() {
        client.close();
    }

    @Test
    void publishedEventComesBackEqualWithItsCloudEventHeaders() {
        String tenantId = UUID.randomUUID().toString();
        TenantOnboarded sent = new TenantOnboarded(UUID.randomUUID(), Instant.parse("2026-12-01T10:15:30Z"),
                tenantId, UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                List.of(new OnboardedSubscription(UUID.randomUUID().toString(), "Production", true)));

        client.publish(sent);
        ReceivedRecord received = client.awaitRecord(CanopyTopic.TENANTS.topicName(),
                record -> tenantId.equals(record.key()), Duration.ofSeconds(30));

        assertThat(received.event(TenantOnboarded.class)).isEqualTo(sent);
        assertThat(received.headers())
                .containsEntry(CloudEventHeaders.SPEC_VERSION, "1.0")
                .containsEntry(CloudEventHeaders.ID, sent.eventId().toString())
                .containsEntry(CloudEventHeaders.TYPE, "canopy.tenant.onboarded")
                .containsEntry(CloudEventHeaders.SOURCE, EventTopicClient.TEST_SOURCE)
                .containsEntry(CloudEventHeaders.TIME, "2026-12-01T10:15:30Z")
                .containsEntry(CloudEventHeaders.CONTENT_TYPE, "application/json");
    }

    @Test
    void tombstonesAndRawRecordsAreReadAsTheyWereWritten() {
        String topic = CanopyTopic.RESOURCES.dlqName();
        String key = "/subscriptions/" + UUID.randomUUID();
        client.publishRaw(topic, key, "not json".getBytes(StandardCharsets.UTF_8), Map.of("why", "poison"));
        client.publishRaw(topic, key, null, Map.of());

        List<ReceivedRecord> forKey = client.awaitRecords(topic, record -> key.equals(record.key()), 2,
                Duration.ofSeconds(30));

        assertThat(forKey).hasSize(2);
        assertThat(forKey.get(0).isTombstone()).isFalse();
        assertThat(forKey.get(0).headers()).containsEntry("why", "poison");
        assertThat(forKey.get(1).isTombstone()).isTrue();
    }

    @Test
    void waitingForWhatNeverComesFailsWithinItsBound() {
        long started = System.nanoTime();

        assertThatThrownBy(() -> client.awaitRecord(CanopyTopic.TAG_EDIT_RESULTS.topicName(),
                record -> "no-such-key".equals(record.key()), Duration.ofSeconds(2)))
                .isInstanceOf(ConditionTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void readAllReturnsExactlyWhatIsOnTheTopicNow() {
        String topic = CanopyTopic.COLLECTION_RUNS.dlqName();
        int before = client.readAll(topic, Duration.ofSeconds(30)).size();
        client.publishRaw(topic, "k", "v".getBytes(StandardCharsets.UTF_8), Map.of());

        assertThat(client.readAll(topic, Duration.ofSeconds(30))).hasSize(before + 1);
    }
}

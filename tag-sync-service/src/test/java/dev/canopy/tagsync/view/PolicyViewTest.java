package dev.canopy.tagsync.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import dev.canopy.events.SubscriptionPolicyChanged;
import dev.canopy.events.json.EventJson;
import dev.canopy.events.json.EventJsonException;
import dev.canopy.events.policy.SyncPolicy;
import dev.canopy.events.topic.CanopyTopic;
import dev.canopy.events.topic.CloudEventHeaders;
import dev.canopy.events.topic.EventType;
import dev.canopy.messaging.inbox.ProcessedEventRepository;
import dev.canopy.testsupport.azure.AzureEmulatorResource;
import dev.canopy.testsupport.db.PostgresDatabaseResource;
import dev.canopy.testsupport.kafka.EventTopicClient;
import dev.canopy.testsupport.kafka.KafkaBrokerResource;
import dev.canopy.testsupport.kafka.ReceivedRecord;
import dev.canopy.testsupport.kafka.TestKafka;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The policy view: latest policy wins, awaitCaughtUp's guarantee and its timeout, poison, redelivery, tombstones. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PostgresDatabaseResource.class)
@WithTestResource(AzureEmulatorResource.class)
class PolicyViewTest extends ViewTestBase {

    private static final String TOPIC = CanopyTopic.SUBSCRIPTION_POLICIES.topicName();
    private static final Duration CAUGHT_UP = Duration.ofSeconds(10);

    @Inject
    PolicyView view;

    @Inject
    ProcessedEventRepository processed;

    @Inject
    AgroalDataSource dataSource;

    private final String tenant = newId();

    @Test
    void theLatestPolicyWinsAndAnUnseenSubscriptionHasNone() {
        String subscription = newId();
        kafka.publish(changed(subscription, SyncPolicy.READ_TAGS_ONLY, null));
        kafka.publish(changed(subscription, SyncPolicy.NO_TAGS, SyncPolicy.READ_TAGS_ONLY));

        view.awaitCaughtUp(CAUGHT_UP);

        assertThat(view.policyOf(subscription.toUpperCase())).contains(SyncPolicy.NO_TAGS);
        assertThat(view.policyOf(newId())).isEmpty();
    }

    @Test
    void awaitCaughtUpSeesEveryPolicyChangeAcknowledgedBeforeTheCall() {
        // Several subscriptions spread over the partitions; each round gives every one a new policy. publish returns
        // once Kafka acknowledged the record, as consent-service's PUT does, and the very next call must see it.
        List<String> subscriptions = List.of(newId(), newId(), newId(), newId());
        SyncPolicy[] policies = SyncPolicy.values();
        for (int i = 0; i < 80; i++) {
            String subscription = subscriptions.get(i % subscriptions.size());
            SyncPolicy policy = policies[(i / subscriptions.size()) % policies.length];
            kafka.publish(changed(subscription, policy, null));

            view.awaitCaughtUp(CAUGHT_UP);

            assertThat(view.policyOf(subscription)).as("change %d", i).contains(policy);
        }
    }

    @Test
    void awaitCaughtUpTimesOutWhileThePolicyConsumerIsStuckAndReturnsOnceItGoesOn() throws Exception {
        String subscription = newId();
        kafka.publish(changed(subscription, SyncPolicy.READ_WRITE_TAGS, null));
        view.awaitCaughtUp(CAUGHT_UP);

        try (Connection blocker = dataSource.getConnection(); Statement sql = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            // The consumer's write of the next policy waits for this lock: a really stuck consumer, Kafka untouched.
            sql.execute("LOCK TABLE subscription_policy IN EXCLUSIVE MODE");
            kafka.publish(changed(subscription, SyncPolicy.READ_TAGS_ONLY, SyncPolicy.READ_WRITE_TAGS));

            assertThatThrownBy(() -> view.awaitCaughtUp(Duration.ofSeconds(1)))
                    .isInstanceOf(PolicyViewBehindException.class)
                    .hasMessageContaining(TOPIC);
            // What a caller that skipped awaitCaughtUp would have acted on.
            assertThat(view.policyOf(subscription)).contains(SyncPolicy.READ_WRITE_TAGS);
            blocker.rollback();
        }

        view.awaitCaughtUp(CAUGHT_UP);
        assertThat(view.policyOf(subscription)).contains(SyncPolicy.READ_TAGS_ONLY);
    }

    @Test
    void offsetsWithoutRecordsDoNotHoldAwaitCaughtUpBack() throws Exception {
        // A transactional producer leaves a commit or abort marker after its records, and an aborted record is never
        // delivered: offsets below the end with nothing to apply, as records removed by compaction are.
        String subscription = newId();
        try (KafkaProducer<String, byte[]> producer = transactionalProducer()) {
            producer.initTransactions();
            RecordMetadata committed = sendInTransaction(producer, changed(subscription, SyncPolicy.READ_TAGS_ONLY, null),
                    true);
            // commitTransaction returns once the coordinator took the commit; it writes the partition's marker after
            // that. Only then is the record stable (below the last stable offset) — the moment it counts as acked.
            awaitStable(committed);
            view.awaitCaughtUp(CAUGHT_UP);
            assertThat(view.policyOf(subscription)).contains(SyncPolicy.READ_TAGS_ONLY);

            sendInTransaction(producer, changed(subscription, SyncPolicy.READ_WRITE_TAGS, SyncPolicy.READ_TAGS_ONLY),
                    false);
            view.awaitCaughtUp(CAUGHT_UP);
            assertThat(view.policyOf(subscription)).contains(SyncPolicy.READ_TAGS_ONLY);
        }
    }

    @Test
    void aPoisonPolicyIsDeadLetteredMakesThePolicyUnknownAndDoesNotHoldTheViewBack() {
        String subscription = newId();
        kafka.publish(changed(subscription, SyncPolicy.READ_WRITE_TAGS, null));
        view.awaitCaughtUp(CAUGHT_UP);

        RecordMetadata poison = kafka.publishRaw(TOPIC, subscription, NOT_JSON,
                headersOf(EventType.SUBSCRIPTION_POLICY_CHANGED));

        view.awaitCaughtUp(CAUGHT_UP);
        assertThat(positionOf(poison)).isGreaterThan(poison.offset());
        // The subscription's newest record could not be read, so the policy before it is no longer trusted.
        assertThat(view.policyOf(subscription)).isEmpty();
        ReceivedRecord dead = awaitDeadLettered(CanopyTopic.SUBSCRIPTION_POLICIES, subscription, poison);
        assertThat(dead.headers())
                .containsEntry(CloudEventHeaders.DLQ_EXCEPTION_CLASS, EventJsonException.class.getName());

        kafka.publish(changed(subscription, SyncPolicy.NO_TAGS, null));
        view.awaitCaughtUp(CAUGHT_UP);
        assertThat(view.policyOf(subscription)).contains(SyncPolicy.NO_TAGS);
    }

    @Test
    void aRedeliveredPolicyEventIsAppliedOnce() {
        String subscription = newId();
        SubscriptionPolicyChanged first = changed(subscription, SyncPolicy.READ_TAGS_ONLY, null);
        kafka.publish(first);
        kafka.publish(changed(subscription, SyncPolicy.NO_TAGS, SyncPolicy.READ_TAGS_ONLY));
        kafka.publish(first); // Kafka delivers at least once; the older event must not win again

        view.awaitCaughtUp(CAUGHT_UP);

        assertThat(view.policyOf(subscription)).contains(SyncPolicy.NO_TAGS);
        assertThat(QuarkusTransaction.requiringNew().call(() -> processed.count("eventId", first.eventId())))
                .isEqualTo(1);
    }

    @Test
    void aTombstoneMakesThePolicyUnknown() {
        String subscription = newId();
        kafka.publish(changed(subscription, SyncPolicy.READ_WRITE_TAGS, null));
        kafka.publishRaw(TOPIC, subscription, null, Map.of());

        view.awaitCaughtUp(CAUGHT_UP);

        assertThat(view.policyOf(subscription)).isEmpty();
    }

    private SubscriptionPolicyChanged changed(String subscription, SyncPolicy policy, SyncPolicy previous) {
        return new SubscriptionPolicyChanged(UUID.randomUUID(), Instant.now(), tenant, subscription, policy, previous,
                "admin");
    }

    private static KafkaProducer<String, byte[]> transactionalProducer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "policy-view-test-" + UUID.randomUUID(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    }

    private static void awaitStable(RecordMetadata record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        try (KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            await().atMost(CAUGHT_UP).until(() -> reader.endOffsets(List.of(partition)).get(partition) > record.offset());
        }
    }

    private static RecordMetadata sendInTransaction(KafkaProducer<String, byte[]> producer,
            SubscriptionPolicyChanged event, boolean commit) throws Exception {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(TOPIC, event.kafkaKey(), EventJson.write(event));
        CloudEventHeaders.binaryHeaders(event, EventTopicClient.TEST_SOURCE)
                .forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
        producer.beginTransaction();
        RecordMetadata sent = producer.send(record).get(30, TimeUnit.SECONDS);
        if (commit) {
            producer.commitTransaction();
        } else {
            producer.abortTransaction();
        }
        return sent;
    }
}

package dev.canopy.testsupport.kafka;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.canopy.events.CanopyEvent;
import dev.canopy.events.json.EventJson;
import dev.canopy.events.topic.CloudEventHeaders;

/**
 * A test's hands on the broker: publishes Canopy events as CloudEvents (binary mode), or any raw record, and reads
 * topics from the beginning until what the test expects is there or the bound runs out.
 */
public final class EventTopicClient implements AutoCloseable {

    /** The {@code ce_source} of events a test publishes. */
    public static final String TEST_SOURCE = "/canopy/test";

    private final String bootstrapServers;
    private final KafkaProducer<String, byte[]> producer;

    /** A client of the given broker. */
    public EventTopicClient(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    }

    /** A client of the test JVM's broker (see {@link TestKafka}). */
    public static EventTopicClient forTestKafka() {
        return new EventTopicClient(TestKafka.bootstrapServers());
    }

    /** Publishes an event to its type's topic, keyed and headed as Canopy's producers do; waits for the ack. */
    public RecordMetadata publish(CanopyEvent event) {
        return publishRaw(event.type().topic().topicName(), event.kafkaKey(), EventJson.write(event),
                CloudEventHeaders.binaryHeaders(event, TEST_SOURCE));
    }

    /** Publishes any record (a tombstone when {@code value} is null, or a poison message); waits for the ack. */
    public RecordMetadata publishRaw(String topic, String key, byte[] value, Map<String, String> headers) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value);
        headers.forEach((name, headerValue) -> record.headers().add(name, headerValue.getBytes(StandardCharsets.UTF_8)));
        try {
            return producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not publish to " + topic + ": " + e.getCause().getMessage(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("publishing to " + topic + " was not acknowledged within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing to " + topic, e);
        }
    }

    /**
     * Reads the topic from its beginning until at least {@code count} records match, and returns those that do.
     *
     * @throws org.awaitility.core.ConditionTimeoutException when fewer match within {@code timeout}
     */
    public List<ReceivedRecord> awaitRecords(String topic, Predicate<ReceivedRecord> match, int count,
            Duration timeout) {
        return readUntil(topic, seen -> seen.stream().filter(match).count() >= count, timeout)
                .stream().filter(match).toList();
    }

    /**
     * Reads the topic from its beginning until a record matches, and returns the first that does.
     *
     * @throws org.awaitility.core.ConditionTimeoutException when none matches within {@code timeout}
     */
    public ReceivedRecord awaitRecord(String topic, Predicate<ReceivedRecord> match, Duration timeout) {
        return readUntil(topic, seen -> seen.stream().anyMatch(match), timeout)
                .stream().filter(match).findFirst().orElseThrow();
    }

    /** Everything on the topic right now, read from the beginning up to its current end. */
    public List<ReceivedRecord> readAll(String topic, Duration timeout) {
        try (KafkaConsumer<String, byte[]> consumer = consumerAtBeginning(topic)) {
            Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
            List<ReceivedRecord> seen = new ArrayList<>();
            await().atMost(timeout).until(() -> {
                poll(consumer, seen);
                return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
            });
            return seen;
        }
    }

    private List<ReceivedRecord> readUntil(String topic, Predicate<List<ReceivedRecord>> done, Duration timeout) {
        try (KafkaConsumer<String, byte[]> consumer = consumerAtBeginning(topic)) {
            List<ReceivedRecord> seen = new ArrayList<>();
            await().atMost(timeout).pollInterval(Duration.ofMillis(50)).until(() -> {
                poll(consumer, seen);
                return done.test(seen);
            });
            return seen;
        }
    }

    private static void poll(KafkaConsumer<String, byte[]> consumer, List<ReceivedRecord> seen) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            Map<String, String> headers = new LinkedHashMap<>();
            for (Header header : record.headers()) {
                headers.put(header.key(), header.value() == null ? null
                        : new String(header.value(), StandardCharsets.UTF_8));
            }
            seen.add(new ReceivedRecord(record.topic(), record.partition(), record.key(), headers, record.value()));
        }
    }

    // Assigning partitions directly (no group) reads everything from offset 0 without joining a consumer group,
    // so a test never competes with the app under test for partitions and never commits offsets.
    private KafkaConsumer<String, byte[]> consumerAtBeginning(String topic) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, "canopy-test-reader-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}

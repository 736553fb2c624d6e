package dev.canopy.collector.messaging;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.canopy.events.CanopyEvent;
import dev.canopy.events.json.EventJson;
import dev.canopy.events.topic.CanopyTopic;
import dev.canopy.events.topic.CloudEventHeaders;
import io.smallrye.common.annotation.Identifier;

/**
 * Publishes Canopy events as CloudEvents (binary mode) and tombstones. A plain idempotent producer rather than an
 * emitter: a run sends thousands of records and must know, before it records fingerprints, that all were acked.
 */
@ApplicationScoped
public class EventPublisher {

    /** The {@code ce_source} of everything the collector publishes. */
    public static final String SOURCE = "/canopy/collector-service";
    /** Header on a tombstone saying why the key was deleted (VANISHED, POLICY, OFFBOARDED). */
    public static final String DELETION_REASON = "canopy-deletion-reason";

    private final KafkaProducer<String, byte[]> producer;

    public EventPublisher(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaConfig.get("bootstrap.servers"));
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "collector-service-publisher");
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    /** A batch of sends that is awaited as a whole. */
    public final class Batch {
        private final List<Future<RecordMetadata>> sent = new ArrayList<>();
        private int count;

        public void publish(CanopyEvent event) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(event.type().topic().topicName(),
                    event.kafkaKey(), EventJson.write(event));
            CloudEventHeaders.binaryHeaders(event, SOURCE)
                    .forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
            sent.add(producer.send(record));
            count++;
        }

        public void tombstone(CanopyTopic topic, String key, String reason) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic.topicName(), key, null);
            record.headers().add(CloudEventHeaders.SUBJECT, key.getBytes(StandardCharsets.UTF_8));
            record.headers().add(DELETION_REASON, reason.getBytes(StandardCharsets.UTF_8));
            sent.add(producer.send(record));
            count++;
        }

        /** @return records sent through this batch so far, acked or not */
        public int size() {
            return count;
        }

        /** Waits until the broker acked every record of the batch; throws if one was not. */
        public void await() {
            producer.flush();
            for (Future<RecordMetadata> future : sent) {
                try {
                    future.get(60, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    throw new IllegalStateException("Kafka refused a record: " + e.getCause().getMessage(), e);
                } catch (TimeoutException e) {
                    throw new IllegalStateException("Kafka did not ack a record within 60 s", e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while publishing", e);
                }
            }
            sent.clear();
        }
    }

    public Batch batch() {
        return new Batch();
    }

    /** Publishes one event and waits for the ack. */
    public void publishNow(CanopyEvent event) {
        Batch batch = batch();
        batch.publish(event);
        batch.await();
    }

    @PreDestroy
    void close() {
        producer.close();
    }
}

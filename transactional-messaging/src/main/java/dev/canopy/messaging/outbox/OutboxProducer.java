package dev.canopy.messaging.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Sends outbox rows to Kafka as CloudEvents (binary mode) through one idempotent producer ({@code acks=all}), and
 * reports the broker's acknowledgement. A plain producer rather than a messaging channel: the relay must know, row by
 * row, that the broker has the record before it marks the row published.
 */
@ApplicationScoped
public class OutboxProducer {

    private final KafkaProducer<String, byte[]> producer;
    private final Duration ackTimeout;
    private final String source;

    public OutboxProducer(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            @ConfigProperty(name = "quarkus.application.name") String applicationName,
            @ConfigProperty(name = "canopy.outbox.ack-timeout", defaultValue = "PT30S") Duration ackTimeout) {
        this.ackTimeout = ackTimeout;
        this.source = "/canopy/" + applicationName;
        // Idempotence keeps retried sends from duplicating or reordering records within a partition.
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, applicationName + "-outbox",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) ackTimeout.toMillis(),
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(ackTimeout.toMillis(), 15_000),
                // Kafka requires delivery.timeout >= linger + request.timeout; with no linger that holds for any
                // ack timeout (the relay sends a batch before it waits, so lingering gains it nothing).
                ProducerConfig.LINGER_MS_CONFIG, 0,
                // send() blocks while the topic's metadata is unknown (broker down); bound it well inside the
                // transaction timeout so the caller gets the designed 503, not a 500 from a dead transaction.
                ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) Math.min(ackTimeout.toMillis(), 10_000),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    }

    /** {@code ce_source} of every event this service publishes: {@code /canopy/<quarkus.application.name>}. */
    public String source() {
        return source;
    }

    /** Starts sending a row; the returned future completes when the broker acknowledged it. */
    public Future<RecordMetadata> send(OutboxEvent row, Map<String, String> headers) {
        return producer.send(record(row, headers));
    }

    /** The Kafka record of a row: its JSON as the value, or no value at all for a tombstone. */
    static ProducerRecord<String, byte[]> record(OutboxEvent row, Map<String, String> headers) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(row.topic, row.kafkaKey,
                row.isTombstone() ? null : row.payload.getBytes(StandardCharsets.UTF_8));
        headers.forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
        return record;
    }

    /** Waits for a send's acknowledgement within the configured bound. */
    public RecordMetadata awaitAck(Future<RecordMetadata> ack) {
        try {
            return ack.get(ackTimeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka did not acknowledge an event: " + e.getCause().getMessage(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not acknowledge an event within " + ackTimeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka", e);
        }
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(5));
    }
}

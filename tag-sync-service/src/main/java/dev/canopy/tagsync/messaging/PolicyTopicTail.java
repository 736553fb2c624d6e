package dev.canopy.tagsync.messaging;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.canopy.events.topic.CanopyTopic;

/**
 * Asks Kafka where canopy.subscription-policies ends, and whether offsets below the end hold records at all. Two
 * plain consumers without a group (never committing, never competing with {@code policies-in}); each is used by one
 * thread at a time, as Kafka consumers must be.
 */
@ApplicationScoped
public class PolicyTopicTail {

    private static final String TOPIC = CanopyTopic.SUBSCRIPTION_POLICIES.topicName();
    // A probe is for a view that is a little short; one much further behind has real records to apply first.
    private static final int PROBE_RECORDS = 500;
    private static final Duration PROBE_BUDGET = Duration.ofSeconds(1);
    private static final Duration PROBE_POLL = Duration.ofMillis(50);

    private final KafkaConsumer<byte[], byte[]> endReader;
    private final KafkaConsumer<byte[], byte[]> prober;
    private final ReentrantLock endLock = new ReentrantLock();
    private final ReentrantLock probeLock = new ReentrantLock();

    public PolicyTopicTail(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            @ConfigProperty(name = "quarkus.application.name") String applicationName) {
        this.endReader = consumer(bootstrapServers, applicationName + "-policy-ends");
        this.prober = consumer(bootstrapServers, applicationName + "-policy-probe");
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrapServers, String clientId) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, clientId,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // The last stable offset, and only committed records: the same view of the topic as policies-in has.
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, PROBE_RECORDS,
                // Partitions added to the topic are noticed within a minute rather than the default five.
                ConsumerConfig.METADATA_MAX_AGE_CONFIG, 60_000,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
    }

    /**
     * The end offset (last stable offset) of every partition, from one ListOffsets request.
     *
     * @throws org.apache.kafka.common.KafkaException if Kafka does not answer within the timeout
     */
    public Map<Integer, Long> endOffsets(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lockWithin(endLock, timeout);
        try {
            List<TopicPartition> partitions = endReader.partitionsFor(TOPIC, left(deadline)).stream()
                    .map(p -> new TopicPartition(TOPIC, p.partition())).toList();
            // Assigned (never polled) so the topic's metadata stays cached and each call is one round trip.
            if (!endReader.assignment().equals(new HashSet<>(partitions))) {
                endReader.assign(partitions);
            }
            return endReader.endOffsets(partitions, left(deadline)).entrySet().stream()
                    .collect(Collectors.toMap(e -> e.getKey().partition(), Map.Entry::getValue));
        } finally {
            endLock.unlock();
        }
    }

    /**
     * Where a view at {@code from} must get to so that it holds every record below {@code end}: the offset after the
     * last record in {@code [from, end)}, or {@code from} if there is none (compacted away, transaction markers,
     * aborted records).
     *
     * @return that position, or empty if it could not be told in time (e.g. many records still to read)
     */
    public OptionalLong positionAfterLastRecord(int partition, long from, long end, Duration timeout) {
        Duration budget = timeout.compareTo(PROBE_BUDGET) < 0 ? timeout : PROBE_BUDGET;
        long deadline = System.nanoTime() + budget.toNanos();
        lockWithin(probeLock, budget);
        try {
            TopicPartition tp = new TopicPartition(TOPIC, partition);
            prober.assign(List.of(tp));
            prober.seek(tp, from);
            long last = -1;
            int seen = 0;
            while (System.nanoTime() - deadline < 0) {
                for (ConsumerRecord<byte[], byte[]> record : prober.poll(PROBE_POLL)) {
                    if (record.offset() < end) {
                        last = record.offset();
                        seen++;
                    }
                }
                // The position moves past offsets without records, so reaching the end means nothing else is there.
                if (prober.position(tp, left(deadline)) >= end) {
                    return OptionalLong.of(last >= 0 ? last + 1 : from);
                }
                if (seen >= PROBE_RECORDS) {
                    return OptionalLong.empty();
                }
            }
            return OptionalLong.empty();
        } catch (TimeoutException e) {
            return OptionalLong.empty();
        } finally {
            probeLock.unlock();
        }
    }

    private static Duration left(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    private static void lockWithin(ReentrantLock lock, Duration timeout) {
        try {
            if (!lock.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new TimeoutException("another caller held the policy topic reader for " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        }
    }

    @PreDestroy
    void close() {
        endLock.lock();
        try {
            endReader.close(Duration.ofSeconds(5));
        } finally {
            endLock.unlock();
        }
        probeLock.lock();
        try {
            prober.close(Duration.ofSeconds(5));
        } finally {
            probeLock.unlock();
        }
    }
}

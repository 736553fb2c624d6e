package dev.canopy.messaging.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.apache.kafka.clients.producer.RecordMetadata;

import dev.canopy.events.json.EventJson;
import dev.canopy.events.topic.CloudEventHeaders;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;

/**
 * Publishes committed outbox rows in their commit order and marks each published once Kafka acknowledged it. A
 * crash between commit and send leaves the row unpublished, so the next run sends it; a crash between the ack and
 * the mark sends it again, which consumers absorb by deduplicating on the event id.
 */
@ApplicationScoped
public class OutboxRelay {

    /**
     * Scheduler identity of the periodic run (tests pause it to stand in for a crashed relay). Its period is
     * {@code canopy.outbox.interval}; {@code off} disables it in a service that only uses the inbox.
     */
    public static final String IDENTITY = "outbox-relay";

    private static final int BATCH = 200;

    private final OutboxEventRepository outbox;
    private final OutboxProducer producer;

    public OutboxRelay(OutboxEventRepository outbox, OutboxProducer producer) {
        this.outbox = outbox;
        this.producer = producer;
    }

    @Scheduled(identity = IDENTITY, every = "${canopy.outbox.interval:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledRun() {
        try {
            publishPending();
        } catch (RuntimeException e) {
            // The rows stay unpublished and the next run retries them; the failure is about Kafka, not the rows.
            Log.warnf("OUTBOX-001 outbox relay run failed, will retry: %s", e.getMessage());
        }
    }

    /**
     * Publishes every unpublished row, oldest first, and returns how many were acknowledged. The rows stay locked
     * until the marks commit, so concurrent runs (the schedule, a policy PUT, another instance) never interleave.
     */
    @Transactional
    public int publishPending() {
        int published = 0;
        List<OutboxEvent> rows;
        do {
            rows = outbox.lockUnpublished(BATCH);
            // Send the whole batch before waiting: the idempotent producer keeps per-partition order.
            List<Future<RecordMetadata>> acks = new ArrayList<>(rows.size());
            for (OutboxEvent row : rows) {
                var event = EventJson.read(row.payload.getBytes(StandardCharsets.UTF_8), row.eventType);
                acks.add(producer.send(row, CloudEventHeaders.binaryHeaders(event, producer.source())));
            }
            for (int i = 0; i < rows.size(); i++) {
                try {
                    producer.awaitAck(acks.get(i));
                } catch (IllegalStateException e) {
                    // Keep what was acknowledged; the rest (in order) waits for the next run.
                    Log.warnf("OUTBOX-002 event %s not acknowledged: %s", rows.get(i).id, e.getMessage());
                    return published;
                }
                rows.get(i).publishedAt = Instant.now();
                published++;
            }
        } while (rows.size() == BATCH);
        if (published > 0) {
            Log.debugf("outbox relay published %d events", published);
        }
        return published;
    }

    /** True once the event's row is marked published. */
    @Transactional
    public boolean isPublished(java.util.UUID eventId) {
        OutboxEvent row = outbox.findById(eventId);
        return row != null && row.publishedAt != null;
    }
}

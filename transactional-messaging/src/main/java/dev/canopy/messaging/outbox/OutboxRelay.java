package dev.canopy.messaging.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;

import org.apache.kafka.clients.producer.RecordMetadata;

import dev.canopy.events.json.EventJson;
import dev.canopy.events.topic.CloudEventHeaders;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.scheduler.Scheduled;

/**
 * Publishes committed outbox rows (events and tombstones) in their commit order and marks each published once Kafka
 * acknowledged it. A crash between commit and send leaves the row unpublished, so the next run sends it; a crash
 * between the ack and the mark sends it again, which consumers absorb by deduplicating on the event id (a repeated
 * tombstone deletes what is deleted already).
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
    private final Scheduler scheduler;
    // Runs asked for by committed transactions, one at a time; a request made while one waits is already covered.
    private final ExecutorService nudges = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "outbox-relay-nudge");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean nudgeQueued = new AtomicBoolean();

    public OutboxRelay(OutboxEventRepository outbox, OutboxProducer producer, Scheduler scheduler) {
        this.outbox = outbox;
        this.producer = producer;
        this.scheduler = scheduler;
    }

    /**
     * Publishes soon, on a thread of the relay's own, instead of at the next scheduled run: called after a transaction
     * that wrote outbox rows committed, so an event leaves within milliseconds. The schedule stays the safety net. A
     * paused schedule (a relay standing in for a crashed one in tests) is not nudged either.
     */
    public void nudge() {
        if (scheduler.isPaused(IDENTITY) || !nudgeQueued.compareAndSet(false, true)) {
            return;
        }
        nudges.execute(() -> {
            nudgeQueued.set(false);
            try {
                QuarkusTransaction.requiringNew().call(this::publishPending);
            } catch (RuntimeException e) {
                Log.warnf("OUTBOX-003 outbox relay nudge failed, the schedule will retry: %s", e.getMessage());
            }
        });
    }

    /**
     * Stops publishing when the app begins to shut down, before the database goes away: rows left are sent by the
     * next start (or another instance), instead of each run failing against a closed persistence unit.
     */
    void onShutdown(@Observes ShutdownEvent shutdown) {
        scheduler.pause(IDENTITY);
        nudges.shutdown();
    }

    @PreDestroy
    void stopNudges() {
        nudges.shutdownNow();
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
                acks.add(producer.send(row, headersOf(row, producer.source())));
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

    /**
     * The headers a row is sent with: an event's CloudEvents binary-mode headers; for a tombstone, which is no event,
     * only {@code ce_subject} (the key), as Canopy's other tombstones carry it.
     */
    static Map<String, String> headersOf(OutboxEvent row, String source) {
        if (row.isTombstone()) {
            return Map.of(CloudEventHeaders.SUBJECT, row.kafkaKey);
        }
        var event = EventJson.read(row.payload.getBytes(StandardCharsets.UTF_8), row.eventType);
        return CloudEventHeaders.binaryHeaders(event, source);
    }

    /** True once the event's row is marked published. */
    @Transactional
    public boolean isPublished(java.util.UUID eventId) {
        OutboxEvent row = outbox.findById(eventId);
        return row != null && row.publishedAt != null;
    }
}

package dev.canopy.tagsync.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import dev.canopy.events.CanopyEvent;
import dev.canopy.events.json.EventJson;
import dev.canopy.events.topic.CloudEventHeaders;
import dev.canopy.messaging.inbox.ProcessedEventRepository;
import dev.canopy.messaging.retry.TransientFailure;
import dev.canopy.tagsync.config.ViewConfig;
import dev.canopy.tagsync.repository.ViewPositionRepository;
import dev.canopy.tagsync.view.ViewUpdater;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;

/**
 * Applies one record to a view: decodes it, skips an event already processed, and lets the view apply it in a
 * transaction that also moves the view's position past the record. A record that cannot be applied goes to the
 * channel's dead-letter topic, and only once it is there does the view move past it — a poison record neither blocks
 * the view nor is lost.
 */
@ApplicationScoped
public class ViewRecordProcessor {

    private static final Logger LOG = Logger.getLogger(ViewRecordProcessor.class);
    private static final Duration DEAD_LETTER_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(5);

    /** Thrown out of a retry pause when the application stops: the record is neither applied nor dead-lettered. */
    private static final class Stopping extends RuntimeException {
        Stopping() {
            super("the application is stopping", null, false, false);
        }
    }

    private final ProcessedEventRepository processed;
    private final ViewPositionRepository positions;
    private final ViewConfig config;
    private final CountDownLatch stopping = new CountDownLatch(1);

    public ViewRecordProcessor(ProcessedEventRepository processed, ViewPositionRepository positions,
            ViewConfig config) {
        this.processed = processed;
        this.positions = positions;
        this.config = config;
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping.countDown();
    }

    /**
     * Must run on a worker thread (it blocks), one record of a channel at a time.
     *
     * @return completes once the record is acknowledged; fails (nothing acknowledged, position unchanged) only when
     *     the record could not even be dead-lettered or the application is stopping
     */
    public CompletionStage<Void> process(Message<byte[]> message, ViewUpdater view) {
        @SuppressWarnings("unchecked")
        IncomingKafkaRecordMetadata<String, byte[]> record = message.getMetadata(IncomingKafkaRecordMetadata.class)
                .orElseThrow(() -> new IllegalStateException("not a Kafka record"));
        try {
            CanopyEvent event = decode(message.getPayload(), record, view);
            applyWithRetries(record, event, view);
        } catch (Stopping e) {
            return CompletableFuture.failedFuture(e);
        } catch (RuntimeException failure) {
            return deadLetter(message, record, view, failure);
        }
        view.committed(record.getPartition(), record.getOffset() + 1);
        return message.ack();
    }

    private void applyWithRetries(IncomingKafkaRecordMetadata<String, byte[]> record, CanopyEvent event,
            ViewUpdater view) {
        for (int attempt = 1; ; attempt++) {
            try {
                movePast(record, view, () -> {
                    if (event == null) {
                        view.tombstone(record.getKey());
                    } else if (processed.markProcessed(event.eventId(), view.topic().topicName())) {
                        view.apply(event);
                    } else {
                        LOG.debugf("skipping redelivered event %s", event.eventId());
                    }
                });
                return;
            } catch (RuntimeException e) {
                if (causedBy(e, IllegalArgumentException.class)
                        || (attempt >= config.attempts() && !TransientFailure.isTransient(e))) {
                    throw e;
                }
                LOG.warnf("VIEW-003 %s attempt %d failed, will retry: %s", describe(record), attempt, e.getMessage());
                pause(attempt);
            }
        }
    }

    private CompletionStage<Void> deadLetter(Message<byte[]> message,
            IncomingKafkaRecordMetadata<String, byte[]> record, ViewUpdater view, Throwable failure) {
        LOG.warnf("VIEW-001 %s goes to the dead-letter topic: %s", describe(record), failure.getMessage());
        try {
            // Completes once the dead-letter topic acknowledged the copy (SmallRye's dead-letter-queue strategy).
            message.nack(failure).toCompletableFuture().get(DEAD_LETTER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.errorf("VIEW-002 %s could not be dead-lettered; the view stays before it: %s", describe(record),
                    e.getMessage());
            return CompletableFuture.failedFuture(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(e);
        }
        // Retried without limit: moving on without this would either hold the view back for good or, if a later
        // record moved the position past it, keep what the view should have dropped.
        for (int attempt = 1; ; attempt++) {
            try {
                movePast(record, view, () -> view.deadLettered(record.getKey()));
                break;
            } catch (RuntimeException e) {
                LOG.warnf("VIEW-003 %s: moving past the dead-lettered record failed, will retry: %s",
                        describe(record), e.getMessage());
                try {
                    pause(attempt);
                } catch (Stopping stop) {
                    return CompletableFuture.failedFuture(stop);
                }
            }
        }
        view.committed(record.getPartition(), record.getOffset() + 1);
        return CompletableFuture.completedFuture(null);
    }

    /** Runs the record's effect on the view and moves the view's position past the record, in one transaction. */
    private void movePast(IncomingKafkaRecordMetadata<String, byte[]> record, ViewUpdater view, Runnable effect) {
        QuarkusTransaction.requiringNew().run(() -> {
            effect.run();
            positions.advance(view.topic().topicName(), record.getPartition(), record.getOffset() + 1);
        });
    }

    /** The event, or {@code null} for a tombstone. */
    private static CanopyEvent decode(byte[] payload, IncomingKafkaRecordMetadata<String, byte[]> record,
            ViewUpdater view) {
        if (payload == null) {
            return null;
        }
        Header type = record.getHeaders().lastHeader(CloudEventHeaders.TYPE);
        if (type == null) {
            throw new IllegalArgumentException("missing header " + CloudEventHeaders.TYPE);
        }
        CanopyEvent event = EventJson.read(payload, new String(type.value(), StandardCharsets.UTF_8));
        if (event.type().topic() != view.topic()) {
            throw new IllegalArgumentException("unexpected event type " + event.type().typeName() + " on "
                    + view.topic().topicName());
        }
        // On a compacted topic the key decides what a later record or tombstone replaces: a mismatch would corrupt it.
        if (!event.kafkaKey().equals(record.getKey())) {
            throw new IllegalArgumentException("record key '" + record.getKey() + "' is not the event's key '"
                    + event.kafkaKey() + "'");
        }
        return event;
    }

    private void pause(int attempt) {
        long delay = Math.min(config.retryDelay().toMillis() << Math.min(attempt - 1, 16), MAX_RETRY_DELAY.toMillis());
        try {
            // Waiting on the stop latch rather than sleeping: a stopping application is not held up by a retry.
            if (stopping.await(delay, TimeUnit.MILLISECONDS)) {
                throw new Stopping();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Stopping();
        }
    }

    // The record is not at fault when the database cannot be reached (connection errors, server shutting down or out
    // of resources): such failures are retried until it is back, never dead-lettered.
    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String describe(IncomingKafkaRecordMetadata<String, byte[]> record) {
        return record.getTopic() + "-" + record.getPartition() + "@" + record.getOffset() + " (key " + record.getKey()
                + ")";
    }
}

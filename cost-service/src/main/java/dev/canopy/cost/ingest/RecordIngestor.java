package dev.canopy.cost.ingest;

import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.Retry;
import org.jboss.logging.Logger;

import dev.canopy.messaging.inbox.ProcessedEventRepository;
import dev.canopy.messaging.retry.TransientFailure;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.faulttolerance.api.RetryWhen;

/**
 * Applies each consumed record exactly once to the database: its effect and its id in {@code processed_event} commit
 * in one transaction, and a record whose id is there already (a redelivery) changes nothing.
 */
@ApplicationScoped
public class RecordIngestor {

    private static final Logger LOG = Logger.getLogger(RecordIngestor.class);

    /** Every this many applied records, one INFO line sums them up per topic (each record itself is DEBUG). */
    static final long SUMMARY_EVERY = 1000;

    private final ProcessedEventRepository processed;
    private final AtomicLong appliedTotal = new AtomicLong();
    private final Map<String, LongAdder> appliedPerTopic = new ConcurrentHashMap<>();

    public RecordIngestor(ProcessedEventRepository processed) {
        this.processed = processed;
    }

    /**
     * Applies one record in a transaction of its own. A passing outage of the database is retried until it is over:
     * safe, as a retry is a new transaction and the inbox makes the effect happen once, and it holds the partition
     * (so later records of the same key) behind the record instead of dead-lettering good data. Any other failure
     * leaves at once, and the channel dead-letters the record with the reason.
     *
     * @return {@code false} if the record had been processed already
     */
    @Retry(maxRetries = -1, maxDuration = 0, delay = 1000, jitter = 500)
    @ExponentialBackoff(maxDelay = 30, maxDelayUnit = ChronoUnit.SECONDS)
    @RetryWhen(exception = TransientFailure.class)
    public boolean apply(TopicApplier applier, TopicRecord record) {
        boolean applied = QuarkusTransaction.requiringNew().call(() -> {
            if (!processed.markProcessed(record.processedId(), record.topic())) {
                return false;
            }
            if (record.isTombstone()) {
                applier.tombstone(record.key());
            } else {
                applier.apply(record.event());
            }
            return true;
        });
        if (applied) {
            LOG.debugf("applied %s: %s", record.describe(),
                    record.isTombstone() ? "tombstone" : record.event().type().typeName() + " " + record.event().eventId());
            counted(record.topic());
        } else {
            LOG.debugf("skipped %s: processed already", record.describe());
        }
        return applied;
    }

    // A demo applies thousands of records: one line per thousand says the consumers are alive and how far they got.
    private void counted(String topic) {
        appliedPerTopic.computeIfAbsent(topic, t -> new LongAdder()).increment();
        long total = appliedTotal.incrementAndGet();
        if (total % SUMMARY_EVERY == 0) {
            Map<String, Long> perTopic = new TreeMap<>();
            appliedPerTopic.forEach((t, count) -> perTopic.put(t, count.sum()));
            LOG.infof("applied %d records since start: %s", total, perTopic);
        }
    }
}

package dev.canopy.cost.ingest;

import java.time.temporal.ChronoUnit;

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

    private final ProcessedEventRepository processed;

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
            LOG.infof("applied %s: %s", record.describe(),
                    record.isTombstone() ? "tombstone" : record.event().type().typeName() + " " + record.event().eventId());
        } else {
            LOG.debugf("skipped %s: processed already", record.describe());
        }
        return applied;
    }
}

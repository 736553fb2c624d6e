package dev.canopy.messaging.retry;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;
import java.util.function.Predicate;

import jakarta.transaction.RollbackException;

import org.apache.kafka.common.errors.RetriableException;
import org.jboss.logging.Logger;

/**
 * Tells a passing outage of the database or the broker — worth retrying until it is over — from a failure that will
 * come back however often it is retried (bad data, a bug), which a consumer dead-letters instead. For SmallRye Fault
 * Tolerance's {@code @RetryWhen(exception = TransientFailure.class)}; each retry it allows is logged with the reason.
 */
public class TransientFailure implements Predicate<Throwable> {

    private static final Logger LOG = Logger.getLogger(TransientFailure.class);

    // PostgreSQL SQLSTATE classes and codes that describe the server or the connection, not the statement:
    // 08 connection exception, 53 insufficient resources, 57P01-57P03 shutdown/crash/cannot connect now,
    // 40001 serialization failure, 40P01 deadlock, 55P03 lock not available, 55000 database not accepting connections.
    private static final Set<String> TRANSIENT_CLASSES = Set.of("08", "53");
    private static final Set<String> TRANSIENT_CODES = Set.of("57P01", "57P02", "57P03", "40001", "40P01", "55P03",
            "55000");

    @Override
    public boolean test(Throwable failure) {
        boolean transientFailure = isTransient(failure);
        if (transientFailure) {
            LOG.warnf("CANOPY-RETRY-001 retrying after a passing failure: %s", rootMessage(failure));
        }
        return transientFailure;
    }

    /** True when the failure, or one of its causes, is an outage of the database or the broker. */
    public static boolean isTransient(Throwable failure) {
        boolean rolledBackWithoutReason = false;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
                return true; // the driver's own verdict: the same statement may succeed on a retry or a new connection
            }
            if (t instanceof SQLException sql) {
                return isTransientState(sql.getSQLState());
            }
            if (t instanceof RetriableException) {
                return true; // Kafka's own verdict: a timeout, a leader moving, a broker not reachable
            }
            if (t instanceof RollbackException) {
                rolledBackWithoutReason = true; // e.g. the transaction timed out; a SQL cause further down decides
            }
        }
        return rolledBackWithoutReason;
    }

    // No SQLSTATE at all comes from the pool (no connection could be had in time), not from the server.
    private static boolean isTransientState(String state) {
        return state == null || state.length() < 2 || TRANSIENT_CODES.contains(state)
                || TRANSIENT_CLASSES.contains(state.substring(0, 2));
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}

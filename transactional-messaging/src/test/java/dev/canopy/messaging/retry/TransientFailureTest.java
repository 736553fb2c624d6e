package dev.canopy.messaging.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;

import jakarta.persistence.PersistenceException;
import jakarta.transaction.RollbackException;

import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

/** Which failures a consumer waits out and which it dead-letters. */
class TransientFailureTest {

    private final TransientFailure transientFailure = new TransientFailure();

    @Test
    void theDatabaseOrItsConnectionsGoingAwayIsWaitedOut() {
        assertThat(transientFailure.test(wrapped(new SQLException("Connection refused", "08001")))).isTrue();
        assertThat(transientFailure.test(wrapped(new SQLException("terminating connection", "57P01")))).isTrue();
        assertThat(transientFailure.test(wrapped(new SQLException("database does not allow connections", "55000"))))
                .isTrue();
        assertThat(transientFailure.test(wrapped(new SQLException("too many clients", "53300")))).isTrue();
        assertThat(transientFailure.test(wrapped(new SQLException("deadlock detected", "40P01")))).isTrue();
        assertThat(transientFailure.test(wrapped(new SQLException("Acquisition timeout while waiting for new connection"))))
                .as("the pool's own timeout has no SQLSTATE").isTrue();
        assertThat(transientFailure.test(new IllegalStateException("commit failed",
                new RollbackException("transaction timed out")))).isTrue();
    }

    @Test
    void theBrokerBeingUnreachableIsWaitedOut() {
        assertThat(transientFailure.test(new TimeoutException("end offsets not fetched in time"))).isTrue();
    }

    @Test
    void badDataABugOrARefusalIsNotRetried() {
        assertThat(transientFailure.test(wrapped(new SQLException("duplicate key value", "23505")))).isFalse();
        assertThat(transientFailure.test(wrapped(new SQLException("value too long", "22001")))).isFalse();
        assertThat(transientFailure.test(new IllegalStateException("commit failed",
                rollback(new SQLException("check constraint", "23514"))))).isFalse();
        assertThat(transientFailure.test(new IllegalArgumentException("not a TagEditRequested"))).isFalse();
        assertThat(transientFailure.test(new NullPointerException())).isFalse();
        assertThat(transientFailure.test(new TopicAuthorizationException("not allowed"))).isFalse();
    }

    private static RollbackException rollback(Throwable cause) {
        RollbackException rollback = new RollbackException("rolled back");
        rollback.initCause(cause);
        return rollback;
    }

    private static PersistenceException wrapped(SQLException cause) {
        return new PersistenceException("JDBC exception", cause);
    }
}

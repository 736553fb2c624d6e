package dev.canopy.cost.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Runs JDBC work on the service's database. Inside a transaction the work gets that transaction's connection (Agroal
 * enlists it and hands the same one to Hibernate), so plain SQL and the processed-event inbox commit together.
 * Plain SQL because spend is set-shaped: days of lines replaced in batches, upserts guarded in one statement, and
 * group-by queries over exact NUMERIC sums.
 */
@ApplicationScoped
public class Jdbc {

    /** Work with a connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** A failed statement; the SQLException stays the cause, so its SQL state decides whether a retry may help. */
    public static final class Failure extends RuntimeException {

        private static final long serialVersionUID = 1L;

        Failure(SQLException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private final DataSource dataSource;

    public Jdbc(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Runs the work in a read-only database transaction of its own, outside any JTA transaction, and ends it with a
     * rollback (there is nothing to keep). Autocommit off is what lets PostgreSQL's driver read a result through a
     * cursor, {@code fetchSize} rows at a time, instead of all at once; and no JTA timeout cuts a long read short.
     * A SQLException leaves as {@link Failure}.
     */
    public <T> T readOnly(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                try (Statement readOnly = connection.createStatement()) {
                    readOnly.execute("SET TRANSACTION READ ONLY");
                }
                return work.run(connection);
            } finally {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new Failure(e);
        }
    }

    /** Runs the work and returns its result; a SQLException leaves as {@link Failure}. */
    public <T> T call(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw new Failure(e);
        }
    }
}

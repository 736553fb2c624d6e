package dev.canopy.local;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.awaitility.core.ConditionTimeoutException;

import dev.canopy.testsupport.db.PostgresServer;

/**
 * The machine's PostgreSQL for the local stack (the server {@code CANOPY_PG_URL} names, 127.0.0.1:5432 by default):
 * started with {@code pg_ctlcluster} when it is down, and one fresh database per service.
 */
final class LocalDatabases {

    private static final Duration START_WAIT = Duration.ofSeconds(30);

    private final PostgresServer server = PostgresServer.fromEnvironment();

    PostgresServer server() {
        return server;
    }

    /** Connects, and if that fails starts the machine's newest cluster and waits for it. */
    void ensureRunning(Progress progress) {
        if (reachable()) {
            return;
        }
        String version = newestCluster();
        progress.detail("PostgreSQL is down; starting cluster " + version + "/main");
        Commands.run(List.of("pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"), START_WAIT);
        try {
            await("PostgreSQL accepting connections").atMost(START_WAIT).pollInterval(Duration.ofMillis(300))
                    .until(this::reachable);
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("PostgreSQL " + version + "/main was started but " + server.maintenanceUrl()
                    + " did not accept connections within " + START_WAIT, e);
        }
    }

    /** Drops (ending their sessions) and creates the databases, so every stack starts from nothing. */
    void recreate(List<String> databases) {
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            for (String database : databases) {
                statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
                statement.execute("CREATE DATABASE " + database);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not recreate the databases " + databases + " on "
                    + server.maintenanceUrl() + ": " + e.getMessage(), e);
        }
    }

    void drop(List<String> databases) {
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            for (String database : databases) {
                statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop the databases " + databases + ": " + e.getMessage(), e);
        }
    }

    private boolean reachable() {
        try (Connection ignored = server.connect()) {
            return true;
        } catch (IllegalStateException | SQLException e) {
            return false;
        }
    }

    private static String newestCluster() {
        try (Stream<Path> versions = Files.list(Path.of("/etc/postgresql"))) {
            return versions.map(p -> p.getFileName().toString()).filter(v -> v.matches("\\d+"))
                    .max(Comparator.comparingInt(Integer::parseInt))
                    .orElseThrow(() -> new IllegalStateException("no PostgreSQL cluster under /etc/postgresql"));
        } catch (IOException e) {
            throw new IllegalStateException("PostgreSQL is not reachable and not installed here (/etc/postgresql: "
                    + e.getMessage() + "); set CANOPY_PG_URL to a server", e);
        }
    }
}

package dev.canopy.testsupport.db;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One throw-away database on the test PostgreSQL server, named {@code test_<module>_p<pid>_<random>} after the
 * module and the test JVM that use it.
 */
public record TestDatabase(PostgresServer server, String name) {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern NAME = Pattern.compile("test_[a-z0-9_]+_p(\\d+)_[0-9a-f]{8}");

    /** Creates an empty database for the module, first dropping those left by test JVMs that no longer run. */
    public static TestDatabase create(String module) {
        byte[] suffix = new byte[4];
        RANDOM.nextBytes(suffix);
        String name = "test_" + module.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_")
                + "_p" + ProcessHandle.current().pid() + "_" + HexFormat.of().formatHex(suffix);
        PostgresServer server = PostgresServer.fromEnvironment();
        dropLeftovers(server);
        execute(server, "CREATE DATABASE " + name);
        return new TestDatabase(server, name);
    }

    /** The JDBC URL of this database. */
    public String jdbcUrl() {
        return server.urlOf(name);
    }

    /** The test database a JDBC URL of the test server names (e.g. the app's {@code quarkus.datasource.jdbc.url}). */
    public static TestDatabase ofUrl(String jdbcUrl) {
        String path = jdbcUrl.replaceFirst("\\?.*$", "");
        return new TestDatabase(PostgresServer.fromEnvironment(), path.substring(path.lastIndexOf('/') + 1));
    }

    /** A connection to this database as the test server's user, e.g. to hold a lock the app will wait on. */
    public Connection connect() {
        try {
            return DriverManager.getConnection(jdbcUrl(), server.user(), server.password());
        } catch (SQLException e) {
            throw new IllegalStateException("could not connect to " + jdbcUrl() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Starts an outage of this database as an app sees one: new connections are refused and open ones are closed.
     *
     * @return the outage; closing it lets connections in again
     */
    public Outage outage() {
        execute(server, "ALTER DATABASE " + name + " WITH ALLOW_CONNECTIONS false");
        execute(server, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name
                + "' AND pid <> pg_backend_pid()");
        return new Outage(this);
    }

    /** A database outage in progress; {@link #close()} ends it. */
    public record Outage(TestDatabase database) implements AutoCloseable {

        @Override
        public void close() {
            execute(database.server(), "ALTER DATABASE " + database.name() + " WITH ALLOW_CONNECTIONS true");
        }
    }

    /** Drops the database, closing whatever connections a stopped app left open. */
    public void drop() {
        execute(server, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    // A test JVM killed with SIGKILL never drops its database. The pid in the name tells whether its owner still
    // runs on this machine, so a live run of another developer or CI job is never touched.
    static List<String> dropLeftovers(PostgresServer server) {
        List<String> dropped = new ArrayList<>();
        for (String database : databaseNames(server)) {
            Matcher match = NAME.matcher(database);
            if (match.matches() && ProcessHandle.of(Long.parseLong(match.group(1))).isEmpty()) {
                execute(server, "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
                dropped.add(database);
            }
        }
        return dropped;
    }

    private static List<String> databaseNames(PostgresServer server) {
        try (Connection connection = server.connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT datname FROM pg_database WHERE datname LIKE 'test\\_%'")) {
            List<String> names = new ArrayList<>();
            while (rows.next()) {
                names.add(rows.getString(1));
            }
            return names;
        } catch (SQLException e) {
            throw new IllegalStateException("could not list databases on " + server.maintenanceUrl() + ": "
                    + e.getMessage(), e);
        }
    }

    private static void execute(PostgresServer server, String sql) {
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("'" + sql + "' failed on " + server.maintenanceUrl() + ": "
                    + e.getMessage(), e);
        }
    }
}

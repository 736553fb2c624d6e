package dev.canopy.testsupport.db;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Locale;

/** One throw-away database on the test PostgreSQL server, named after the module that uses it. */
public record TestDatabase(PostgresServer server, String name) {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Creates an empty database called {@code test_<module>_<random>}. */
    public static TestDatabase create(String module) {
        byte[] suffix = new byte[4];
        RANDOM.nextBytes(suffix);
        String name = ("test_" + module.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_") + "_"
                + HexFormat.of().formatHex(suffix));
        PostgresServer server = PostgresServer.fromEnvironment();
        execute(server, "CREATE DATABASE " + name);
        return new TestDatabase(server, name);
    }

    /** The JDBC URL of this database. */
    public String jdbcUrl() {
        return server.urlOf(name);
    }

    /** Drops the database, closing whatever connections a stopped app left open. */
    public void drop() {
        execute(server, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
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

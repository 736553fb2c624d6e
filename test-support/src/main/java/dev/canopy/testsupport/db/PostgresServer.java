package dev.canopy.testsupport.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Where the tests' PostgreSQL server is: {@code CANOPY_PG_URL} (a JDBC URL of its maintenance database),
 * {@code CANOPY_PG_USER} and {@code CANOPY_PG_PASSWORD}, defaulting to the machine's server with trust auth.
 */
public record PostgresServer(String maintenanceUrl, String user, String password) {

    static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";

    // DriverManager finds drivers through the class path the JVM started with; a benchmark run by exec:java loads the
    // driver in the plugin's class loader instead, where only an explicit load registers it.
    static {
        try {
            Class.forName("org.postgresql.Driver");
        } catch (ClassNotFoundException e) {
            throw new ExceptionInInitializerError("the PostgreSQL JDBC driver is not on the class path");
        }
    }

    /** The server named by the environment, or the local default. */
    public static PostgresServer fromEnvironment() {
        return new PostgresServer(
                envOr("CANOPY_PG_URL", DEFAULT_URL),
                envOr("CANOPY_PG_USER", "postgres"),
                envOr("CANOPY_PG_PASSWORD", ""));
    }

    /** The JDBC URL of another database on the same server. */
    public String urlOf(String database) {
        int query = maintenanceUrl.indexOf('?');
        String base = query < 0 ? maintenanceUrl : maintenanceUrl.substring(0, query);
        String params = query < 0 ? "" : maintenanceUrl.substring(query);
        return base.substring(0, base.lastIndexOf('/') + 1) + database + params;
    }

    /** A connection to the maintenance database; fails with a message that says how to get a server. */
    public Connection connect() {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("connectTimeout", "5");
        try {
            return DriverManager.getConnection(maintenanceUrl, props);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL is not reachable at " + maintenanceUrl + " as '" + user
                    + "' (" + e.getMessage() + "). Start it with "
                    + "'pg_ctlcluster --skip-systemctl-redirect 15 main start' (.ci/run does this), "
                    + "or point CANOPY_PG_URL, CANOPY_PG_USER and CANOPY_PG_PASSWORD at a server.", e);
        }
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}

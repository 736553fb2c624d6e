package dev.canopy.testsupport.db;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Gives a Quarkus test a database of its own on the machine's PostgreSQL, and drops it when the app stops.
 *
 * <p>This is the seam for other ways of getting a database: a Testcontainers-backed resource on a machine with a
 * Docker engine would implement the same interface and hand back the same three properties.
 */
public class PostgresDatabaseResource implements QuarkusTestResourceLifecycleManager {

    private TestDatabase database;

    @Override
    public Map<String, String> start() {
        database = TestDatabase.create(System.getProperty("canopy.module", "canopy"));
        return Map.of(
                "quarkus.datasource.jdbc.url", database.jdbcUrl(),
                "quarkus.datasource.username", database.server().user(),
                "quarkus.datasource.password", database.server().password());
    }

    @Override
    public void stop() {
        if (database != null) {
            database.drop();
        }
    }
}

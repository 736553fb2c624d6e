package dev.canopy.testsupport.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The database resource against the machine's real PostgreSQL. */
class TestDatabaseTest {

    @Test
    void resourceHandsOutAFreshUsableDatabaseAndDropsItOnStop() throws SQLException {
        PostgresDatabaseResource resource = new PostgresDatabaseResource();
        Map<String, String> config = resource.start();
        String url = config.get("quarkus.datasource.jdbc.url");
        String name = url.substring(url.lastIndexOf('/') + 1);

        assertThat(name).startsWith("test_canopy_test_support_");
        try (Connection connection = DriverManager.getConnection(url, config.get("quarkus.datasource.username"),
                config.get("quarkus.datasource.password")); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE probe (id int PRIMARY KEY)");
            statement.execute("INSERT INTO probe VALUES (1)");
        }
        assertThat(databaseExists(name)).isTrue();

        resource.stop();

        assertThat(databaseExists(name)).isFalse();
    }

    @Test
    void twoDatabasesForOneModuleAreDistinct() {
        TestDatabase first = TestDatabase.create("same-module");
        TestDatabase second = TestDatabase.create("same-module");
        try {
            assertThat(first.name()).isNotEqualTo(second.name())
                    .startsWith("test_same_module_p" + ProcessHandle.current().pid() + "_");
        } finally {
            first.drop();
            second.drop();
        }
    }

    @Test
    void databasesOfTestJvmsThatNoLongerRunAreDroppedButLiveOnesAreKept() throws Exception {
        long deadPid = deadProcessId();
        PostgresServer server = PostgresServer.fromEnvironment();
        String leftover = "test_killed_run_p" + deadPid + "_0123abcd";
        TestDatabase live = TestDatabase.create("live-run");
        try {
            try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE " + leftover);
            }

            assertThat(TestDatabase.dropLeftovers(server)).contains(leftover).doesNotContain(live.name());
            assertThat(databaseExists(leftover)).isFalse();
            assertThat(databaseExists(live.name())).isTrue();
        } finally {
            live.drop();
        }
    }

    @Test
    void anUnreachableServerFailsWithAMessageSayingHowToStartOne() {
        PostgresServer nowhere = new PostgresServer("jdbc:postgresql://127.0.0.1:1/postgres", "postgres", "");

        assertThatThrownBy(nowhere::connect)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("PostgreSQL is not reachable at jdbc:postgresql://127.0.0.1:1/postgres")
                .hasMessageContaining("pg_ctlcluster --skip-systemctl-redirect 15 main start")
                .hasMessageContaining("CANOPY_PG_URL");
    }

    @Test
    void urlOfKeepsHostAndParametersAndSwapsTheDatabase() {
        PostgresServer server = new PostgresServer("jdbc:postgresql://db.example:6543/postgres?sslmode=require",
                "u", "p");

        assertThat(server.urlOf("test_x")).isEqualTo("jdbc:postgresql://db.example:6543/test_x?sslmode=require");
    }

    private static boolean databaseExists(String name) throws SQLException {
        try (Connection connection = PostgresServer.fromEnvironment().connect();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT count(*) FROM pg_database WHERE datname = ?")) {
            query.setString(1, name);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getInt(1) == 1;
            }
        }
    }

    // A pid that belonged to a process that has exited: start one, wait for it to end, take its pid.
    private static long deadProcessId() throws Exception {
        Process process = new ProcessBuilder("true").start();
        process.waitFor();
        assertThat(ProcessHandle.of(process.pid())).isEmpty();
        return process.pid();
    }
}

package dev.canopy.cost;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import dev.canopy.emulator.AzureEmulator;
import dev.canopy.events.CanopyEvent;
import dev.canopy.testsupport.azure.InjectAzureEmulator;
import dev.canopy.testsupport.kafka.EventTopicClient;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * Shared steps of cost-service's tests: events published to the real broker, a bounded wait until the service has
 * processed them (its processed_event table), and the API called with platform tokens from the emulator's issuer.
 */
abstract class CostTestBase {

    static final Duration WAIT = Duration.ofSeconds(60);

    @InjectAzureEmulator
    AzureEmulator azure;

    @Inject
    DataSource database;

    EventTopicClient kafka;

    @BeforeEach
    void openKafka() {
        kafka = EventTopicClient.forTestKafka();
    }

    @AfterEach
    void closeKafka() {
        kafka.close();
    }

    /** Publishes a synthetic tenant's inventory and spend (see {@link SpendWorld}) and waits until all is applied. */
    SpendWorld publishedWorld(long seed) {
        SpendWorld world = new SpendWorld(seed);
        List<CanopyEvent> events = new ArrayList<>(world.inventoryEvents());
        events.addAll(world.latestSpend.values());
        publishAndAwait(events);
        return world;
    }

    /** Publishes the events and waits until cost-service has processed every one of them. */
    void publishAndAwait(Collection<? extends CanopyEvent> events) {
        events.forEach(kafka::publish);
        awaitProcessed(events.stream().map(CanopyEvent::eventId).toList());
    }

    void publishAndAwait(CanopyEvent... events) {
        publishAndAwait(List.of(events));
    }

    void awaitProcessed(List<UUID> eventIds) {
        await().atMost(WAIT).until(() -> processedCount(eventIds) == eventIds.size());
    }

    int processedCount(List<UUID> eventIds) throws SQLException {
        try (Connection c = database.getConnection();
                PreparedStatement query = c.prepareStatement(
                        "SELECT count(*) FROM processed_event WHERE event_id = ANY (?)")) {
            query.setArray(1, c.createArrayOf("uuid", eventIds.toArray()));
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /**
     * Makes every insert into {@code table} whose new row matches {@code when} (SQL over {@code NEW}) fail as a server
     * that cannot accept connections (SQL state 57P03), until closed.
     */
    SimulatedOutage simulateOutage(String table, String when) throws SQLException {
        execute("CREATE SEQUENCE outage_attempts");
        execute("""
                CREATE FUNCTION simulated_outage() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM nextval('outage_attempts');
                    RAISE EXCEPTION 'simulated outage' USING ERRCODE = '57P03';
                END $$""");
        execute("CREATE TRIGGER simulated_outage BEFORE INSERT ON " + table + " FOR EACH ROW WHEN (" + when
                + ") EXECUTE FUNCTION simulated_outage()");
        return new SimulatedOutage(table);
    }

    /** A running {@link #simulateOutage}; closing it ends the outage. */
    final class SimulatedOutage implements AutoCloseable {

        private final String table;

        private SimulatedOutage(String table) {
            this.table = table;
        }

        /** How many writes failed so far. */
        long attempts() throws SQLException {
            return queryLong("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM outage_attempts");
        }

        @Override
        public void close() throws SQLException {
            execute("DROP TRIGGER simulated_outage ON " + table);
            execute("DROP FUNCTION simulated_outage()");
            execute("DROP SEQUENCE outage_attempts");
        }
    }

    void execute(String sql) throws SQLException {
        try (Connection c = database.getConnection(); Statement statement = c.createStatement()) {
            statement.execute(sql);
        }
    }

    /** The first column of the first row of a query, as a number. */
    long queryLong(String sql) throws SQLException {
        try (Connection c = database.getConnection(); Statement statement = c.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    String viewerOf(String tenantId) {
        return token("viewer@cost.test", "viewer:" + tenantId);
    }

    String adminOf(String tenantId) {
        return token("admin@cost.test", "admin:" + tenantId);
    }

    /** {@code POST /imports} of a file as CSV; {@code costType} may be null. */
    Response postImport(String tenantId, String costType, ExportFile file, String token) {
        var request = given().auth().oauth2(token).contentType("text/csv").body(file.bytes)
                .queryParam("tenant", tenantId);
        return (costType == null ? request : request.queryParam("costType", costType)).post("/imports");
    }

    /** Imports a file as the tenant's admin; must answer 201, a first import. */
    JsonPath importFile(String tenantId, String costType, ExportFile file) {
        Response response = postImport(tenantId, costType, file, adminOf(tenantId));
        response.then().statusCode(201);
        return response.jsonPath();
    }

    /** Per currency, the tenant's spend of one cost type from {@code from} to {@code to}. */
    Map<String, BigDecimal> spendTotals(String tenantId, Object from, Object to, String costType) {
        return amounts(spend(tenantId, Map.of("from", from, "to", to, "costType", costType, "groupBy", "day"))
                .get("totals"));
    }

    /** What the spend tables hold for a tenant: the facts' count and sum per currency, and each day's event id. */
    String spendTables(String tenantId) throws SQLException {
        try (Connection c = database.getConnection();
                PreparedStatement query = c.prepareStatement("""
                        SELECT (SELECT count(*) FROM spend_fact WHERE tenant_id = ?) || ' facts; '
                            || coalesce((SELECT string_agg(currency || ' ' || total, ', ' ORDER BY currency) FROM
                                (SELECT currency, sum(amount) AS total FROM spend_fact WHERE tenant_id = ?
                                 GROUP BY currency) sums), '') || '; days '
                            || coalesce((SELECT string_agg(subscription_id || '/' || usage_date || '/' || cost_type
                                || '=' || event_id, ' ' ORDER BY subscription_id, usage_date, cost_type)
                                FROM spend_day WHERE tenant_id = ?), '')""")) {
            for (int i = 1; i <= 3; i++) {
                query.setString(i, tenantId);
            }
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    String token(String user, String... roles) {
        return azure.tokens().platformToken(user, List.of(roles), Duration.ofHours(1));
    }

    /** {@code GET /spend} as a viewer of the tenant; must answer 200. */
    JsonPath spend(String tenantId, Map<String, ?> parameters) {
        Map<String, Object> query = new HashMap<>(parameters);
        query.put("tenant", tenantId);
        return get("/spend", viewerOf(tenantId), query).then().statusCode(200).extract().jsonPath();
    }

    /** A GET with query parameters as their {@code toString()} (a LocalDate as 2026-10-01). */
    Response get(String path, String token, Map<String, ?> parameters) {
        Map<String, String> query = new HashMap<>();
        parameters.forEach((name, value) -> query.put(name, String.valueOf(value)));
        return given().auth().oauth2(token).queryParams(query).get(path);
    }

    /** The violations of a problem answer as "field rule". */
    static List<String> violations(Response response) {
        List<Map<String, String>> violations = response.jsonPath().getList("violations");
        return violations.stream().map(v -> v.get("field") + " " + v.get("rule")).toList();
    }

    /** Asserts a problem+json answer of the status and type (the last segment of its type URI). */
    static void assertProblem(Response response, int status, String type) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.jsonPath().getString("type")).isEqualTo("https://canopy.dev/problems/" + type);
        assertThat(response.jsonPath().getInt("status")).isEqualTo(status);
    }

    /**
     * The groups of an answer as group → currency → amount (compared by value). The group is its key, for a tag
     * grouping "key|tagSource".
     */
    static Map<String, Map<String, BigDecimal>> groupsOf(JsonPath answer, String listName) {
        Map<String, Map<String, BigDecimal>> sums = new HashMap<>();
        List<Map<String, Object>> groups = answer.getList(listName);
        for (Map<String, Object> group : groups) {
            sums.put(groupName(group), amounts(group.get("totals")));
        }
        return SpendWorld.normalized(sums);
    }

    /** For a tag grouping: "key|tagSource" → the key spellings the group lists. */
    static Map<String, List<String>> spellingsOf(JsonPath answer) {
        Map<String, List<String>> spellings = new HashMap<>();
        List<Map<String, Object>> groups = answer.getList("groups");
        for (Map<String, Object> group : groups) {
            @SuppressWarnings("unchecked")
            List<String> listed = (List<String>) group.get("tagKeySpellings");
            spellings.put(groupName(group), listed);
        }
        return spellings;
    }

    private static String groupName(Map<String, Object> group) {
        String key = (String) group.get("key");
        return group.get("tagSource") == null ? key : key + "|" + group.get("tagSource");
    }

    /** A totals list as currency → amount. Amounts must be JSON strings: a number would have passed through a double. */
    static Map<String, BigDecimal> amounts(Object totals) {
        Map<String, BigDecimal> byCurrency = new HashMap<>();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> list = (List<Map<String, Object>>) totals;
        for (Map<String, Object> total : list) {
            Object amount = total.get("amount");
            if (!(amount instanceof String text)) {
                throw new AssertionError("amount is not a JSON string: " + amount);
            }
            byCurrency.put((String) total.get("currency"), new BigDecimal(text).stripTrailingZeros());
        }
        return byCurrency;
    }
}

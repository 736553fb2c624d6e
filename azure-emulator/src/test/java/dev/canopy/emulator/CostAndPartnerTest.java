package dev.canopy.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.canopy.emulator.world.CostEntry;
import dev.canopy.emulator.world.ServicePrincipal;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Cost Management query and the Partner Admin Link. */
class CostAndPartnerTest extends ArmTestBase {

    static final String QUERY = "/subscriptions/" + RND + "/providers/Microsoft.CostManagement/query?" + COST;

    static Map<String, Object> query(String type, String granularity, List<Map<String, String>> grouping) {
        return Map.of("type", type, "timeframe", "Custom",
                "timePeriod", Map.of("from", "2024-09-01T00:00:00Z", "to", "2024-09-30T23:59:59Z"),
                "dataset", Map.of("granularity", granularity,
                        "aggregation", Map.of("totalCost", Map.of("name", "Cost", "function", "Sum")),
                        "grouping", grouping));
    }

    static BigDecimal worldTotal(String costType) {
        return emulator.world().costs(RND).stream().filter(c -> c.costType().equals(costType))
                .filter(c -> !c.date().isBefore(LocalDate.of(2024, 9, 1)) && !c.date().isAfter(LocalDate.of(2024, 9, 30)))
                .map(CostEntry::cost).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** Follows nextLink (re-POSTing the body) and returns every row. */
    static List<JsonNode> allRows(Map<String, Object> body, JsonNode[] firstColumns) {
        List<JsonNode> rows = new ArrayList<>();
        String next = QUERY;
        while (next != null) {
            EmulatorClient.Reply reply = client.send("POST", next, admin(), body);
            assertThat(reply.status()).isEqualTo(200);
            JsonNode props = reply.json().path("properties");
            firstColumns[0] = props.path("columns");
            props.path("rows").forEach(rows::add);
            next = props.path("nextLink").isNull() ? null : props.path("nextLink").asText();
        }
        return rows;
    }

    @Test
    void dailyCostByResourceAddsUpToTheWorldsCostsAcrossPages() {
        JsonNode[] columns = new JsonNode[1];
        List<JsonNode> rows = allRows(query("ActualCost", "Daily", List.of(Map.of("type", "Dimension", "name", "ResourceId"))), columns);
        assertThat(columns[0].toString()).isEqualTo("[{\"name\":\"Cost\",\"type\":\"Number\"},{\"name\":\"ResourceId\",\"type\":\"String\"},"
                + "{\"name\":\"UsageDate\",\"type\":\"Number\"},{\"name\":\"Currency\",\"type\":\"String\"}]");
        assertThat(rows.size()).isGreaterThan(10);
        double sum = rows.stream().mapToDouble(r -> r.get(0).asDouble()).sum();
        assertThat(sum).isCloseTo(worldTotal("ActualCost").doubleValue(), within(1e-9));
        assertThat(rows.get(0).get(1).asText()).isEqualTo(rows.get(0).get(1).asText().toLowerCase());
        assertThat(rows.get(0).get(2).asLong()).isBetween(20240901L, 20240930L);
        assertThat(rows.get(0).get(3).asText()).isEqualTo("USD");
    }

    @Test
    void amortizedCostByTagKeyHasTagKeyAndTagValueColumns() {
        JsonNode[] columns = new JsonNode[1];
        List<JsonNode> rows = allRows(query("AmortizedCost", "None", List.of(Map.of("type", "TagKey", "name", "env"))), columns);
        assertThat(columns[0].toString()).contains("\"TagKey\"").contains("\"TagValue\"").doesNotContain("UsageDate");
        assertThat(rows).anySatisfy(r -> {
            assertThat(r.get(1).asText()).isEqualTo("env");
            assertThat(r.get(2).asText()).isEqualTo("prod");
        });
        assertThat(rows.stream().mapToDouble(r -> r.get(0).asDouble()).sum())
                .isCloseTo(worldTotal("AmortizedCost").doubleValue(), within(1e-9));
    }

    @Test
    void perScopeQuotaAnswers429WithRetryAfter() {
        emulator.limits().configure(dev.canopy.emulator.limits.LimitSettings.azure());
        Map<String, Object> body = query("ActualCost", "None", List.of());
        for (int i = 0; i < 4; i++) {
            EmulatorClient.Reply ok = client.send("POST", QUERY, admin(), body);
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.header("x-ms-ratelimit-microsoft.costmanagement-qpu-remaining")).startsWith("QueriesPerHour:");
        }
        EmulatorClient.Reply throttled = client.send("POST", QUERY, admin(), body);
        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.json().path("error").path("message").asText()).isEqualTo("Too many requests. Please retry.");
        assertThat(Long.parseLong(throttled.header("Retry-After"))).isBetween(1L, 60L);
        assertThat(throttled.header("x-ms-ratelimit-microsoft.costmanagement-entity-retry-after")).isNotNull();
    }

    @Test
    void invalidQueriesAre400() {
        assertThat(client.send("POST", QUERY, admin(), Map.of("type", "Bogus", "timeframe", "MonthToDate")).status()).isEqualTo(400);
        Map<String, Object> tooLong = Map.of("type", "ActualCost", "timeframe", "Custom",
                "timePeriod", Map.of("from", "2024-01-01T00:00:00Z", "to", "2024-06-30T00:00:00Z"),
                "dataset", Map.of("granularity", "Daily"));
        assertThat(client.send("POST", QUERY, admin(), tooLong).status()).isEqualTo(400);
    }

    @Test
    void thePartnerLinkBindsTheCallingIdentity() {
        ServicePrincipal sp = Fixtures.canopyWithRole(emulator.world(), TREY, RND, Fixtures.TAG_CONTRIBUTOR);
        String token = emulator.tokens().appToken(TREY);
        String base = "/providers/Microsoft.ManagementPartner/partners";
        assertThat(client.get(base + "?api-version=2018-02-01", token).status()).isEqualTo(404);
        EmulatorClient.Reply put = client.send("PUT", base + "/1234567?api-version=2018-02-01", token, null);
        assertThat(put.status()).isEqualTo(200);
        assertThat(put.json().path("properties").path("objectId").asText()).isEqualTo(sp.objectId());
        assertThat(put.json().path("properties").path("tenantId").asText()).isEqualTo(TREY);
        assertThat(put.json().path("id").asText()).isEqualTo("/providers/microsoft.managementpartner/partners/1234567");
        assertThat(client.get(base + "?api-version=2018-02-01", token).json().path("name").asText()).isEqualTo("1234567");
        // The admin's own identity is not linked.
        assertThat(client.get(base + "?api-version=2018-02-01", admin()).status()).isEqualTo(404);
        assertThat(client.send("PUT", base + "/7654321?api-version=2018-02-01", token, null).status()).isEqualTo(409);
        assertThat(client.send("DELETE", base + "/1234567?api-version=2018-02-01", token, null).status()).isEqualTo(200);
        assertThat(client.get(base + "/1234567?api-version=2018-02-01", token).status()).isEqualTo(404);
    }
}

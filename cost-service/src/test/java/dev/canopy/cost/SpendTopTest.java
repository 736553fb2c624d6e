package dev.canopy.cost;

import static dev.canopy.cost.SpendWorld.FIRST_DAY;
import static dev.canopy.cost.SpendWorld.LAST_DAY;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.canopy.events.SpendLine;
import dev.canopy.events.SpendSnapshot;
import dev.canopy.events.SpendSnapshot.CostType;
import dev.canopy.testsupport.azure.AzureEmulatorResource;
import dev.canopy.testsupport.db.PostgresDatabaseResource;
import dev.canopy.testsupport.kafka.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * {@code GET /spend/top}: per currency, the largest groups, checked against a ranking this test computes itself from
 * the spend it published (amount descending, equal amounts by key, no key last); the limit, its default and bounds;
 * the parameter rules and the tenant access shared with {@code GET /spend}.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PostgresDatabaseResource.class)
@WithTestResource(AzureEmulatorResource.class)
class SpendTopTest extends CostTestBase {

    /** Equal amounts are ranked by key: the order Java sorts them in (nulls last), whatever the database collation. */
    private static final Comparator<Map.Entry<String, BigDecimal>> RANKING = Map.Entry
            .<String, BigDecimal>comparingByValue().reversed()
            .thenComparing(Map.Entry.<String, BigDecimal>comparingByKey(
                    Comparator.nullsLast(Comparator.<String>naturalOrder())));

    private static SpendWorld world;
    private static Ties ties;

    /** A tenant of twelve services in EUR, five of them with equal spend (one written with another scale). */
    private record Ties(String tenantId, Map<String, BigDecimal> eur, Map<String, BigDecimal> usd) {
    }

    @BeforeEach
    void publishOnce() {
        synchronized (SpendTopTest.class) {
            if (world == null) {
                world = publishedWorld(21);
                ties = publishedTies();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"resource", "resourceGroup", "service", "subscription"})
    void eachCurrencyRanksItsOwnGroupsLargestFirst(String by) {
        for (CostType costType : CostType.values()) {
            JsonPath answer = top(world.tenantId, Map.of("from", FIRST_DAY, "to", LAST_DAY, "costType", costType,
                    "by", by, "limit", 3));
            Map<String, Map<String, BigDecimal>> expected = byCurrency(SpendWorld.sum(
                    world.facts(costType, FIRST_DAY, LAST_DAY), f -> world.groupOf(by, f)));

            assertThat(answer.getString("by")).isEqualTo(by);
            assertThat(answer.getInt("limit")).isEqualTo(3);
            assertThat(answer.getString("costType")).isEqualTo(costType.name());
            assertRankings(answer, expected, 3);
        }
    }

    @Test
    void labelsAreThoseOfGetSpend() {
        JsonPath answer = top(world.tenantId, Map.of("from", FIRST_DAY, "to", LAST_DAY, "by", "resource",
                "limit", 100));
        JsonPath spend = spend(world.tenantId, Map.of("from", FIRST_DAY, "to", LAST_DAY, "groupBy", "resource"));

        List<Map<String, Object>> items = answer.getList("currencies.items.flatten()");
        assertThat(items).isNotEmpty().allSatisfy(item -> assertThat(item.get("label")).as(item.toString())
                .isEqualTo(spend.getString("groups.find { it.key == " + quoted(item.get("key")) + " }.label")));
        // The inventory's spelling, not the lower-cased spend id.
        assertThat(items).anySatisfy(item -> assertThat((String) item.get("label")).endsWith("/virtualMachines/VM-1"));
    }

    @Test
    void equalAmountsAreRankedByKeyEveryTime() {
        for (int call = 0; call < 3; call++) {
            JsonPath answer = top(ties.tenantId(), Map.of("from", FIRST_DAY, "to", FIRST_DAY, "by", "service",
                    "limit", 6));

            assertThat(answer.getList("currencies.find { it.currency == 'EUR' }.items.key")).containsExactly(
                    "Virtual Machines", "Automation", "Backup", "Bandwidth", "Key Vault", "Storage");
            assertRankings(answer, Map.of("EUR", ties.eur(), "USD", ties.usd()), 6);
        }
    }

    @Test
    void theLimitDefaultsToTenAndGoesUpToAHundred() {
        JsonPath byDefault = top(ties.tenantId(), Map.of("from", FIRST_DAY, "to", LAST_DAY, "by", "service"));
        JsonPath all = top(ties.tenantId(), Map.of("from", FIRST_DAY, "to", LAST_DAY, "by", "SERVICE",
                "limit", 100));

        assertThat(byDefault.getInt("limit")).isEqualTo(10);
        assertRankings(byDefault, Map.of("EUR", ties.eur(), "USD", ties.usd()), 10);
        assertThat(byDefault.getList("currencies.find { it.currency == 'EUR' }.items")).hasSize(10);
        assertThat(all.getString("by")).isEqualTo("service");
        assertRankings(all, Map.of("EUR", ties.eur(), "USD", ties.usd()), 100);
        assertThat(all.getList("currencies.find { it.currency == 'EUR' }.items")).hasSize(12);
    }

    @Test
    void aTenantWithoutSpendHasNoRankings() {
        JsonPath answer = top(UUID.randomUUID().toString(), Map.of("from", FIRST_DAY, "to", LAST_DAY,
                "by", "resourceGroup"));

        assertThat(answer.getList("currencies")).isEmpty();
    }

    @Test
    void brokenParametersAreListedTogether() {
        Map<String, Object> valid = Map.of("tenant", ties.tenantId(), "from", FIRST_DAY, "to", LAST_DAY,
                "by", "service");
        String viewer = viewerOf(ties.tenantId());

        assertViolations(get("/spend/top", viewer, Map.of()), "tenant Required", "from Required", "to Required",
                "by Required");
        for (String by : List.of("location", "day", "tag:CostCenter", "meter")) {
            assertViolations(get("/spend/top", viewer, with(valid, "by", by)), "by OneOf");
        }
        for (String limit : List.of("0", "101", "-1", "ten", "2.5")) {
            assertViolations(get("/spend/top", viewer, with(valid, "limit", limit)), "limit Range");
        }
        assertViolations(get("/spend/top", viewer, with(with(valid, "by", "tag"), "limit", "1000")), "by OneOf",
                "limit Range");
        assertViolations(get("/spend/top", viewer, with(valid, "from", "2026-13-01")), "from IsoDate");
    }

    @Test
    void onlyTheTenantsCallersAndOpsReadIt() {
        Map<String, Object> query = Map.of("tenant", ties.tenantId(), "from", FIRST_DAY, "to", LAST_DAY,
                "by", "service");

        given().queryParams(query).get("/spend/top").then().statusCode(401);
        Response foreign = get("/spend/top", token("mallory@cost.test", "admin:" + UUID.randomUUID()), query);
        assertThat(foreign.statusCode()).isEqualTo(404);
        assertThat(foreign.contentType()).startsWith("application/problem+json");
        get("/spend/top", token("ops@cost.test", "ops"), query).then().statusCode(200);
        get("/spend/top", token("editor@cost.test", "tag-editor:" + ties.tenantId()), query).then().statusCode(200);
    }

    private JsonPath top(String tenantId, Map<String, ?> parameters) {
        Map<String, Object> query = new HashMap<>(parameters);
        query.put("tenant", tenantId);
        return get("/spend/top", viewerOf(tenantId), query).then().statusCode(200).extract().jsonPath();
    }

    /**
     * The answer ranks each currency's groups as {@link #RANKING} orders the expected sums, lists at most
     * {@code limit} of them, and gives the currency's total and group count over all groups.
     */
    private static void assertRankings(JsonPath answer, Map<String, Map<String, BigDecimal>> expected, int limit) {
        assertThat(answer.getList("currencies.currency")).containsExactlyElementsOf(new TreeMap<>(expected).keySet());
        expected.forEach((currency, groups) -> {
            String path = "currencies.find { it.currency == '" + currency + "' }";
            List<Map.Entry<String, BigDecimal>> ranked = new ArrayList<>(groups.entrySet());
            ranked.sort(RANKING);
            List<Map.Entry<String, BigDecimal>> listed = ranked.subList(0, Math.min(limit, ranked.size()));
            List<Map<String, Object>> items = answer.getList(path + ".items");

            assertThat(items.stream().map(i -> (String) i.get("key")).toList()).as(currency)
                    .containsExactlyElementsOf(listed.stream().map(Map.Entry::getKey).toList());
            assertThat(items.stream().map(i -> exact(i.get("amount"))).toList()).as(currency)
                    .containsExactlyElementsOf(listed.stream().map(e -> e.getValue().stripTrailingZeros()).toList());
            assertThat(exact(answer.get(path + ".total"))).as(currency)
                    .isEqualTo(groups.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add).stripTrailingZeros());
            assertThat(answer.getInt(path + ".groupCount")).as(currency).isEqualTo(groups.size());
        });
    }

    // An amount must be a JSON string (a number would have passed through a double); compared by value.
    private static BigDecimal exact(Object amount) {
        assertThat(amount).isInstanceOf(String.class);
        return new BigDecimal((String) amount).stripTrailingZeros();
    }

    /** group → currency → amount turned into currency → group → amount. */
    private static Map<String, Map<String, BigDecimal>> byCurrency(Map<String, Map<String, BigDecimal>> sums) {
        Map<String, Map<String, BigDecimal>> byCurrency = new HashMap<>();
        sums.forEach((group, amounts) -> amounts.forEach((currency, amount) ->
                byCurrency.computeIfAbsent(currency, c -> new HashMap<>()).put(group, amount)));
        return byCurrency;
    }

    private Ties publishedTies() {
        String tenantId = UUID.randomUUID().toString();
        Map<String, BigDecimal> eur = new HashMap<>();
        // Published in an order unlike the ranking's: the ranking must not depend on it.
        String[][] services = {{"Storage", "10.00"}, {"Key Vault", "10.00"}, {"Backup", "10.0"},
            {"Virtual Machines", "12.5"}, {"Bandwidth", "10.00"}, {"Automation", "10.000"}, {"DNS", "0.01"},
            {"Monitor", "3.3"}, {"Functions", "7"}, {"Firewall", "9.99"}, {"Defender", "1"}, {"Logic Apps", "2"}};
        List<SpendLine> lines = new ArrayList<>();
        for (String[] service : services) {
            BigDecimal amount = new BigDecimal(service[1]);
            lines.add(new SpendLine(null, null, null, service[0], service[0], amount, "EUR"));
            eur.put(service[0], amount.stripTrailingZeros());
        }
        lines.add(new SpendLine(null, null, null, "Storage", "Storage", new BigDecimal("1.00"), "USD"));
        publishAndAwait(new SpendSnapshot(UUID.randomUUID(), Instant.now(), tenantId, UUID.randomUUID().toString(),
                FIRST_DAY, CostType.ACTUAL, SpendSnapshot.Source.COST_MANAGEMENT, lines, UUID.randomUUID()));
        return new Ties(tenantId, eur, Map.of("Storage", BigDecimal.ONE));
    }

    private static Map<String, Object> with(Map<String, Object> parameters, String name, Object value) {
        Map<String, Object> changed = new HashMap<>(parameters);
        changed.put(name, value);
        return changed;
    }

    private static void assertViolations(Response response, String... fieldAndRule) {
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        List<Map<String, String>> violations = response.jsonPath().getList("violations");
        assertThat(violations.stream().map(v -> v.get("field") + " " + v.get("rule")).toList())
                .containsExactlyInAnyOrder(fieldAndRule);
    }

    private static String quoted(Object key) {
        return key == null ? "null" : "'" + key + "'";
    }
}

package dev.canopy.cost;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.canopy.events.SpendSnapshot.CostType;
import dev.canopy.testsupport.azure.AzureEmulatorResource;
import dev.canopy.testsupport.db.PostgresDatabaseResource;
import dev.canopy.testsupport.kafka.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * The import's rules on the real database: one file is one import however often it is sent, a restated file replaces
 * its days, a file with a broken row or another tenant's subscription writes nothing, unknown files are refused naming
 * what is expected, and bodies above the limit are refused before they are read. Each test has tenants of its own,
 * and samples with fresh subscription ids.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PostgresDatabaseResource.class)
@WithTestResource(AzureEmulatorResource.class)
class ImportRulesTest extends CostTestBase {

    private final String tenant = UUID.randomUUID().toString();

    @TestHTTPResource("/imports")
    URL importsUrl;

    @Test
    void theSameBytesTwiceAreOneImportAndChangeNothing() throws Exception {
        ExportFile file = ExportFile.sample("focus_sample.csv").withFreshSubscriptions();
        JsonPath first = importFile(tenant, null, file);
        String tables = spendTables(tenant);

        Response again = postImport(tenant, null, file, adminOf(tenant));

        again.then().statusCode(200);
        assertThat(again.jsonPath().getString("id")).isEqualTo(first.getString("id"));
        assertThat(again.jsonPath().getBoolean("duplicate")).isTrue();
        assertThat(again.header("Location")).isNull();
        // Not one day rewritten: the days still carry the event ids of the first import.
        assertThat(spendTables(tenant)).isEqualTo(tables);
        assertThat(imports(tenant)).hasSize(1);
    }

    @Test
    void aRestatedFileReplacesItsDaysInsteadOfAddingToThem() {
        ExportFile original = importedEaActualCosts();
        // Cost Management restates a day: same days, other amounts.
        ExportFile restated = original.withCosts(cost -> cost.multiply(BigDecimal.TEN).add(new BigDecimal("0.01")));

        importFile(tenant, "ACTUAL", restated);

        Map<String, BigDecimal> totals = spendTotals(tenant, original.firstDay(), original.lastDay(), "ACTUAL");
        assertThat(totals).isEqualTo(restated.totals(CostType.ACTUAL)).isNotEqualTo(original.totals(CostType.ACTUAL));
        assertThat(groupsOf(spend(tenant, Map.of("from", original.firstDay(), "to", original.lastDay(), "groupBy",
                "subscription")), "groups")).isEqualTo(restated.sums(CostType.ACTUAL, restated::subscription));
        assertThat(imports(tenant)).hasSize(2);
    }

    @Test
    void aFileWithBrokenRowsIsRefusedWholeAndWritesNothing() throws Exception {
        ExportFile good = importedEaActualCosts();
        String tables = spendTables(tenant);
        // A restatement whose good rows alone would change every total, with three broken rows among them.
        ExportFile broken = good.withCosts(cost -> cost.add(BigDecimal.ONE)).withCell(4, "Cost", "12,5")
                .withCell(7, "Date", "09/31/2023").withCell(9, "BillingCurrency", "US");

        Response response = postImport(tenant, "ACTUAL", broken, adminOf(tenant));

        assertProblem(response, 400, "validation-failed");
        assertThat(violations(response)).containsExactly("row[4].Cost Decimal", "row[7].Date Date",
                "row[9].BillingCurrency Currency");
        assertThat(response.jsonPath().getString("violations[0].message")).contains("row 4", "12,5");
        assertThat(response.jsonPath().getString("detail")).startsWith("3 of 11 rows").contains("nothing was imported");
        assertThat(spendTables(tenant)).isEqualTo(tables);
        assertThat(imports(tenant)).hasSize(1);
    }

    @Test
    void aFailureHalfwayThroughTheWritesLeavesNothingWritten() throws Exception {
        ExportFile original = importedEaActualCosts();
        String tables = spendTables(tenant);
        ExportFile restated = original.withCosts(BigDecimal::negate);
        // Days are written subscription by subscription, in id order: the last one's facts fail, after the others'
        // days were replaced in the same transaction.
        String last = new TreeSet<>(original.subscriptions()).last();
        execute("""
                CREATE FUNCTION failing_fact() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'simulated failure halfway through an import';
                END $$""");
        execute("CREATE TRIGGER failing_fact BEFORE INSERT ON spend_fact FOR EACH ROW WHEN (NEW.tenant_id = '"
                + tenant + "' AND NEW.subscription_id = '" + last + "') EXECUTE FUNCTION failing_fact()");
        Response response;
        try {
            response = postImport(tenant, "ACTUAL", restated, adminOf(tenant));
        } finally {
            execute("DROP TRIGGER failing_fact ON spend_fact");
            execute("DROP FUNCTION failing_fact()");
        }

        assertProblem(response, 500, "internal-error");
        assertThat(spendTables(tenant)).isEqualTo(tables);
        assertThat(imports(tenant)).hasSize(1);
    }

    @Test
    void aFileBreakingRulesEverywhereListsTheFirstFiftyAndCountsTheRest() {
        ExportFile file = ExportFile.sample("focus_sample.csv").withFreshSubscriptions()
                .withColumn("BillingCurrency", currency -> "DOLLAR");

        Response response = postImport(tenant, null, file, adminOf(tenant));

        assertProblem(response, 400, "validation-failed");
        assertThat(violations(response)).hasSize(50).allMatch(v -> v.endsWith(".BillingCurrency Currency"));
        // Rows of other providers are skipped unread, so only the Microsoft rows break the rule.
        int microsoftRows = file.importedRows().size();
        assertThat(response.jsonPath().getString("detail")).startsWith(microsoftRows + " of " + file.rowCount()
                + " rows break " + microsoftRows + " rules; the first 50 are listed");
    }

    @Test
    void brokenCsvRaggedRowsAndOtherEncodingsAreRefused() {
        String header = ExportFile.sample("EA_NoRows.csv").header();

        Response unclosed = postImport(tenant, "ACTUAL", ExportFile.of("unclosed.csv", header
                + "\n1,\"an unclosed quote\n"), adminOf(tenant));
        assertProblem(unclosed, 400, "validation-failed");
        assertThat(violations(unclosed)).containsExactly("row[2] Csv");

        Response ragged = postImport(tenant, "ACTUAL", ExportFile.of("ragged.csv", header + "\n1,2\n"),
                adminOf(tenant));
        assertProblem(ragged, 400, "validation-failed");
        assertThat(violations(ragged)).containsExactly("row[2] ColumnCount");

        byte[] latin1 = (header + "\nCaf\u00e9\n").getBytes(StandardCharsets.ISO_8859_1);
        Response encoding = postImport(tenant, "ACTUAL", ExportFile.raw("latin1.csv", latin1), adminOf(tenant));
        assertProblem(encoding, 400, "validation-failed");
        assertThat(violations(encoding)).containsExactly("body Utf8");
        assertThat(imports(tenant)).isEmpty();
    }

    @Test
    void anUnknownHeaderIsRefusedNamingEachFormatsColumnsAndWhatItLacks() {
        Response response = postImport(tenant, "ACTUAL",
                ExportFile.of("other.csv", "Date,ResourceId,Amount\n09/01/2024,/subscriptions/x,1\n"),
                adminOf(tenant));

        assertProblem(response, 400, "validation-failed");
        assertThat(violations(response)).containsExactly("header UnknownFormat", "header UnknownFormat",
                "header UnknownFormat");
        List<String> messages = response.jsonPath().getList("violations.message");
        assertThat(messages.get(0)).startsWith("FOCUS_1_0 expects the columns ProviderName, SubAccountId")
                .contains("BilledCost", "EffectiveCost", "this file lacks ProviderName");
        assertThat(messages.get(1)).startsWith("EA expects the columns SubscriptionId (or SubscriptionGuid), Date")
                .contains("Cost", "ConsumedService");
        String lacks = messages.get(1).substring(messages.get(1).indexOf("lacks"));
        // The file has Date and ResourceId: they are not missing.
        assertThat(lacks).contains("SubscriptionId", "MeterCategory").doesNotContain("Date", "ResourceId");
        assertThat(messages.get(2)).startsWith("MCA expects the columns subscriptionId")
                .contains("costInBillingCurrency");
        assertThat(response.jsonPath().getString("detail")).contains("FOCUS_1_0, EA, MCA", "Date, ResourceId, Amount");
    }

    @Test
    void anEaFileNeedsItsCostTypeAndAFocusFileMayChooseOne() {
        ExportFile ea = ExportFile.sample("EA_AmortizedCost_Small.csv").withFreshSubscriptions();

        Response withoutType = postImport(tenant, null, ea, adminOf(tenant));

        assertProblem(withoutType, 400, "validation-failed");
        assertThat(violations(withoutType)).containsExactly("costType Required");
        assertThat(imports(tenant)).isEmpty();

        ExportFile focus = ExportFile.sample("focus_sample.microsoft-rows-only.csv").withFreshSubscriptions();
        JsonPath amortizedOnly = importFile(tenant, "AMORTIZED", focus);

        assertThat(amortizedOnly.getList("costTypes")).containsExactly("AMORTIZED");
        assertThat(amortizedOnly.getMap("totals")).containsOnlyKeys("AMORTIZED");
        assertThat(spendTotals(tenant, focus.firstDay(), focus.lastDay(), "AMORTIZED"))
                .isEqualTo(focus.totals(CostType.AMORTIZED));
        assertThat(spendTotals(tenant, focus.firstDay(), focus.lastDay(), "ACTUAL")).isEmpty();
    }

    @Test
    void aSubscriptionKnownUnderAnotherTenantRefusesTheWholeFile() throws Exception {
        // Known through its spend: this test's tenant imported it.
        ExportFile file = importedEaActualCosts();
        String tables = spendTables(tenant);
        String intruder = UUID.randomUUID().toString();

        Response response = postImport(intruder, "ACTUAL", file, adminOf(intruder));

        assertProblem(response, 400, "validation-failed");
        assertThat(violations(response)).containsExactlyInAnyOrderElementsOf(file.subscriptions().stream()
                .map(s -> "subscriptions['" + s + "'] OtherTenant").toList());
        assertThat(response.asString()).doesNotContain(tenant);
        assertThat(spendTables(tenant)).isEqualTo(tables);
        assertThat(spendTables(intruder)).startsWith("0 facts");
        assertThat(imports(intruder)).isEmpty();

        // Known through its inventory only: canopy.resources put it under the world's tenant.
        SpendWorld world = new SpendWorld(31);
        publishAndAwait(world.inventoryEvents());
        ExportFile focus = ExportFile.sample("focus_sample.microsoft-rows-only.csv");
        ExportFile naming = focus.withSubscriptions(Map.of(focus.subscriptions().iterator().next(),
                world.subscription1));

        Response inventory = postImport(intruder, null, naming, adminOf(intruder));

        assertProblem(inventory, 400, "validation-failed");
        assertThat(violations(inventory)).containsExactly("subscriptions['" + world.subscription1 + "'] OtherTenant");
        assertThat(spendTables(intruder)).startsWith("0 facts");
    }

    @Test
    void aBodyDeclaredLargerThanTheLimitIsRefusedBeforeItIsRead() throws IOException {
        // Only the head of the request is sent: the answer must come before any of the body (%test limit: 4M).
        String head = "POST /imports?tenant=" + tenant + "&costType=ACTUAL HTTP/1.1\r\n"
                + "Host: " + importsUrl.getHost() + "\r\n"
                + "Authorization: Bearer " + adminOf(tenant) + "\r\n"
                + "Content-Type: text/csv\r\n"
                + "Content-Length: " + (4 * 1024 * 1024 + 1) + "\r\n\r\n";
        String response;
        try (Socket socket = new Socket(importsUrl.getHost(), importsUrl.getPort())) {
            socket.setSoTimeout((int) WAIT.toMillis());
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            // The service closes the connection after answering, rather than read a body it refused.
            response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }

        assertThat(response).startsWith("HTTP/1.1 413 ");
        assertThat(response.toLowerCase(Locale.ROOT)).contains("content-type: application/problem+json");
        assertThat(response).contains("\"type\":\"https://canopy.dev/problems/payload-too-large\"",
                "\"status\":413", "4194304 bytes");
        assertThat(imports(tenant)).isEmpty();
    }

    /** The EA actual-cost sample with fresh subscriptions, imported as the tenant's actual cost. */
    private ExportFile importedEaActualCosts() {
        ExportFile file = ExportFile.sample("EA_ActualCost_Small.csv").withFreshSubscriptions();
        importFile(tenant, "ACTUAL", file);
        return file;
    }

    private List<Map<String, Object>> imports(String tenantId) {
        Map<String, Object> query = new HashMap<>();
        query.put("tenant", tenantId);
        return get("/imports", viewerOf(tenantId), query).then().statusCode(200).extract().jsonPath()
                .getList("imports");
    }
}

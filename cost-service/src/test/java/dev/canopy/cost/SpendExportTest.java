package dev.canopy.cost;

import static dev.canopy.cost.SpendWorld.FIRST_DAY;
import static dev.canopy.cost.SpendWorld.LAST_DAY;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.canopy.cost.SpendWorld.Fact;
import dev.canopy.events.SpendLine;
import dev.canopy.events.SpendSnapshot;
import dev.canopy.events.SpendSnapshot.CostType;
import dev.canopy.testsupport.azure.AzureEmulatorResource;
import dev.canopy.testsupport.db.PostgresDatabaseResource;
import dev.canopy.testsupport.kafka.KafkaBrokerResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * {@code GET /spend/export} over spend published to the real broker: both formats parse back, with commons-csv, to
 * exactly the facts of the range (compared row by row and per currency with what this test sent), under the
 * documented headers; and a large export streams — the service writes while the client reads, not after it read all.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PostgresDatabaseResource.class)
@WithTestResource(AzureEmulatorResource.class)
class SpendExportTest extends CostTestBase {

    private static final Logger LOG = Logger.getLogger(SpendExportTest.class);
    /** Forty times the lines of every day of the world: 3,400 facts per cost type, several fetches' worth. */
    private static final int SCALE = 40;
    private static final List<String> CSV_HEADER = List.of("usageDate", "subscriptionId", "resourceGroup",
            "resourceId", "serviceName", "meterCategory", "costType", "amount", "currency");
    private static final List<String> FOCUS_HEADER = List.of("ChargePeriodStart", "ChargePeriodEnd",
            "BillingCurrency", "BilledCost", "EffectiveCost", "SubAccountId", "ResourceId", "x_ResourceGroupName",
            "ServiceName", "x_SkuMeterCategory", "ProviderName", "PublisherName", "InvoiceIssuerName");

    /** How a client reads the files: RFC 4180, names from the header row. */
    private static final CSVFormat HEADED = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get();

    private static SpendWorld world;

    @Inject
    MeterRegistry metrics;

    @TestHTTPResource("/spend/export")
    URL exportUrl;

    @BeforeEach
    void publishOnce() {
        synchronized (SpendExportTest.class) {
            if (world == null) {
                SpendWorld fresh = new SpendWorld(31);
                for (SpendSnapshot day : List.copyOf(fresh.latestSpend.values())) {
                    fresh.put(fresh.snapshot(day.subscriptionId(), day.usageDate(), day.costType(), SCALE));
                }
                publishAndAwait(fresh.latestSpend.values());
                world = fresh;
            }
        }
    }

    @Test
    void csvHoldsExactlyTheFactsOfTheRange() throws IOException {
        LocalDate from = FIRST_DAY.plusDays(1);
        Response response = export(Map.of("from", from, "to", LAST_DAY));

        assertThat(response.contentType().replace(" ", "")).isEqualToIgnoringCase("text/csv;charset=UTF-8");
        assertThat(response.header("Content-Disposition")).isEqualTo("attachment; filename=\"canopy-spend-"
                + world.tenantId + "-" + from + "-" + LAST_DAY + "-actual.csv\"");
        Parsed file = parse(response.asInputStream());
        assertThat(file.header()).isEqualTo(CSV_HEADER);
        assertThat(file.rows()).hasSizeGreaterThan(2_000).containsExactlyInAnyOrderElementsOf(
                expected(CostType.ACTUAL, from, LAST_DAY, SpendExportTest::csvRow));
        assertThat(file.sums("currency", "amount")).isEqualTo(expectedSums(CostType.ACTUAL, from, LAST_DAY));
    }

    @Test
    void focusNamesTheSameFactsAsFocusDoes() throws IOException {
        Response amortized = export(Map.of("from", FIRST_DAY, "to", LAST_DAY, "costType", "amortized",
                "format", "FOCUS"));
        Response actual = export(Map.of("from", LAST_DAY, "to", LAST_DAY, "format", "focus"));

        assertThat(amortized.header("Content-Disposition")).endsWith("-" + LAST_DAY + "-amortized-focus.csv\"");
        Parsed file = parse(amortized.asInputStream());
        assertThat(file.header()).isEqualTo(FOCUS_HEADER);
        // Amortized cost is FOCUS's EffectiveCost; actual cost is BilledCost. The other stays empty.
        assertThat(file.rows()).containsExactlyInAnyOrderElementsOf(
                expected(CostType.AMORTIZED, FIRST_DAY, LAST_DAY, f -> focusRow(f, "", amount(f))));
        assertThat(file.sums("BillingCurrency", "EffectiveCost"))
                .isEqualTo(expectedSums(CostType.AMORTIZED, FIRST_DAY, LAST_DAY));
        assertThat(parse(actual.asInputStream()).rows()).containsExactlyInAnyOrderElementsOf(
                expected(CostType.ACTUAL, LAST_DAY, LAST_DAY, f -> focusRow(f, amount(f), "")));
    }

    @Test
    void onlyTheTenantsCallersReadItAndBadParametersAreNamed() {
        Map<String, Object> query = Map.of("tenant", world.tenantId, "from", FIRST_DAY, "to", LAST_DAY);

        given().queryParams(query).get("/spend/export").then().statusCode(401);
        Response foreign = get("/spend/export", token("mallory@cost.test", "viewer:" + UUID.randomUUID()), query);
        assertThat(foreign.statusCode()).isEqualTo(404);
        assertThat(foreign.contentType()).startsWith("application/problem+json");
        Response bad = get("/spend/export", viewerOf(world.tenantId), Map.of("tenant", world.tenantId,
                "from", FIRST_DAY, "to", LAST_DAY, "format", "xlsx", "costType", "net"));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.contentType()).startsWith("application/problem+json");
        assertThat(bad.jsonPath().getList("violations.rule")).containsExactlyInAnyOrder("OneOf", "OneOf");
        assertThat(bad.jsonPath().getList("violations.field")).containsExactlyInAnyOrder("format", "costType");
        // A tenant without spend: a file with the header only.
        String empty = UUID.randomUUID().toString();
        Response none = get("/spend/export", viewerOf(empty), Map.of("tenant", empty, "from", FIRST_DAY,
                "to", LAST_DAY));
        assertThat(none.statusCode()).isEqualTo(200);
        assertThat(none.asString()).isEqualTo(String.join(",", CSV_HEADER) + "\r\n");
    }

    /**
     * Sixty thousand facts (some 16 MB of CSV, more than the connection's buffers hold): while the client holds off
     * after the first row, the service has written only part of the file, keeps its read-only transaction open on
     * the export's query, and holds no more than a fetch of it — it reads through its cursor as the client reads.
     */
    @Test
    void aLargeExportIsWrittenWhileItIsRead() throws Exception {
        int days = 40;
        int linesPerDay = 1_500;
        String tenantId = UUID.randomUUID().toString();
        List<SpendSnapshot> snapshots = bulkSpend(tenantId, days, linesPerDay);
        publishAndAwait(snapshots);
        Map<String, BigDecimal> expectedSums = new HashMap<>();
        snapshots.forEach(s -> s.lines().forEach(l -> expectedSums.merge(l.currency(), l.amount(), BigDecimal::add)));
        expectedSums.replaceAll((currency, sum) -> sum.stripTrailingZeros());
        long total = (long) days * linesPerDay;
        double writtenBefore = exportedFacts();

        long heapBefore = liveHeap();
        long started = System.nanoTime();
        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(exportUrl + "?tenant=" + tenantId + "&from=" + FIRST_DAY + "&to="
                        + FIRST_DAY.plusDays(days - 1)))
                .header("Authorization", "Bearer " + viewerOf(tenantId)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        long rows = 0;
        long writtenWhilePaused;
        long heapWhilePaused;
        Map<String, BigDecimal> sums = new HashMap<>();
        try (CSVParser parser = HEADED.parse(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            Iterator<CSVRecord> records = parser.iterator();
            assertThat(parser.getHeaderNames()).isEqualTo(CSV_HEADER);
            add(records.next(), sums);
            rows++;
            // The client holds off: the service fills the connection's buffers, then waits with its cursor open.
            await().atMost(WAIT).until(() -> exportBackends("state = 'idle in transaction'") > 0);
            writtenWhilePaused = (long) (exportedFacts() - writtenBefore);
            heapWhilePaused = liveHeap() - heapBefore;
            // All 60,000 facts read at once would hold some 40 MB here; one fetch and the buffers, a few MB.
            assertThat(heapWhilePaused).as("live heap grown while the client held off").isLessThan(24L << 20);
            assertThat(writtenWhilePaused).as("facts written while the client held off").isLessThan(total);
            // Counted and summed as they come: the test does not hold the file either.
            while (records.hasNext()) {
                add(records.next(), sums);
                rows++;
            }
        }
        long millis = Math.max(1, (System.nanoTime() - started) / 1_000_000);
        LOG.infof("EXPORT-FIGURES %d facts in %d ms (%d facts/s); %d written while the client held off; live heap "
                + "%+d KiB then", total, millis, total * 1000 / millis, writtenWhilePaused, heapWhilePaused / 1024);

        assertThat(rows).isEqualTo(total);
        sums.replaceAll((currency, sum) -> sum.stripTrailingZeros());
        assertThat(sums).isEqualTo(expectedSums);
        await().atMost(WAIT).until(() -> exportBackends("state <> 'idle'") == 0);
    }

    private static void add(CSVRecord record, Map<String, BigDecimal> sums) {
        sums.merge(record.get("currency"), new BigDecimal(record.get("amount")), BigDecimal::add);
    }

    private Response export(Map<String, ?> parameters) {
        Map<String, Object> query = new HashMap<>(parameters);
        query.put("tenant", world.tenantId);
        Response response = get("/spend/export", viewerOf(world.tenantId), query);
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        return response;
    }

    /** A parsed export: its header names and its rows, each row's fields joined with '|'. */
    private record Parsed(List<String> header, List<CSVRecord> records) {

        List<String> rows() {
            return records.stream().map(r -> String.join("|", r.toList())).toList();
        }

        /** The amounts of one column summed per currency of another; empty amounts are no amount. */
        Map<String, BigDecimal> sums(String currencyColumn, String amountColumn) {
            Map<String, BigDecimal> sums = new HashMap<>();
            records.stream().filter(r -> !r.get(amountColumn).isEmpty()).forEach(r ->
                    sums.merge(r.get(currencyColumn), new BigDecimal(r.get(amountColumn)), BigDecimal::add));
            sums.replaceAll((currency, sum) -> sum.stripTrailingZeros());
            return sums;
        }
    }

    private static Parsed parse(InputStream csv) throws IOException {
        try (CSVParser parser = HEADED.parse(new InputStreamReader(csv, StandardCharsets.UTF_8))) {
            return new Parsed(parser.getHeaderNames(), parser.getRecords());
        }
    }

    /** The expected rows of the facts the test sent, in the same '|'-joined form. */
    private static List<String> expected(CostType costType, LocalDate from, LocalDate to,
            Function<Fact, List<String>> columns) {
        return world.facts(costType, from, to).map(f -> String.join("|", columns.apply(f))).toList();
    }

    private static Map<String, BigDecimal> expectedSums(CostType costType, LocalDate from, LocalDate to) {
        return SpendWorld.sum(world.facts(costType, from, to), f -> "all").get("all");
    }

    private static List<String> csvRow(Fact f) {
        SpendLine line = f.line();
        return Stream.of(f.snapshot().usageDate().toString(), f.snapshot().subscriptionId(), line.resourceGroup(),
                line.displayResourceId(), line.serviceName(), line.meterCategory(), f.snapshot().costType().name(),
                amount(f), line.currency()).map(SpendExportTest::field).toList();
    }

    private static List<String> focusRow(Fact f, String billedCost, String effectiveCost) {
        SpendLine line = f.line();
        LocalDate day = f.snapshot().usageDate();
        return Stream.of(day + "T00:00:00Z", day.plusDays(1) + "T00:00:00Z", line.currency(), billedCost,
                effectiveCost, "/subscriptions/" + f.snapshot().subscriptionId(), line.displayResourceId(),
                line.resourceGroup(), line.serviceName(), line.meterCategory(), "Microsoft", "Microsoft", "Microsoft")
                .map(SpendExportTest::field).toList();
    }

    // Exactly as sent: plain notation with the scale the event carried.
    private static String amount(Fact f) {
        return f.line().amount().toPlainString();
    }

    // An absent value is an empty field.
    private static String field(String value) {
        return value == null ? "" : value;
    }

    /** Forty days of 1,500 lines each for one subscription, in EUR and USD, with ids as long as Azure's. */
    private static List<SpendSnapshot> bulkSpend(String tenantId, int days, int linesPerDay) {
        String subscription = UUID.randomUUID().toString();
        List<SpendSnapshot> snapshots = new ArrayList<>();
        for (int d = 0; d < days; d++) {
            List<SpendLine> lines = new ArrayList<>();
            for (int n = 0; n < linesPerDay; n++) {
                String group = "rg-bulk-" + (n % 25);
                String id = "/subscriptions/" + subscription + "/resourceGroups/" + group
                        + "/providers/Microsoft.Compute/virtualMachines/vm-bulk-" + n;
                BigDecimal amount = new BigDecimal(BigInteger.valueOf(1_000_003L * n + 7919L * d + 1), 9);
                lines.add(new SpendLine(null, id, group, "Virtual Machines", "Virtual Machines", amount,
                        n % 5 == 0 ? "USD" : "EUR"));
            }
            snapshots.add(new SpendSnapshot(UUID.randomUUID(), Instant.now(), tenantId, subscription,
                    FIRST_DAY.plusDays(d), CostType.ACTUAL, SpendSnapshot.Source.COST_EXPORT, lines,
                    UUID.randomUUID()));
        }
        return snapshots;
    }

    // The heap still in use after a full collection (the test and the service share the JVM).
    private static long liveHeap() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private double exportedFacts() {
        return metrics.find("canopy.cost.export.facts").counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private long exportBackends(String condition) throws SQLException {
        return queryLong("SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid()"
                + " AND datname = current_database() AND query LIKE '/* canopy spend export */%' AND " + condition);
    }
}

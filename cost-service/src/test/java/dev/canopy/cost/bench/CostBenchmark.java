package dev.canopy.cost.bench;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

import dev.canopy.cost.query.Dimension;
import dev.canopy.cost.query.GroupBy;
import dev.canopy.cost.query.SpendQueries;
import dev.canopy.cost.query.SpendScope;
import dev.canopy.emulator.limits.LimitSettings;
import dev.canopy.events.SpendLine;
import dev.canopy.events.SpendSnapshot;
import dev.canopy.events.SpendSnapshot.CostType;
import dev.canopy.testsupport.kafka.EventTopicClient;
import dev.canopy.testsupport.process.ServiceEnvironment;
import dev.canopy.testsupport.process.ServiceProcess;

/**
 * Benchmark (a main class, not a test) of cost-service run as the packaged app on the test broker and a fresh
 * database: spend lines per second from {@code canopy.spend} into the database; rows per second of a cost-export import
 * ({@code POST /imports}, an EA file of {@code rows} rows); and the p50 / p95 of {@code GET /spend} per group-by over
 * {@code facts} synthetic facts of one tenant-month next to the same SQL run straight on the database. Run by
 * {@code bench/cost [facts] [lines] [rows]}.
 */
public final class CostBenchmark {

    private static final Duration READY = Duration.ofMinutes(2);
    private static final Duration INGEST_LIMIT = Duration.ofMinutes(20);
    private static final int RUNS = 10;
    private static final List<String> SERVICES = List.of("Virtual Machines", "Storage", "Azure App Service",
            "SQL Database", "Bandwidth", "Key Vault", "Azure Monitor", "Virtual Network", "Azure DNS", "Backup",
            "Container Registry", "Log Analytics");
    private static final List<String> COST_CENTER_SPELLINGS = List.of("CostCenter", "costcenter", "COSTCENTER");

    private CostBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long facts = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        int lines = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        int rows = args.length > 2 ? Integer.parseInt(args[2]) : 200_000;
        System.out.printf("cost-service benchmark on %d cores: ingestion of %,d spend lines; an import of %,d rows; "
                + "group-by over %,d facts%n", Runtime.getRuntime().availableProcessors(), lines, rows, facts);
        Path logDir = ServiceProcess.targetDirOf(CostBenchmark.class).resolve("cost-instances").resolve("bench");
        try (ServiceEnvironment env = ServiceEnvironment.start("cost-service", logDir, LimitSettings.off())) {
            Path jar = ServiceProcess.appJar(ServiceProcess.targetDirOf(CostBenchmark.class), "cost-service");
            ServiceProcess app = env.launch("cost-bench", jar, Map.of(), "1g").awaitReady(READY);
            System.out.printf("app ready; log %s%n", app.log());
            ingestion(env, lines);
            importing(env, app, rows);
            groupBy(env, app, facts);
        }
    }

    // ---- 1. canopy.spend into the database ----

    private static void ingestion(ServiceEnvironment env, int lines) throws Exception {
        int linesPerDay = 500;
        int days = Math.max(1, lines / linesPerDay);
        String tenant = UUID.randomUUID().toString();
        LocalDate first = LocalDate.of(2025, 1, 1);
        SplittableRandom random = new SplittableRandom(1);
        List<SpendSnapshot> snapshots = new ArrayList<>(days);
        for (int d = 0; d < days; d++) {
            String subscription = UUID.nameUUIDFromBytes(("ingest-" + d % 10).getBytes(StandardCharsets.UTF_8))
                    .toString();
            List<SpendLine> dayLines = new ArrayList<>(linesPerDay);
            for (int i = 0; i < linesPerDay; i++) {
                String id = "/subscriptions/" + subscription + "/resourceGroups/rg-" + i % 20
                        + "/providers/Microsoft.Compute/virtualMachines/vm-" + i;
                dayLines.add(new SpendLine(null, id, "rg-" + i % 20, SERVICES.get(i % SERVICES.size()), "Compute",
                        amount(random), "EUR"));
            }
            snapshots.add(new SpendSnapshot(UUID.randomUUID(), Instant.now(), tenant, subscription,
                    first.plusDays(d / 10), CostType.ACTUAL, SpendSnapshot.Source.COST_MANAGEMENT, dayLines,
                    UUID.randomUUID()));
        }
        long total = (long) days * linesPerDay;
        System.out.printf("%n1. canopy.spend → database: %,d snapshots of %d lines (%,d lines)%n", days, linesPerDay,
                total);
        EventTopicClient kafka = env.kafka();
        long started = System.nanoTime();
        snapshots.forEach(kafka::publish);
        double publishSeconds = (System.nanoTime() - started) / 1e9;
        try (Connection db = env.database().connect();
                PreparedStatement count = db.prepareStatement("SELECT count(*) FROM spend_fact WHERE tenant_id = ?")) {
            count.setString(1, tenant);
            long stored = 0;
            Instant deadline = Instant.now().plus(INGEST_LIMIT);
            while (stored < total) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("only " + stored + " of " + total + " lines stored within "
                            + INGEST_LIMIT);
                }
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    stored = rs.getLong(1);
                }
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("   published in %.1f s; all stored after %.1f s: %,.0f lines/s, %,.1f snapshots/s%n",
                publishSeconds, seconds, total / seconds, days / seconds);
    }

    // ---- 2. a cost-export import ----

    private static final String EA_HEADER = "BillingAccountId,AccountOwnerId,SubscriptionId,Date,MeterCategory,"
            + "CostInBillingCurrency,BillingCurrency,ResourceId,ResourceGroup,ConsumedService";

    private static void importing(ServiceEnvironment env, ServiceProcess app, int rows) throws Exception {
        String tenant = UUID.randomUUID().toString();
        LocalDate first = LocalDate.of(2025, 3, 1);
        SplittableRandom random = new SplittableRandom(3);
        StringBuilder csv = new StringBuilder(rows * 220).append(EA_HEADER).append('\n');
        for (int i = 0; i < rows; i++) {
            String subscription = UUID.nameUUIDFromBytes(("import-" + tenant + "-" + i % 20)
                    .getBytes(StandardCharsets.UTF_8)).toString();
            LocalDate day = first.plusDays(i / 20 % 31);
            csv.append("8611537,owner@example.com,").append(subscription).append(',')
                    .append(String.format("%02d/%02d/%d", day.getMonthValue(), day.getDayOfMonth(), day.getYear()))
                    .append(',').append(SERVICES.get(i % SERVICES.size())).append(',')
                    .append(amount(random).toPlainString()).append(",EUR,/subscriptions/").append(subscription)
                    .append("/resourceGroups/rg-").append(i % 9).append("/providers/Microsoft.Compute/virtualMachines/vm-")
                    .append(i).append(",rg-").append(i % 9).append(",Microsoft.Compute\n");
        }
        byte[] body = csv.toString().getBytes(StandardCharsets.UTF_8);
        System.out.printf("%n2. POST /imports: an EA actual-cost file of %,d rows (%,.1f MB)%n", rows,
                body.length / 1e6);
        String token = env.azure().tokens().platformToken("admin@bench", List.of("admin:" + tenant),
                Duration.ofHours(1));
        HttpRequest request = HttpRequest.newBuilder(URI.create(app.baseUrl() + "/imports?tenant=" + tenant
                + "&costType=ACTUAL")).header("Authorization", "Bearer " + token).header("Content-Type", "text/csv")
                .timeout(Duration.ofMinutes(30)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long started = System.nanoTime();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        double seconds = (System.nanoTime() - started) / 1e9;
        if (response.statusCode() != 201) {
            throw new IllegalStateException("import answered " + response.statusCode() + ": " + response.body());
        }
        long again = System.nanoTime();
        HttpResponse<String> duplicate = http.send(request, HttpResponse.BodyHandlers.ofString());
        double duplicateSeconds = (System.nanoTime() - again) / 1e9;
        System.out.printf("   imported in %.1f s: %,.0f rows/s (%,.1f MB/s); the same file again (%d, nothing "
                + "written) in %.1f s%n", seconds, rows / seconds, body.length / 1e6 / seconds,
                duplicate.statusCode(), duplicateSeconds);
    }

    // ---- 3. group-by over one tenant-month ----

    private static void groupBy(ServiceEnvironment env, ServiceProcess app, long facts) throws Exception {
        String tenant = UUID.randomUUID().toString();
        LocalDate month = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1).minusMonths(1);
        System.out.printf("%n3. GET /spend over %,d facts of one tenant-month (%s), %d runs per group-by after one "
                + "warm-up%n", facts, month.getMonth(), RUNS);
        long started = System.nanoTime();
        SyntheticMonth data = new SyntheticMonth(tenant, month, facts);
        try (Connection db = env.database().connect()) {
            data.load(db);
            try (Statement analyze = db.createStatement()) {
                analyze.execute("ANALYZE");
            }
        }
        System.out.printf("   loaded with COPY in %.1f s (%,d subscriptions, %,d resources, %,d facts per day and "
                + "subscription)%n", (System.nanoTime() - started) / 1e9, data.subscriptions, data.resources(),
                data.factsPerDay());

        SpendScope scope = new SpendScope(tenant, month, month.plusMonths(1).minusDays(1), CostType.ACTUAL);
        String token = env.azure().tokens().platformToken("ops@bench", List.of("ops"), Duration.ofHours(2));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        System.out.printf("   %-18s %10s %10s %10s %10s %8s%n", "groupBy", "API p50", "API p95", "SQL p50", "SQL p95",
                "p95 ratio");
        List<GroupBy> groupBys = List.of(new GroupBy(Dimension.SUBSCRIPTION, null),
                new GroupBy(Dimension.RESOURCE_GROUP, null), new GroupBy(Dimension.SERVICE, null),
                new GroupBy(Dimension.DAY, null), new GroupBy(Dimension.RESOURCE, null),
                new GroupBy(Dimension.TAG, "CostCenter"));
        try (Connection db = env.database().connect()) {
            for (GroupBy groupBy : groupBys) {
                URI uri = URI.create(app.baseUrl() + "/spend?tenant=" + tenant + "&from=" + scope.from() + "&to="
                        + scope.to() + "&groupBy=" + URLEncoder.encode(groupBy.parameter(), StandardCharsets.UTF_8));
                HttpRequest request = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token)
                        .timeout(Duration.ofMinutes(5)).GET().build();
                double[] api = time(() -> {
                    HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException(uri + " answered " + response.statusCode() + ": "
                                + new String(response.body(), StandardCharsets.UTF_8));
                    }
                });
                double[] sql = time(() -> {
                    try (PreparedStatement query = SpendQueries.prepareGrouped(db, scope, groupBy);
                            ResultSet rs = query.executeQuery()) {
                        while (rs.next()) {
                            rs.getBigDecimal("amount");
                        }
                    }
                });
                System.out.printf("   %-18s %8.0f ms %8.0f ms %8.0f ms %8.0f ms %8.2f%n", groupBy.parameter(),
                        percentile(api, 50), percentile(api, 95), percentile(sql, 50), percentile(sql, 95),
                        percentile(api, 95) / percentile(sql, 95));
            }
        }
    }

    @FunctionalInterface
    private interface Call {
        void run() throws Exception;
    }

    // One warm-up, then RUNS timed calls; milliseconds, sorted.
    private static double[] time(Call call) throws Exception {
        call.run();
        double[] ms = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long start = System.nanoTime();
            call.run();
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(ms);
        return ms;
    }

    // Nearest-rank percentile of sorted values.
    private static double percentile(double[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private static BigDecimal amount(SplittableRandom random) {
        return BigDecimal.valueOf(random.nextLong(1, 5_000_000), 6);
    }

    /**
     * One tenant's month of spend written straight into cost-service's tables with COPY (as ingestion would leave
     * it): subscriptions of 2,500 resources in 25 groups, every resource billed every day on a few meters, two
     * subscriptions in USD and the rest in EUR, and CostCenter tags in three spellings on most resources and every
     * group.
     */
    private static final class SyntheticMonth {

        private static final int RESOURCES_PER_SUBSCRIPTION = 2_500;
        private static final int GROUPS_PER_SUBSCRIPTION = 25;

        private final String tenant;
        private final LocalDate month;
        private final int days;
        private final int subscriptions;
        private final int metersPerResource;

        SyntheticMonth(String tenant, LocalDate month, long facts) {
            this.tenant = tenant;
            this.month = month;
            this.days = month.lengthOfMonth();
            this.metersPerResource = 4;
            long perSubscriptionMonth = (long) RESOURCES_PER_SUBSCRIPTION * metersPerResource * days;
            this.subscriptions = (int) Math.max(1, Math.round(facts / (double) perSubscriptionMonth));
        }

        int resources() {
            return subscriptions * RESOURCES_PER_SUBSCRIPTION;
        }

        int factsPerDay() {
            return RESOURCES_PER_SUBSCRIPTION * metersPerResource;
        }

        void load(Connection db) throws Exception {
            PGConnection pg = db.unwrap(PGConnection.class);
            SplittableRandom random = new SplittableRandom(2);
            copy(pg, "COPY spend_day (subscription_id, usage_date, cost_type, tenant_id, source, event_id, "
                    + "collection_run_id, occurred_at, line_count) FROM STDIN WITH (FORMAT csv)", out -> {
                        for (int s = 0; s < subscriptions; s++) {
                            for (int d = 0; d < days; d++) {
                                row(out, subscription(s), month.plusDays(d), "ACTUAL", tenant, "COST_MANAGEMENT",
                                        UUID.randomUUID(), UUID.randomUUID(), "2025-01-01T00:00:00Z", factsPerDay());
                            }
                        }
                    });
            copy(pg, "COPY spend_fact (subscription_id, usage_date, cost_type, tenant_id, resource_id, "
                    + "display_resource_id, resource_group, resource_group_id, service_name, meter_category, amount, "
                    + "currency) FROM STDIN WITH (FORMAT csv)", out -> {
                        for (int s = 0; s < subscriptions; s++) {
                            String currency = s < 2 ? "USD" : "EUR";
                            for (int d = 0; d < days; d++) {
                                for (int r = 0; r < RESOURCES_PER_SUBSCRIPTION; r++) {
                                    String display = resource(s, r);
                                    for (int m = 0; m < metersPerResource; m++) {
                                        String service = SERVICES.get((r + m) % SERVICES.size());
                                        row(out, subscription(s), month.plusDays(d), "ACTUAL", tenant,
                                                display.toLowerCase(), display, group(r),
                                                groupId(s, r).toLowerCase(), service, service, amount(random),
                                                currency);
                                    }
                                }
                            }
                        }
                    });
            copy(pg, "COPY resource_dim (resource_id, display_id, tenant_id, subscription_id, kind, name, "
                    + "resource_type, location, resource_group, observed_at) FROM STDIN WITH (FORMAT csv)", out -> {
                        for (int s = 0; s < subscriptions; s++) {
                            for (int g = 0; g < GROUPS_PER_SUBSCRIPTION; g++) {
                                String id = groupId(s, g);
                                row(out, id.toLowerCase(), id, tenant, subscription(s), "RESOURCE_GROUP",
                                        "rg-" + g, "Microsoft.Resources/resourceGroups", "westeurope", null,
                                        "2025-01-01T00:00:00Z");
                            }
                            for (int r = 0; r < RESOURCES_PER_SUBSCRIPTION; r++) {
                                String id = resource(s, r);
                                row(out, id.toLowerCase(), id, tenant, subscription(s), "RESOURCE", "vm-" + r,
                                        "Microsoft.Compute/virtualMachines", r % 3 == 0 ? "northeurope" : "westeurope",
                                        group(r), "2025-01-01T00:00:00Z");
                            }
                        }
                    });
            copy(pg, "COPY tag_set (resource_id, display_id, tenant_id, subscription_id, observed_at) FROM STDIN "
                    + "WITH (FORMAT csv)", out -> {
                        for (int s = 0; s < subscriptions; s++) {
                            for (int g = 0; g < GROUPS_PER_SUBSCRIPTION; g++) {
                                String id = groupId(s, g);
                                row(out, id.toLowerCase(), id, tenant, subscription(s), "2025-01-01T00:00:00Z");
                            }
                            for (int r = 0; r < RESOURCES_PER_SUBSCRIPTION; r++) {
                                String id = resource(s, r);
                                row(out, id.toLowerCase(), id, tenant, subscription(s), "2025-01-01T00:00:00Z");
                            }
                        }
                    });
            copy(pg, "COPY tag_entry (resource_id, position, name, name_key, value) FROM STDIN WITH (FORMAT csv)",
                    out -> {
                        for (int s = 0; s < subscriptions; s++) {
                            for (int g = 0; g < GROUPS_PER_SUBSCRIPTION; g++) {
                                row(out, groupId(s, g).toLowerCase(), 0, "CostCenter", "costcenter", "cc-" + g % 7);
                            }
                            for (int r = 0; r < RESOURCES_PER_SUBSCRIPTION; r++) {
                                String id = resource(s, r).toLowerCase();
                                row(out, id, 0, "env", "env", r % 2 == 0 ? "prod" : "dev");
                                if (r % 10 < 7) { // 70 % carry their own CostCenter, in one of three spellings
                                    String spelling = COST_CENTER_SPELLINGS.get(r % 3);
                                    row(out, id, 1, spelling, "costcenter", "cc-" + r % 13);
                                }
                            }
                        }
                    });
        }

        private String subscription(int s) {
            return UUID.nameUUIDFromBytes((tenant + "/" + s).getBytes(StandardCharsets.UTF_8)).toString();
        }

        private static String group(int r) {
            return "rg-" + r % GROUPS_PER_SUBSCRIPTION;
        }

        private String groupId(int s, int r) {
            return "/subscriptions/" + subscription(s) + "/resourceGroups/" + group(r);
        }

        private String resource(int s, int r) {
            return groupId(s, r) + "/providers/Microsoft.Compute/virtualMachines/vm-" + r;
        }

        @FunctionalInterface
        private interface Rows {
            void write(Writer out) throws Exception;
        }

        private static void copy(PGConnection pg, String sql, Rows rows) throws Exception {
            try (Writer out = new BufferedWriter(new OutputStreamWriter(new PGCopyOutputStream(pg, sql),
                    StandardCharsets.UTF_8), 1 << 16)) {
                rows.write(out);
            }
        }

        // A CSV row of values that never hold a comma, a quote or a line break; null is an empty field.
        private static void row(Writer out, Object... values) throws Exception {
            for (int i = 0; i < values.length; i++) {
                if (i > 0) {
                    out.write(',');
                }
                if (values[i] != null) {
                    out.write(values[i].toString());
                }
            }
            out.write('\n');
        }
    }
}

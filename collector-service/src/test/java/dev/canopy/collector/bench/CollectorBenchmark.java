package dev.canopy.collector.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import com.azure.resourcemanager.resources.ResourceManager;

import dev.canopy.azure.AzureConfig;
import dev.canopy.azure.AzureConnection;
import dev.canopy.collector.CollectorEnvironment;
import dev.canopy.collector.CollectorProcess;
import dev.canopy.testsupport.world.Onboarding;
import dev.canopy.collector.RunTimeline;
import dev.canopy.collector.azure.ArmInventory;
import dev.canopy.emulator.AzureEmulator;
import dev.canopy.emulator.limits.LimitSettings;
import dev.canopy.emulator.server.RequestLog;
import dev.canopy.emulator.world.Subscription;
import dev.canopy.emulator.world.SyntheticWorld;
import dev.canopy.emulator.world.WorldBuilder;
import dev.canopy.emulator.world.WorldSpec;
import dev.canopy.events.CollectionRunProgress.Phase;
import dev.canopy.events.policy.SyncPolicy;
import dev.canopy.events.topic.CanopyTopic;
import dev.canopy.testsupport.kafka.ReceivedRecord;

/**
 * Benchmark (a main class, not a test) of collector-service run as the packaged app, each part on a fresh database
 * and emulator and the same test broker:
 * <ol>
 * <li>limits off, one synthetic subscription of {@code resources} resources: the collector's resources per second
 * into Kafka in its first full run, next to a bare page-fetch loop over the same subscription (the same SDK listing,
 * the same page size, nothing else) and Kafka's ProducerPerformance on the same broker with records of the
 * collector's average size;</li>
 * <li>Azure's limits on, {@code subscriptions} subscriptions in one tenant: the time to collect all their spend,
 * against the least time Cost Management's limits allow for the queries the collector needed.</li>
 * </ol>
 * Run by {@code bench/collector [resources] [subscriptions]}; the kafka-tools classpath file comes in as
 * {@code -Dcanopy.bench.kafka-tools.classpath}.
 */
public final class CollectorBenchmark {

    private static final Duration READY = Duration.ofMinutes(2);
    private static final String COST_QUERY_ROUTE = "arm.costmanagement.query";
    private static final String PERF_TOPIC = "canopy.bench.producer-perf";
    private static final long THROUGHPUT_SEED = 5;
    private static final long SPEND_SEED = 6;

    private CollectorBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int resources = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int subscriptions = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        System.out.printf("collector benchmark on %d cores: %d resources (limits off), %d subscriptions (limits on)%n",
                Runtime.getRuntime().availableProcessors(), resources, subscriptions);
        throughput(resources, ProducerPerfTool.fromClasspathFile(System.getProperty("canopy.bench.kafka-tools.classpath")));
        spendUnderLimits(subscriptions);
    }

    // ---- 1. throughput with limits off ----

    private static void throughput(int resources, Optional<ProducerPerfTool> perfTool) throws Exception {
        System.out.printf("%n1. one subscription of %,d resources, emulator limits off%n", resources);
        try (CollectorEnvironment env = CollectorEnvironment.start("bench-throughput", LimitSettings.off())) {
            // No cost rows: this part measures resources into Kafka; spend is part 2's.
            WorldSpec world = SyntheticWorld.generate(new SyntheticWorld.Parameters(THROUGHPUT_SEED, 1, 1, 50, resources, 0,
                    LocalDate.now(ZoneOffset.UTC), "EUR", true));
            env.azure().loadWorld(world);
            Subscription subscription = world.subscriptions().get(0);
            // An hour between runs (the default): the first run is the only one in the measurement.
            CollectorProcess collector = env.launch("collector", Map.of("canopy.collector.tick", "1s"), "768m")
                    .awaitReady(READY);
            Onboarding.onboardAll(env.kafka(), world, SyncPolicy.READ_WRITE_TAGS);
            RunTimeline.Run run = RunTimeline.await(env.kafka(), List.of(subscription.subscriptionId()),
                    t -> !t.runs().isEmpty() && t.runs().get(0).hasEnded(), Duration.ofMinutes(30)).runs().get(0);
            if (run.end() != Phase.FINISHED || run.lastPage() == null) {
                throw new IllegalStateException("the run ended " + run.end() + "; see " + collector.log());
            }
            double listing = seconds(run.started(), run.lastPage());
            double whole = seconds(run.started(), run.ended());
            double collectorRate = run.resourcesSeen() / listing;
            RecordStats records = recordsOf(env, subscription.subscriptionId());
            System.out.printf("  collector (packaged app, first full run): %,d resources and groups in %d pages, "
                            + "%.1f s to the last page (%.1f s to FINISHED)%n", run.resourcesSeen(), run.pagesDone(),
                    listing, whole);
            System.out.printf("    %,.0f resources/s; %,d records to Kafka (%,.0f records/s, %.2f MB/s), "
                            + "%.0f bytes on average (key + value + headers)%n", collectorRate, records.count(),
                    records.count() / listing, records.bytes() / listing / 1_000_000, records.averageSize());

            double bare = bareListing(env.azure(), subscription, run.resourcesSeen());
            System.out.printf("  bare page-fetch loop (same SDK listing and page size, best of 2): %,.0f resources/s%n",
                    bare);
            System.out.printf("    collector / bare loop: %.2f%n", collectorRate / bare);

            if (perfTool.isPresent()) {
                // The collector's producer settings (EventPublisher): acks=all, idempotent, linger 5 ms.
                ProducerPerfTool.Result perf = perfTool.get().run(env.bootstrapServers(), PERF_TOPIC,
                        CanopyTopic.RESOURCES.partitions(), records.count(), (int) Math.round(records.averageSize()),
                        Map.of("acks", "all", "enable.idempotence", "true", "linger.ms", "5"),
                        env.logDir().resolve("producer-perf.log"));
                System.out.printf("  kafka ProducerPerformance (same broker, %,d records of %d bytes): "
                                + "%,.0f records/s (%.2f MB/s)%n", perf.records(), Math.round(records.averageSize()),
                        perf.recordsPerSecond(), perf.megabytesPerSecond());
                System.out.printf("    collector / producer tool (records/s): %.3f%n",
                        records.count() / listing / perf.recordsPerSecond());
            }
        }
    }

    /** How many records a run put on canopy.resources and canopy.tags for the subscription, and their size. */
    private record RecordStats(long count, long bytes) {
        double averageSize() {
            return count == 0 ? 0 : (double) bytes / count;
        }
    }

    private static RecordStats recordsOf(CollectorEnvironment env, String subscriptionId) {
        String scope = "/subscriptions/" + subscriptionId;
        long count = 0;
        long bytes = 0;
        for (CanopyTopic topic : List.of(CanopyTopic.RESOURCES, CanopyTopic.TAGS)) {
            for (ReceivedRecord r : env.kafka().readAll(topic.topicName(), Duration.ofMinutes(5))) {
                if (r.key() != null && (r.key().equals(scope) || r.key().startsWith(scope + "/"))) {
                    count++;
                    bytes += r.key().getBytes(StandardCharsets.UTF_8).length + (r.value() == null ? 0 : r.value().length);
                    for (Map.Entry<String, String> h : r.headers().entrySet()) {
                        bytes += h.getKey().getBytes(StandardCharsets.UTF_8).length
                                + (h.getValue() == null ? 0 : h.getValue().getBytes(StandardCharsets.UTF_8).length);
                    }
                }
            }
        }
        return new RecordStats(count, bytes);
    }

    /**
     * The same listing the collector does (ArmInventory: resource groups, then resources, ARM's page size) with
     * nothing done per page; the SDK client without the collector's retry and throttling policies.
     *
     * @return resources (and groups) per second, the better of two passes
     */
    private static double bareListing(AzureEmulator azure, Subscription subscription, long expected) {
        AzureConnection connection = new AzureConnection(emulatorAzureConfig(azure));
        ResourceManager.Authenticated arm = ResourceManager.configure().withHttpClient(connection.httpClient())
                .authenticate(connection.servicePrincipal(subscription.tenantId()),
                        connection.profile(subscription.tenantId(), subscription.subscriptionId()));
        ArmInventory inventory = new ArmInventory(arm, subscription.subscriptionId(), Optional.empty());
        double best = 0;
        for (int pass = 0; pass < 2; pass++) {
            AtomicLong seen = new AtomicLong();
            long start = System.nanoTime();
            inventory.resourceGroups(page -> seen.addAndGet(page.size()));
            inventory.resources(page -> seen.addAndGet(page.size()));
            double secondsTaken = (System.nanoTime() - start) / 1e9;
            if (seen.get() != expected) {
                throw new IllegalStateException("the bare loop saw " + seen.get() + " items, the collector " + expected);
            }
            best = Math.max(best, seen.get() / secondsTaken);
        }
        return best;
    }

    /** Canopy's app against the emulator, as the collector instances are configured. */
    private static AzureConfig emulatorAzureConfig(AzureEmulator azure) {
        return new AzureConfig() {
            @Override
            public String armEndpoint() {
                return azure.armEndpoint();
            }

            @Override
            public String authorityHost() {
                return azure.baseUrl();
            }

            @Override
            public boolean instanceDiscovery() {
                return false;
            }

            @Override
            public Optional<Path> trustStore() {
                return Optional.of(azure.trustStorePath());
            }

            @Override
            public Optional<String> trustStorePassword() {
                return Optional.of(azure.trustStorePassword());
            }

            @Override
            public String clientId() {
                return WorldBuilder.CANOPY_APP_ID;
            }

            @Override
            public String clientSecret() {
                return WorldBuilder.CANOPY_APP_SECRET;
            }
        };
    }

    // ---- 2. spend with Azure's limits on ----

    private static void spendUnderLimits(int subscriptions) {
        LimitSettings limits = LimitSettings.azure();
        System.out.printf("%n2. %d subscriptions in one tenant, emulator limits on (Cost Management: %d per 10 s, "
                        + "%d per minute, %d per hour per tenant; %d per minute per scope)%n", subscriptions,
                limits.costPer10Seconds(), limits.costPerMinute(), limits.costPerHour(), limits.costPerScopePerMinute());
        try (CollectorEnvironment env = CollectorEnvironment.start("bench-spend", limits)) {
            // Cost from the 1st of last month to today: the collector's default backfill of one whole month plus this
            // one, two cost types each — four queries a subscription, of one page each.
            LocalDate today = LocalDate.now(ZoneOffset.UTC);
            LocalDate first = today.minusMonths(1).withDayOfMonth(1);
            WorldSpec world = SyntheticWorld.generate(new SyntheticWorld.Parameters(SPEND_SEED, 1, subscriptions, 2, 10,
                    (int) ChronoUnit.DAYS.between(first, today) + 1, first, "EUR", true));
            env.azure().loadWorld(world);
            List<String> ids = world.subscriptions().stream().map(Subscription::subscriptionId).toList();
            // Production pacing and backfill; only the tick is short, so the first run starts at once.
            CollectorProcess collector = env.launch("collector", Map.of("canopy.collector.tick", "1s"), "512m")
                    .awaitReady(READY);
            env.azure().requestLog().clear();
            Onboarding.onboardAll(env.kafka(), world, SyncPolicy.READ_WRITE_TAGS);
            // Four queries a subscription at 60 a minute, three times over, plus room to start.
            Duration bound = Duration.ofSeconds(180 + 3 * 4L * subscriptions);
            RunTimeline timeline = RunTimeline.await(env.kafka(), ids,
                    t -> t.eachHasEndedRuns(ids, 1, Instant.EPOCH), bound);

            Instant firstStart = timeline.runs().get(0).started();
            Instant lastEnd = timeline.runs().stream().map(RunTimeline.Run::ended).max(Comparator.naturalOrder())
                    .orElseThrow();
            long finished = timeline.runs().stream().filter(r -> r.end() == Phase.FINISHED).count();
            long spendCollected = collector.logLines().stream().filter(l -> l.contains("; spend COLLECTED")).count();
            List<RequestLog.Entry> queries = new ArrayList<>(env.azure().requestLog().entries().stream()
                    .filter(e -> COST_QUERY_ROUTE.equals(e.route())).toList());
            queries.sort(Comparator.comparing(RequestLog.Entry::time));
            List<RequestLog.Entry> answered = queries.stream().filter(e -> e.status() == 200).toList();
            long throttled = queries.stream().filter(e -> e.status() == 429).count();
            Duration floor = CostLimitFloor.minimumSpan(limits, answered.stream().map(e -> scopeOf(e.target())).toList());
            double measured = seconds(firstStart, lastEnd);
            double querySpan = seconds(answered.get(0).time(), answered.get(answered.size() - 1).time());

            System.out.printf("  runs: %d of %d FINISHED, spend COLLECTED in %d; %d Cost Management queries answered, "
                    + "%d throttled (429)%n", finished, subscriptions, spendCollected, answered.size(), throttled);
            System.out.printf("  time to collect all (first run started → last run finished): %.1f s%n", measured);
            System.out.printf("  least time the limits allow for those %d queries (first → last query): %.1f s%n",
                    answered.size(), floor.toMillis() / 1000.0);
            if (floor.isZero()) {
                System.out.println("    ratio: n/a (the limits let that many queries go at once; use more subscriptions)");
            } else {
                System.out.printf("    ratio: %.2f (first → last query as sent: %.1f s, ratio %.2f)%n",
                        measured / (floor.toMillis() / 1000.0), querySpan, querySpan / (floor.toMillis() / 1000.0));
            }
        }
    }

    /** The subscription of a Cost Management query's target ({@code /subscriptions/{id}/providers/...}). */
    private static String scopeOf(String target) {
        String[] parts = target.split("/");
        return parts.length > 2 ? parts[2] : target;
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e9;
    }
}

package dev.canopy.tagsync.bench;

import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.awaitility.core.ConditionTimeoutException;

import dev.canopy.emulator.AzureEmulator;
import dev.canopy.emulator.limits.LimitSettings;
import dev.canopy.emulator.server.RequestLog;
import dev.canopy.emulator.world.Resource;
import dev.canopy.emulator.world.SyntheticWorld;
import dev.canopy.emulator.world.WorldSpec;
import dev.canopy.events.TagEditOutcome;
import dev.canopy.events.TagEditOutcome.Outcome;
import dev.canopy.events.azure.ArmResourceId;
import dev.canopy.events.policy.SyncPolicy;
import dev.canopy.events.topic.CanopyTopic;
import dev.canopy.testsupport.kafka.EventTopicClient;
import dev.canopy.testsupport.kafka.ReceivedRecord;
import dev.canopy.testsupport.process.ServiceEnvironment;
import dev.canopy.testsupport.process.ServiceProcess;
import dev.canopy.testsupport.world.Onboarding;

/**
 * Benchmark (a main class, not a test) of tag-sync-service run as the packaged app, each part on a fresh database
 * and emulator and the same test broker (issue 6):
 * <ol>
 * <li>limits off — the emulator unthrottled and tag-sync's own pacing raised out of the way: edits per second of one
 * bulk edit from the API's 202 to the last terminal outcome on canopy.tag-edit-results, and the latency from the
 * 202 to the Tags API PATCH, for that bulk (where it is mostly queueing) and for single edits offered at half that
 * rate;</li>
 * <li>Azure's write limits on (the emulator and tag-sync both at ARM's buckets): one bulk edit's time against the
 * least time the writes bucket allows, the 429s the emulator answered, and how many edits ended APPLIED.</li>
 * </ol>
 * "PATCH sent" is the emulator's request-log time of the resource's first Tags API PATCH: the audit trail's
 * {@code sentAt} is taken before the write waits for the bucket. Run by {@code bench/tag-sync [edits] [bulk]}.
 */
public final class TagSyncBenchmark {

    private static final String MODULE = "tag-sync-service";
    private static final Duration READY = Duration.ofMinutes(2);
    private static final String HEAP = "512m";
    private static final String PATCH_ROUTE = "arm.tags.patch";
    private static final String RESULTS = CanopyTopic.TAG_EDIT_RESULTS.topicName();
    private static final long LIMITS_OFF_SEED = 61;
    private static final long LIMITS_ON_SEED = 62;
    // Far beyond anything one process can send: tag-sync then never waits for its own estimate of Azure's buckets.
    private static final String UNPACED = "1000000";
    private static final Map<String, String> PACING_OFF = Map.of(
            "canopy.tag-sync.writes-burst", UNPACED, "canopy.tag-sync.writes-per-second", UNPACED,
            "canopy.tag-sync.reads-burst", UNPACED, "canopy.tag-sync.reads-per-second", UNPACED);

    private TagSyncBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int edits = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        int bulk = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
        System.out.printf("tag-sync benchmark on %d cores (load average %.1f): %,d edits with limits off, a %,d-edit "
                        + "bulk with Azure's write limits on%n", Runtime.getRuntime().availableProcessors(),
                loadAverage(), edits, bulk);
        List<String[]> summary = new ArrayList<>();
        limitsOff(edits, summary);
        writeLimitsOn(bulk, summary);
        System.out.printf("%nsummary (load average now %.1f)%n", loadAverage());
        int width = summary.stream().mapToInt(row -> row[0].length()).max().orElse(0);
        summary.forEach(row -> System.out.printf("  %-" + width + "s  %s%n", row[0], row[1]));
    }

    // ---- 1. limits off ----

    private static void limitsOff(int edits, List<String[]> summary) throws Exception {
        // A warm-up bulk first: the first edits of a fresh JVM pay for class loading, JIT and Canopy's first token.
        int warmUp = Math.max(20, edits / 10);
        int singles = Math.max(50, edits / 4);
        System.out.printf("%n1. limits off: emulator unthrottled; tag-sync's writes and reads pacing raised to %s/s%n",
                UNPACED);
        try (Part env = Part.start("limits-off", LimitSettings.off(), PACING_OFF,
                warmUp + edits + singles, LIMITS_OFF_SEED)) {
            List<String> ids = env.resourceIds();
            Batch warm = runBulk(env, Map.of("benchmark", "warm-up"), ids.subList(0, warmUp), Duration.ofMinutes(10));
            System.out.printf("  warm-up bulk of %,d edits: %.1f s to the last outcome%n", warmUp,
                    seconds(warm.bulk().acceptedAt(), warm.lastOutcome()));

            Batch run = runBulk(env, Map.of("benchmark", "throughput"), ids.subList(warmUp, warmUp + edits),
                    Duration.ofMinutes(30));
            double took = seconds(run.bulk().acceptedAt(), run.lastOutcome());
            double rate = edits / took;
            Percentiles queued = Percentiles.of(run.toPatch().values());
            System.out.printf("  1a. one bulk edit of %,d resources (POST /tag-edits/bulk)%n", edits);
            figure("intake (POST → 202: every edit and its event in one transaction)",
                    f("%.2f s", run.bulk().took().toNanos() / 1e9));
            figure("202 → last terminal outcome on " + RESULTS, f("%.2f s = %.1f edits/s", took, rate));
            figure("202 → PATCH sent, p50 / p99 / max (mostly waiting in the queue)", queued.toString());
            run.printOutcomes("      ");
            summary.add(row(f("limits off: edits/s, bulk of %,d (202 → last outcome)", edits),
                    f("%.1f edits/s (%.1f s)", rate, took)));
            summary.add(row("limits off: 202 → PATCH in that bulk, p50 / p99 / max", queued.toString()));

            // Single edits at half the bulk's rate: the queue stays short, so this is an edit's own latency.
            double offered = Math.max(1, Math.floor(rate / 2));
            Batch single = runSingles(env, Map.of("benchmark", "latency"), ids.subList(warmUp + edits, ids.size()),
                    offered);
            Percentiles toPatch = Percentiles.of(single.toPatch().values());
            Percentiles toOutcome = Percentiles.of(single.toOutcome().values());
            System.out.printf("  1b. %,d single edits (PATCH /resources/{id}/tags), offered at %.0f/s%n", singles,
                    offered);
            figure("202 → PATCH sent, p50 / p99 / max", toPatch.toString());
            figure("202 → terminal outcome, p50 / p99 / max", toOutcome.toString());
            single.printOutcomes("      ");
            summary.add(row(f("limits off: 202 → PATCH, single edits at %.0f/s, p50 / p99 / max", offered),
                    toPatch.toString()));
            summary.add(row("limits off: 202 → outcome, single edits, p50 / p99 / max", toOutcome.toString()));
        }
    }

    // ---- 2. Azure's write limits on ----

    private static void writeLimitsOn(int n, List<String[]> summary) {
        LimitSettings limits = LimitSettings.azure();
        int burst = limits.writeCapacity();
        double refill = limits.writeRefillPerSecond();
        // The bucket is full when the first write goes: that write and the next burst − 1 go at once, and every
        // further one needs a token refilled at `refill` per second; so the n-th write is at least (n − burst) /
        // refill seconds after the first. tag-sync runs with its defaults, which are these same limits.
        double floor = Math.max(0, n - burst) / refill;
        double readsFloor = Math.max(0, 2.0 * n - limits.readCapacity()) / limits.readRefillPerSecond();
        System.out.printf("%n2. Azure's limits on (emulator: writes %d burst + %.0f/s, reads %d burst + %.0f/s per "
                        + "subscription and principal; tag-sync paced to the same by default)%n", burst, refill,
                limits.readCapacity(), limits.readRefillPerSecond());
        System.out.printf("   one bulk edit of %,d resources in one subscription%n", n);
        System.out.printf("      least time the writes bucket allows: the first %d PATCHes at once, the other %,d at "
                + "%.0f/s → (%,d − %d) / %.0f = %.1f s%n", Math.min(n, burst), Math.max(0, n - burst), refill, n, burst,
                refill, floor);
        System.out.printf("      (reads, a GET before and after each write: (%,d − %d) / %.0f = %.1f s, %s)%n", 2 * n,
                limits.readCapacity(), limits.readRefillPerSecond(), readsFloor,
                readsFloor < floor ? "so writes are the binding limit"
                        : "the binding limit at this size: the ratios below, against the writes bucket, overstate");
        try (Part env = Part.start("write-limits", limits, Map.of(), n, LIMITS_ON_SEED)) {
            Batch run = runBulk(env, Map.of("benchmark", "write-limits"), env.resourceIds(),
                    Duration.ofSeconds(600 + (long) (2 * floor)));
            double took = seconds(run.bulk().acceptedAt(), run.lastOutcome());
            List<RequestLog.Entry> patches = run.patches();
            List<RequestLog.Entry> written = patches.stream().filter(e -> e.status() / 100 == 2).toList();
            double patchSpan = written.isEmpty() ? 0
                    : seconds(patches.get(0).time(), written.get(written.size() - 1).time());
            Map<String, Long> throttled = run.requests().stream().filter(e -> e.status() == 429)
                    .collect(Collectors.groupingBy(e -> String.valueOf(e.route()), TreeMap::new, Collectors.counting()));
            long applied = run.count(Outcome.APPLIED);
            figure("intake (POST → 202)", f("%.2f s", run.bulk().took().toNanos() / 1e9));
            figure("202 → last terminal outcome", f("%.1f s, ratio to the least time %s", took, ratio(took, floor)));
            figure("first PATCH → last successful PATCH",
                    f("%.1f s, ratio to the least time %s", patchSpan, ratio(patchSpan, floor)));
            long throttledCount = throttled.values().stream().mapToLong(Long::longValue).sum();
            System.out.printf("      PATCHes: %,d sent, %,d answered 2xx; 429s answered by the emulator: %,d%s%n",
                    patches.size(), written.size(), throttledCount, throttled.isEmpty() ? "" : " " + throttled);
            run.printOutcomes("      ");
            summary.add(row(f("write limits on: %,d-edit bulk, 202 → last outcome", n), f("%.1f s", took)));
            summary.add(row("write limits on: least time the writes bucket allows",
                    f("%.1f s ((%,d − %d) / %.0f)", floor, n, burst, refill)));
            summary.add(row("write limits on: ratio, 202 → last outcome / least time", ratio(took, floor)));
            summary.add(row("write limits on: ratio, first → last PATCH / least time", ratio(patchSpan, floor)));
            summary.add(row("write limits on: 429s answered by the emulator", String.valueOf(throttledCount)));
            summary.add(row("write limits on: edits APPLIED", f("%,d of %,d", applied, n)));
        }
    }

    // ---- each part's surroundings ----

    /**
     * One part's surroundings, all real: test-support's {@link ServiceEnvironment} (the JVM's test broker, a fresh
     * database, the Azure emulator in this JVM) with a synthetic world of one tenant and one subscription (Canopy's
     * principal pre-consented), onboarded through Kafka with READ_WRITE_TAGS, and tag-sync-service as the packaged app
     * (a {@link ServiceProcess}), ready and knowing the subscription; closing it stops them all.
     */
    private record Part(ServiceEnvironment env, WorldSpec world, TagSyncApi api) implements AutoCloseable {

        /**
         * Sets everything up; a failure on the way stops what was started.
         *
         * @param name names the app's log, {@code target/bench/<name>.log}
         * @param limits the emulator's throttling
         * @param tagSyncConfig extra {@code -D} properties of the app, e.g. its {@code canopy.tag-sync.*} pacing
         * @param resources resources in the one subscription
         * @param seed the world's seed (another world per part: the parts share the broker's topics)
         */
        static Part start(String name, LimitSettings limits, Map<String, String> tagSyncConfig, int resources,
                long seed) {
            Path target = ServiceProcess.targetDirOf(TagSyncBenchmark.class);
            ServiceEnvironment env = ServiceEnvironment.start(MODULE, target.resolve("bench"), limits);
            try {
                // No cost rows: only resources and their tags matter here.
                WorldSpec world = SyntheticWorld.generate(new SyntheticWorld.Parameters(seed, 1, 1, 10, resources, 0,
                        LocalDate.now(ZoneOffset.UTC), "EUR", true));
                env.azure().loadWorld(world);
                ServiceProcess app = env.launch(name, ServiceProcess.appJar(target, MODULE), tagSyncConfig, HEAP)
                        .awaitReady(READY);

                Onboarding.onboardAll(env.kafka(), world, SyncPolicy.READ_WRITE_TAGS);
                String tenantId = world.subscriptions().get(0).tenantId();
                String subscriptionId = world.subscriptions().get(0).subscriptionId();
                TagSyncApi api = new TagSyncApi(app.baseUrl(), env.azure().tokens().platformToken(
                        "bench-editor@canopy.example", List.of("tag-editor:" + tenantId), Duration.ofHours(2)));
                await().atMost(READY).pollInterval(Duration.ofMillis(200)).until(() -> api.knows(subscriptionId));
                return new Part(env, world, api);
            } catch (RuntimeException e) {
                env.close();
                throw e;
            }
        }

        AzureEmulator azure() {
            return env.azure();
        }

        EventTopicClient kafka() {
            return env.kafka();
        }

        /** The subscription's resources, ARM ids in Azure's casing, in the world's order. */
        List<String> resourceIds() {
            return world.resources().stream().map(Resource::id).toList();
        }

        /** Stops the app and the emulator and drops the database; the broker stays for the JVM. */
        @Override
        public void close() {
            env.close();
        }
    }

    // ---- driving tag-sync and collecting what happened ----

    /**
     * What became of a set of accepted edits.
     *
     * @param bulk the bulk request, or null for single edits
     * @param accepted edit id → when its 202 arrived
     * @param resources edit id → normalized resource id
     * @param outcomes edit id → every terminal outcome published for it (one, unless something is wrong)
     * @param requests the emulator's request log from just before the edits were sent
     * @param allDecided false when the wait gave up with edits still open in the audit trail
     */
    private record Batch(TagSyncApi.Bulk bulk, Map<UUID, Instant> accepted, Map<UUID, String> resources,
            Map<UUID, List<TagEditOutcome>> outcomes, List<RequestLog.Entry> requests, boolean allDecided) {

        Instant lastOutcome() {
            return outcomes.values().stream().map(o -> o.get(0).occurredAt()).max(Comparator.naturalOrder())
                    .orElseThrow(() -> new IllegalStateException("no edit reached an outcome"));
        }

        /** The Tags API PATCHes the emulator answered, oldest first. */
        List<RequestLog.Entry> patches() {
            return requests.stream().filter(e -> PATCH_ROUTE.equals(e.route()))
                    .sorted(Comparator.comparing(RequestLog.Entry::time)).toList();
        }

        /** Edit id → 202 to its resource's first PATCH; edits with no PATCH are left out. */
        Map<UUID, Duration> toPatch() {
            Map<String, Instant> firstPatch = new HashMap<>();
            for (RequestLog.Entry e : patches()) {
                firstPatch.putIfAbsent(resourceOf(e.target()), e.time());
            }
            Map<UUID, Duration> latency = new HashMap<>();
            resources.forEach((edit, resource) -> {
                Instant patch = firstPatch.get(resource);
                if (patch != null) {
                    latency.put(edit, Duration.between(accepted.get(edit), patch));
                }
            });
            return latency;
        }

        /** Edit id → 202 to its terminal outcome ({@code occurredAt}: decided, published right after the commit). */
        Map<UUID, Duration> toOutcome() {
            return outcomes.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                    e -> Duration.between(accepted.get(e.getKey()), e.getValue().get(0).occurredAt())));
        }

        long count(Outcome outcome) {
            return outcomes.values().stream().filter(o -> o.get(0).outcome() == outcome).count();
        }

        void printOutcomes(String indent) {
            Map<Outcome, Long> byOutcome = outcomes.values().stream().collect(Collectors.groupingBy(
                    o -> o.get(0).outcome(), () -> new EnumMap<>(Outcome.class), Collectors.counting()));
            long repeated = outcomes.values().stream().filter(o -> o.size() > 1).count();
            int missing = accepted.size() - outcomes.size();
            System.out.printf("%soutcomes: %s of %,d accepted; %s%s%n", indent, byOutcome, accepted.size(),
                    missing == 0 ? "each has exactly one terminal outcome" : missing + " WITHOUT an outcome",
                    repeated == 0 ? "" : ", " + repeated + " with more than one (published again)");
            if (!allDecided) {
                System.out.printf("%s(gave up waiting: edits were still open in the audit trail)%n", indent);
            }
            outcomes.values().stream().map(o -> o.get(0)).filter(o -> o.outcome() != Outcome.APPLIED).limit(3)
                    .forEach(o -> System.out.printf("%s  e.g. %s %s: %s%n", indent, o.outcome(), o.resourceId(),
                            o.reason()));
        }
    }

    private static Batch runBulk(Part env, Map<String, String> tags, List<String> resourceIds,
            Duration within) {
        env.azure().requestLog().clear();
        TagSyncApi.Bulk bulk = env.api().bulkMerge(tags, resourceIds);
        if (bulk.rejected() > 0) {
            throw new IllegalStateException("the API rejected " + bulk.rejected() + " of the bulk's resources");
        }
        Map<UUID, Instant> accepted = new HashMap<>();
        Map<UUID, String> resources = new HashMap<>();
        bulk.editIds().forEach((resource, edit) -> {
            accepted.put(edit, bulk.acceptedAt());
            resources.put(edit, resource);
        });
        return collect(env, bulk, accepted, resources, within);
    }

    /** Sends one PATCH per resource at a steady rate, whether or not earlier ones were answered (an open loop). */
    private static Batch runSingles(Part env, Map<String, String> tags, List<String> resourceIds,
            double perSecond) throws InterruptedException {
        env.azure().requestLog().clear();
        List<CompletableFuture<TagSyncApi.Single>> sent = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < resourceIds.size(); i++) {
            long due = start + (long) (i * 1e9 / perSecond);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                // Pacing the offered load is the point of this loop.
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            sent.add(env.api().mergeAsync(resourceIds.get(i), tags));
        }
        Map<UUID, Instant> accepted = new HashMap<>();
        Map<UUID, String> resources = new HashMap<>();
        for (CompletableFuture<TagSyncApi.Single> f : sent) {
            TagSyncApi.Single single = f.join();
            accepted.put(single.editId(), single.acceptedAt());
            resources.put(single.editId(), single.resourceId());
        }
        return collect(env, null, accepted, resources, Duration.ofMinutes(10));
    }

    private static Batch collect(Part env, TagSyncApi.Bulk bulk, Map<UUID, Instant> accepted,
            Map<UUID, String> resources, Duration within) {
        boolean decided = awaitNoneOpen(env, accepted.size(), within);
        Map<UUID, List<TagEditOutcome>> outcomes = terminalOutcomes(env, accepted.keySet());
        return new Batch(bulk, accepted, resources, outcomes, env.azure().requestLog().entries(), decided);
    }

    /** Waits (bounded) until the audit trail shows no open edit; says how far the PATCHes got once a minute. */
    private static boolean awaitNoneOpen(Part env, int edits, Duration within) {
        long start = System.nanoTime();
        long[] nextReport = {start + Duration.ofMinutes(1).toNanos()};
        try {
            await().atMost(within).pollInterval(Duration.ofMillis(500)).until(() -> {
                long now = System.nanoTime();
                if (now > nextReport[0]) {
                    long patched = env.azure().requestLog().entries().stream()
                            .filter(e -> PATCH_ROUTE.equals(e.route()) && e.status() / 100 == 2).count();
                    System.out.printf("      … %,d of %,d PATCHes done after %.0f s%n", patched, edits,
                            (now - start) / 1e9);
                    nextReport[0] += Duration.ofMinutes(1).toNanos();
                }
                return !env.api().anyOpen();
            });
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    /**
     * The terminal outcomes of the edits on canopy.tag-edit-results (drift notices left out), read until each edit
     * has one or 30 s have passed: the relay publishes right after the outcome's commit, but not in it.
     */
    private static Map<UUID, List<TagEditOutcome>> terminalOutcomes(Part env, Set<UUID> edits) {
        List<Map<UUID, List<TagEditOutcome>>> last = new ArrayList<>(List.of(Map.of()));
        try {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                Map<UUID, List<TagEditOutcome>> found = new HashMap<>();
                for (ReceivedRecord r : env.kafka().readAll(RESULTS, Duration.ofMinutes(2))) {
                    TagEditOutcome o = r.event(TagEditOutcome.class);
                    if (edits.contains(o.editId()) && o.outcome() != Outcome.DRIFT_DETECTED) {
                        found.computeIfAbsent(o.editId(), k -> new ArrayList<>()).add(o);
                    }
                }
                last.set(0, found);
                return found.size() == edits.size();
            });
        } catch (ConditionTimeoutException e) {
            // What was found is reported as it is: the summary names edits without an outcome.
        }
        return last.get(0);
    }

    // ---- figures ----

    /** p50 / p99 / max of a set of latencies (nearest rank). */
    private record Percentiles(int count, Duration p50, Duration p99, Duration max) {

        static Percentiles of(Collection<Duration> values) {
            List<Duration> sorted = values.stream().sorted().toList();
            if (sorted.isEmpty()) {
                return new Percentiles(0, Duration.ZERO, Duration.ZERO, Duration.ZERO);
            }
            Function<Double, Duration> rank = p -> sorted.get((int) Math.ceil(p * sorted.size()) - 1);
            return new Percentiles(sorted.size(), rank.apply(0.50), rank.apply(0.99), sorted.get(sorted.size() - 1));
        }

        @Override
        public String toString() {
            return count == 0 ? "n/a (no PATCH seen)" : format(p50) + " / " + format(p99) + " / " + format(max)
                    + " (" + count + " edits)";
        }

        private static String format(Duration d) {
            return d.compareTo(Duration.ofSeconds(1)) < 0 ? d.toMillis() + " ms"
                    : String.format(Locale.ROOT, "%.2f s", d.toMillis() / 1000.0);
        }
    }

    /** The normalized resource id of a Tags API call's target: {@code {resourceId}/providers/Microsoft.Resources/tags/default?…}. */
    private static String resourceOf(String target) {
        String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
        int tags = path.toLowerCase(Locale.ROOT).lastIndexOf("/providers/microsoft.resources/tags/default");
        return ArmResourceId.parse(tags < 0 ? path : path.substring(0, tags)).key();
    }

    private static String ratio(double measured, double floor) {
        return floor <= 0 ? "n/a (the bucket's burst covers the whole bulk; use more than its burst)"
                : String.format(Locale.ROOT, "%.3f", measured / floor);
    }

    /** One labelled figure of a part, values in one column. */
    private static void figure(String label, String value) {
        System.out.printf("      %-70s %s%n", label, value);
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    private static String[] row(String label, String figure) {
        return new String[] {label, figure};
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e9;
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}

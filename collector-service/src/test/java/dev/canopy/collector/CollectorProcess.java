package dev.canopy.collector;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.canopy.testsupport.process.ServiceProcess;

/**
 * One collector-service instance run as the packaged app in a process of its own (test-support's
 * {@link ServiceProcess}), with what its log tells about the collector: the partitions it owns and the runs it did.
 */
public final class CollectorProcess extends ServiceProcess {

    private static final Pattern OWNING = Pattern.compile("registry partitions (?:assigned|revoked) .*; owning \\[([0-9, ]*)]");
    private static final Pattern RUN_LINE = Pattern.compile("collection run ([0-9a-f-]{36}) of subscription ([0-9a-f-]{36})");

    private CollectorProcess(String name, Map<String, String> config, String heap, Path log) {
        super(name, appJar(), config, heap, log);
    }

    /**
     * Starts an instance without waiting for it; see {@link #awaitReady(Duration)}.
     *
     * @param name tells instances apart in file names and messages
     * @param config {@code -D} properties (broker, database, Azure, {@code canopy.collector.*}); an HTTP port of 0
     *               is set unless given
     * @param heap the instance's maximum heap, e.g. {@code "256m"}
     * @param log the file its console output goes to (replaced)
     */
    public static CollectorProcess start(String name, Map<String, String> config, String heap, Path log) {
        return new CollectorProcess(name, config, heap, log);
    }

    /** The packaged app; {@code package} (or {@code verify}) builds it. */
    public static Path appJar() {
        return ServiceProcess.appJar(targetDir(), "collector-service");
    }

    /** collector-service's {@code target} folder, found from where these test classes were loaded. */
    public static Path targetDir() {
        return ServiceProcess.targetDirOf(CollectorProcess.class);
    }

    @Override
    public CollectorProcess awaitReady(Duration within) {
        super.awaitReady(within);
        return this;
    }

    /** The canopy.tenants partitions it owns, per its last rebalance log line (empty before the first). */
    public Set<Integer> ownedPartitions() {
        Set<Integer> owned = new TreeSet<>();
        for (String line : logLines()) {
            Matcher m = OWNING.matcher(line);
            if (m.find()) {
                owned.clear();
                for (String p : m.group(1).split(",")) {
                    if (!p.isBlank()) {
                        owned.add(Integer.parseInt(p.trim()));
                    }
                }
            }
        }
        return owned;
    }

    /** Ids of the runs it logged as ended (one line per run), with their subscriptions: run id → subscription id. */
    public Map<String, String> loggedRuns() {
        Map<String, String> runs = new HashMap<>();
        for (String line : logLines()) {
            Matcher m = RUN_LINE.matcher(line);
            if (m.find()) {
                runs.put(m.group(1), m.group(2));
            }
        }
        return runs;
    }

    /** The subscriptions it logged runs of. */
    public Set<String> collectedSubscriptions() {
        return new LinkedHashSet<>(loggedRuns().values());
    }
}

package dev.canopy.collector;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.core.ConditionTimeoutException;

/**
 * One collector-service instance run as the packaged app ({@code target/quarkus-app/quarkus-run.jar}) in a process
 * of its own, configured with {@code -D} properties, its console log in a file; for tests and benchmarks that need
 * real, separate instances.
 */
public final class CollectorProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("Listening on: https?://[^:]+:(\\d+)");
    private static final Pattern OWNING = Pattern.compile("registry partitions (?:assigned|revoked) .*; owning \\[([0-9, ]*)]");
    private static final Pattern RUN_LINE = Pattern.compile("collection run ([0-9a-f-]{36}) of subscription ([0-9a-f-]{36})");
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final String name;
    private final Process process;
    private final Path log;
    private final Thread killOnExit;
    private volatile int httpPort;

    private CollectorProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        // A test JVM that ends without reaching its finally block (Ctrl-C, SIGTERM from Maven) must not leave the
        // instance running. SIGKILL runs no hook: unlike the test broker, the packaged app has no watch on its
        // parent, so an instance orphaned that way must be stopped by hand.
        this.killOnExit = new Thread(process::destroyForcibly, "stop-collector-" + name);
        Runtime.getRuntime().addShutdownHook(killOnExit);
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
        Map<String, String> properties = new HashMap<>(config);
        properties.putIfAbsent("quarkus.http.port", "0");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + heap);
        command.add("-XX:+UseSerialGC");
        command.add("-Djava.io.tmpdir=" + targetDir().resolve("tmp"));
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(appJar().toString());
        try {
            Files.createDirectories(log.getParent());
            Files.createDirectories(targetDir().resolve("tmp"));
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
            return new CollectorProcess(name, process, log);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start collector instance " + name + " (" + appJar() + ")", e);
        }
    }

    /** The packaged app; {@code package} (or {@code verify}) builds it. */
    public static Path appJar() {
        Path jar = targetDir().resolve("quarkus-app").resolve("quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: package collector-service first "
                    + "(./mvnw -pl collector-service package -DskipTests)");
        }
        return jar;
    }

    /** collector-service's {@code target} folder, found from where these test classes were loaded. */
    public static Path targetDir() {
        try {
            // .../collector-service/target/test-classes -> .../collector-service/target; independent of the working
            // folder, which is the module under failsafe but the project root under exec:java.
            return Path.of(CollectorProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate collector-service's target folder", e);
        }
    }

    /** Waits until the instance answers ready on {@code /q/health/ready} (broker and database up). */
    public CollectorProcess awaitReady(Duration within) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try {
            await().atMost(within).pollInterval(Duration.ofMillis(250))
                    .failFast("collector instance " + name + " exited", () -> !process.isAlive())
                    .until(() -> ready(http));
        } catch (ConditionTimeoutException | org.awaitility.core.TerminalFailureException e) {
            throw new IllegalStateException("collector instance " + name + " was not ready within " + within
                    + "; its log " + log + " ends with:\n" + tail(40), e);
        }
        return this;
    }

    private boolean ready(HttpClient http) throws InterruptedException {
        if (httpPort == 0) {
            Matcher port = LISTENING.matcher(String.join("\n", logLines()));
            if (!port.find()) {
                return false;
            }
            httpPort = Integer.parseInt(port.group(1));
        }
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + httpPort + "/q/health/ready")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    public String name() {
        return name;
    }

    /** The HTTP port it listens on; known once {@link #awaitReady(Duration)} returned. */
    public int httpPort() {
        return httpPort;
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Its console log so far. */
    public List<String> logLines() {
        try {
            // Decoded leniently: a line cut in the middle of a multi-byte character must not fail the reader.
            return new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + log, e);
        }
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

    /** The last lines of its log, for failure messages. */
    public String tail(int lines) {
        List<String> all = logLines();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** Stops it as an orchestrator would (SIGTERM, so it leaves its consumer groups), forcibly after 30 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook runs anyway; the process is gone
        }
    }
}

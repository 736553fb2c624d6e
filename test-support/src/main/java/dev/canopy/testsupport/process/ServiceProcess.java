package dev.canopy.testsupport.process;

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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * One instance of a service run as its packaged app ({@code target/quarkus-app/quarkus-run.jar}) in a process of its
 * own, configured with {@code -D} properties, its console log in a file; for tests and benchmarks that need real,
 * separate instances — several side by side, or one killed and another started in its place.
 */
public class ServiceProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("Listening on: https?://[^:]+:(\\d+)");
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);

    private final String name;
    private final Process process;
    private final Path log;
    private final Thread killOnExit;
    private volatile int httpPort;

    /**
     * Starts an instance without waiting for it; see {@link #awaitReady(Duration)}.
     *
     * @param name tells instances apart in file names and messages
     * @param appJar the packaged app, see {@link #appJar(Path, String)}
     * @param config {@code -D} properties (broker, database, Azure, the service's own keys); an HTTP port of 0 is set
     *               unless given
     * @param heap the instance's maximum heap, e.g. {@code "256m"}
     * @param log the file its console output goes to (replaced)
     */
    protected ServiceProcess(String name, Path appJar, Map<String, String> config, String heap, Path log) {
        this.name = name;
        this.log = log;
        this.process = launch(name, appJar, config, heap, log);
        // A test JVM that ends without reaching its finally block (Ctrl-C, SIGTERM from Maven) must not leave the
        // instance running. SIGKILL runs no hook: unlike the test broker, the packaged app has no watch on its
        // parent, so an instance orphaned that way must be stopped by hand.
        this.killOnExit = new Thread(process::destroyForcibly, "stop-service-" + name);
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /** Starts an instance of the app without waiting for it; parameters as {@link #ServiceProcess}. */
    public static ServiceProcess start(String name, Path appJar, Map<String, String> config, String heap, Path log) {
        return new ServiceProcess(name, appJar, config, heap, log);
    }

    private static Process launch(String name, Path appJar, Map<String, String> config, String heap, Path log) {
        Map<String, String> properties = new HashMap<>(config);
        properties.putIfAbsent("quarkus.http.port", "0");
        // The app's temp files stay in its module's target folder, as the test JVMs' do.
        Path tmp = appJar.getParent().getParent().resolve("tmp");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + heap);
        command.add("-XX:+UseSerialGC");
        command.add("-Djava.io.tmpdir=" + tmp);
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(appJar.toString());
        try {
            Files.createDirectories(log.getParent());
            Files.createDirectories(tmp);
            return new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start service instance " + name + " (" + appJar + ")", e);
        }
    }

    /**
     * A module's packaged app; {@code package} (or {@code verify}) builds it.
     *
     * @param targetDir the module's {@code target} folder, see {@link #targetDirOf(Class)}
     * @param module the module's name, for the message when the app was not built
     */
    public static Path appJar(Path targetDir, String module) {
        Path jar = targetDir.resolve("quarkus-app").resolve("quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: package " + module + " first (./mvnw -pl " + module
                    + " package -DskipTests)");
        }
        return jar;
    }

    /** The {@code target} folder of the module whose test classes hold {@code testClass}. */
    public static Path targetDirOf(Class<?> testClass) {
        try {
            // .../<module>/target/test-classes -> .../<module>/target; independent of the working folder, which is
            // the module under failsafe but the project root under exec:java.
            return Path.of(testClass.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the target folder of " + testClass.getName(), e);
        }
    }

    /** Waits until the instance answers ready on {@code /q/health/ready} (for Canopy's services: broker and database up). */
    public ServiceProcess awaitReady(Duration within) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try {
            await().atMost(within).pollInterval(Duration.ofMillis(250))
                    .failFast("service instance " + name + " exited", () -> !process.isAlive())
                    .until(() -> ready(http));
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            throw new IllegalStateException("service instance " + name + " was not ready within " + within
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
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
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

    /** {@code http://127.0.0.1:<port>}; known once {@link #awaitReady(Duration)} returned. */
    public String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
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

    /** The last lines of its log, for failure messages. */
    public String tail(int lines) {
        List<String> all = logLines();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /**
     * Kills it as a crash would: SIGKILL, so no shutdown hook runs, no transaction or Kafka commit completes and no
     * consumer leaves its group. Returns once the process is gone.
     */
    public void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(KILL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("service instance " + name + " still ran " + KILL_TIMEOUT
                        + " after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        forgetShutdownHook();
    }

    /** Stops it as an orchestrator would (SIGTERM, so it leaves its consumer groups), forcibly after 30 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(KILL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        forgetShutdownHook();
    }

    private void forgetShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook runs anyway; the process is gone
        }
    }
}

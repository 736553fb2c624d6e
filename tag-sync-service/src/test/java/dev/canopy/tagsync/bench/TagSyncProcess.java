package dev.canopy.tagsync.bench;

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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * tag-sync-service run as the packaged app ({@code target/quarkus-app/quarkus-run.jar}) in a process of its own,
 * configured with {@code -D} properties on a random HTTP port, its console log in a file: what the benchmark measures.
 */
final class TagSyncProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("Listening on: https?://[^:]+:(\\d+)");

    private final Process process;
    private final Path log;
    private final Thread killOnExit;
    private int httpPort;

    private TagSyncProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
        // Ctrl-C on the benchmark must not leave the app running (SIGKILL runs no hook: then stop it by hand).
        this.killOnExit = new Thread(process::destroyForcibly, "stop-tag-sync");
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /**
     * Starts the app and waits until {@code /q/health/ready} answers 200 (broker and database up).
     *
     * @param config {@code -D} properties: broker, database, Azure, platform issuer, {@code canopy.tag-sync.*}
     * @param log the file its console output goes to (replaced)
     */
    static TagSyncProcess startReady(Map<String, String> config, String heap, Path log, Duration within) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-XX:+UseSerialGC", "-Djava.io.tmpdir=" + targetDir().resolve("tmp"),
                "-Dquarkus.http.port=0"));
        config.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(appJar().toString());
        TagSyncProcess app;
        try {
            Files.createDirectories(log.getParent());
            Files.createDirectories(targetDir().resolve("tmp"));
            app = new TagSyncProcess(new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + appJar(), e);
        }
        try {
            app.awaitReady(within);
            return app;
        } catch (RuntimeException e) {
            app.close();
            throw e;
        }
    }

    private static Path appJar() {
        Path jar = targetDir().resolve("quarkus-app").resolve("quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: package tag-sync-service first (bench/tag-sync does)");
        }
        return jar;
    }

    /** tag-sync-service's {@code target} folder, found from where the test classes were loaded. */
    static Path targetDir() {
        try {
            // .../target/test-classes -> .../target, whatever the working folder (the project root under exec:java).
            return Path.of(TagSyncProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate tag-sync-service's target folder", e);
        }
    }

    private void awaitReady(Duration within) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try {
            await().atMost(within).pollInterval(Duration.ofMillis(250))
                    .failFast("tag-sync-service exited", () -> !process.isAlive())
                    .until(() -> ready(http));
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            throw new IllegalStateException("tag-sync-service was not ready within " + within + "; " + log
                    + " ends with:\n" + tail(40), e);
        }
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
            return http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** Where its API listens, e.g. {@code http://127.0.0.1:40123}; known once started. */
    String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    Path log() {
        return log;
    }

    List<String> logLines() {
        try {
            return new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + log, e);
        }
    }

    private String tail(int lines) {
        List<String> all = logLines();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** Stops it with SIGTERM, as an orchestrator would (it leaves its consumer groups), forcibly after 30 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }
}

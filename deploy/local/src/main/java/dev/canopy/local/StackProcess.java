package dev.canopy.local;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * One JVM of the local stack (the emulator or a service): started with its console in a log file, waited for with a
 * bounded readiness check, stopped as an orchestrator would (SIGTERM, then SIGKILL). It is not tied to the launcher's
 * life, so {@code --keep} can leave it running and a later {@code stop} finds it by its pid.
 */
final class StackProcess {

    static final Duration STOP_GRACE = Duration.ofSeconds(30);
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);

    private final String name;
    private final ProcessHandle handle;
    private final Path log;

    private StackProcess(String name, ProcessHandle handle, Path log) {
        this.name = name;
        this.handle = handle;
        this.log = log;
    }

    /** Starts {@code command} with its stdout and stderr in {@code log} (replaced). */
    static StackProcess start(String name, List<String> command, Path log) {
        try {
            Files.createDirectories(log.getParent());
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
            return new StackProcess(name, process.toHandle(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name + ": " + String.join(" ", command), e);
        }
    }

    String name() {
        return name;
    }

    long pid() {
        return handle.pid();
    }

    Path log() {
        return log;
    }

    /** Waits until {@code ready} answers true; fails at once when the process exits, with its log's last lines. */
    void awaitReady(Duration within, Callable<Boolean> ready) {
        awaitReady(within, ready, () -> false);
    }

    /**
     * Waits as {@link #awaitReady(Duration, Callable)} does; once {@code stopping} answers true (the launcher is being
     * stopped, which also ends this process), the wait ends with {@link Interrupted} instead of a failure.
     */
    void awaitReady(Duration within, Callable<Boolean> ready, BooleanSupplier stopping) {
        try {
            await(name + " ready").atMost(within).pollInterval(Duration.ofMillis(250))
                    .ignoreExceptions()
                    .failFast(name + " exited", () -> stopping.getAsBoolean() || !handle.isAlive())
                    .until(ready);
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            if (stopping.getAsBoolean()) {
                throw new Interrupted("stopped while waiting for " + name + " to be ready: the launcher was "
                        + "interrupted (Ctrl-C or SIGTERM) and stops what it started");
            }
            throw new IllegalStateException(name + " was not ready within " + within + " (" + e.getMessage()
                    + "); its log " + log + " ends with:\n" + tail(40), e);
        }
    }

    /** Fails, with its log's last lines, if the process has exited. */
    void requireAlive() {
        if (!handle.isAlive()) {
            throw new IllegalStateException(name + " exited after it seemed ready; its log " + log + " ends with:\n"
                    + tail(40));
        }
    }

    /** A wait ended because the launcher is being stopped, not because a part failed. */
    static final class Interrupted extends RuntimeException {
        Interrupted(String message) {
            super(message);
        }
    }

    /** Whether its log holds a line containing {@code text}. */
    boolean logContains(String text) {
        return logLines().stream().anyMatch(line -> line.contains(text));
    }

    String tail(int lines) {
        List<String> all = logLines();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private List<String> logLines() {
        try {
            // Decoded leniently: a line cut in the middle of a multi-byte character must not fail the reader.
            return new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    ProcessHandle handle() {
        return handle;
    }

    /**
     * Stops processes as an orchestrator would: SIGTERM to all at once (a service then leaves its consumer groups and
     * finishes its transactions), SIGKILL to any still running after {@link #STOP_GRACE}.
     *
     * @return the pids that still ran after SIGKILL
     */
    static List<Long> stopAll(List<ProcessHandle> processes) {
        processes.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + STOP_GRACE.toNanos();
        for (ProcessHandle process : processes) {
            if (!awaitExit(process, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                process.destroyForcibly();
            }
        }
        return processes.stream().filter(p -> !awaitExit(p, KILL_WAIT)).map(ProcessHandle::pid).toList();
    }

    private static boolean awaitExit(ProcessHandle process, Duration within) {
        try {
            process.onExit().get(within.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }
}

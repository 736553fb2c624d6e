package dev.canopy.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stack process: its console in its log, a readiness wait that fails fast with the log, a stop by signal. */
class StackProcessTest {

    @TempDir
    Path dir;

    @Test
    void waitsUntilReadyAndStopsOnSigterm() {
        StackProcess process = StackProcess.start("sleeper", List.of("bash", "-c", "echo ready; exec sleep 300"),
                dir.resolve("sleeper.log"));
        process.awaitReady(Duration.ofSeconds(20), () -> process.logContains("ready"));

        assertThat(StackProcess.stopAll(List.of(process.handle()))).isEmpty();
        assertThat(process.handle().isAlive()).isFalse();
    }

    @Test
    void aProcessThatExitsFailsTheWaitAtOnceWithItsLog() {
        StackProcess process = StackProcess.start("crasher", List.of("bash", "-c", "echo port 8081 taken; exit 3"),
                dir.resolve("crasher.log"));

        assertThatThrownBy(() -> process.awaitReady(Duration.ofMinutes(5), () -> false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("crasher")
                .hasMessageContaining("port 8081 taken")
                .hasMessageContaining(dir.resolve("crasher.log").toString());
    }

    @Test
    void stoppingSomethingAlreadyGoneIsFine() {
        StackProcess process = StackProcess.start("quick", List.of("true"), dir.resolve("quick.log"));
        process.handle().onExit().join();

        assertThat(StackProcess.stopAll(List.of(process.handle()))).isEmpty();
    }
}

package dev.canopy.collector;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.canopy.emulator.faults.FaultRule;
import dev.canopy.emulator.limits.LimitSettings;
import dev.canopy.emulator.world.SyntheticWorld;
import dev.canopy.emulator.world.WorldSpec;
import dev.canopy.events.CollectionRunProgress.Phase;
import dev.canopy.events.policy.SyncPolicy;
import dev.canopy.testsupport.world.Onboarding;

/**
 * collector-service instances (the packaged app, a process each) stopped in the middle of a run: one stopped as an
 * orchestrator stops it (SIGTERM) ends its run as PARTIAL before it exits; one killed (SIGKILL) cannot, and the
 * instance that collects the subscription next closes the run it left as PARTIAL, so no run shows as going on forever.
 */
class StopDuringRunIT {

    // A killed consumer stays in its group until its session times out (Kafka's default 45 s), and its partitions wait
    // that long for a new owner. Shorter here, so the test is not mostly waiting.
    private static final Map<String, String> CONFIG = Map.of(
            "canopy.collector.tick", "1s",
            "canopy.collector.interval", "PT1S",
            "canopy.collector.spend-backfill-months", "0",
            "canopy.collector.page-size", "5",
            "mp.messaging.incoming.tenants-in.session.timeout.ms", "6000",
            "mp.messaging.incoming.tenants-in.heartbeat.interval.ms", "2000",
            "mp.messaging.incoming.policies-in.session.timeout.ms", "6000",
            "mp.messaging.incoming.policies-in.heartbeat.interval.ms", "2000");
    private static final String HEAP = "256m";
    private static final Duration READY = Duration.ofSeconds(90);
    private static final Duration RUN_WAIT = Duration.ofSeconds(90);

    @Test
    void aRunEndsAsPartialWhenItsInstanceStopsAndARunLeftByAKilledInstanceIsClosedByTheNext() {
        try (CollectorEnvironment env = CollectorEnvironment.start("StopDuringRunIT", LimitSettings.off())) {
            // Slow resource pages (six of five resources) keep every run going long enough to stop its instance.
            env.azure().faults().add(new FaultRule("arm.resources.list", 0, 500, 2000, 0, null));
            WorldSpec world = SyntheticWorld.generate(new SyntheticWorld.Parameters(717, 1, 1, 1, 30, 1,
                    LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1), "EUR", true));
            env.azure().loadWorld(world);
            String sub = world.subscriptions().get(0).subscriptionId();

            CollectorProcess stopped = env.launch("stopped", CONFIG, HEAP).awaitReady(READY);
            Onboarding.onboardAll(env.kafka(), world, SyncPolicy.READ_WRITE_TAGS);
            UUID first = awaitRunGoingOn(env, sub, null);
            stopped.close();
            RunTimeline.Run stoppedRun = RunTimeline.read(env.kafka(), List.of(sub)).runsOf(sub).get(0);
            assertThat(stoppedRun.runId()).isEqualTo(first);
            assertThat(stoppedRun.end()).isEqualTo(Phase.PARTIAL);
            assertThat(stoppedRun.reason()).contains("stopped during the run");

            CollectorProcess killed = env.launch("killed", CONFIG, HEAP).awaitReady(READY);
            UUID second = awaitRunGoingOn(env, sub, first);
            killed.kill();

            try (CollectorProcess next = env.launch("next", CONFIG, HEAP).awaitReady(READY)) {
                RunTimeline timeline = RunTimeline.await(env.kafka(), List.of(sub), t -> t.runsOf(sub).size() >= 3
                        && t.runsOf(sub).stream().anyMatch(r -> r.runId().equals(second) && r.hasEnded()), RUN_WAIT);
                RunTimeline.Run left = timeline.runsOf(sub).stream().filter(r -> r.runId().equals(second))
                        .findFirst().orElseThrow();
                assertThat(left.end()).isEqualTo(Phase.PARTIAL);
                assertThat(left.reason()).startsWith("abandoned");
                // The next instance closed it as its own run of the subscription began.
                assertThat(timeline.runsOf(sub)).hasSize(3);
                assertThat(next.loggedRuns()).doesNotContainKey(second.toString());
            }
        }
    }

    /** Waits until a run of the subscription other than {@code after}'s has done a page and is going on; its id. */
    private static UUID awaitRunGoingOn(CollectorEnvironment env, String sub, UUID after) {
        RunTimeline timeline = RunTimeline.await(env.kafka(), List.of(sub), t -> t.runsOf(sub).stream()
                .anyMatch(r -> !r.runId().equals(after) && r.pagesDone() >= 1 && !r.hasEnded()), RUN_WAIT);
        return timeline.runsOf(sub).stream().filter(r -> !r.runId().equals(after) && !r.hasEnded())
                .findFirst().orElseThrow().runId();
    }
}

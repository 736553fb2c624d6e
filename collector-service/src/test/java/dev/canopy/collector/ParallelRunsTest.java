package dev.canopy.collector;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.canopy.emulator.faults.FaultRule;
import dev.canopy.emulator.world.Subscription;
import dev.canopy.events.CollectionRunProgress.Phase;
import dev.canopy.events.OnboardedSubscription;
import dev.canopy.events.TenantOnboarded;
import dev.canopy.events.policy.SyncPolicy;
import dev.canopy.testsupport.azure.AzureEmulatorResource;
import dev.canopy.testsupport.db.PostgresDatabaseResource;
import dev.canopy.testsupport.kafka.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Runs in parallel (canopy.collector.parallel-runs, 4): a slow subscription holds up only its own worker, at most four
 * runs go on at once, and no subscription ever has two runs at once — scheduled, asked for, or both.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PostgresDatabaseResource.class)
@WithTestResource(AzureEmulatorResource.class)
class ParallelRunsTest extends CollectorTestBase {

    private static final int PARALLEL_RUNS = 4;

    @Test
    void aSlowSubscriptionHoldsUpOnlyItsOwnWorkerAndNoSubscriptionHasTwoRunsAtOnce() {
        // Slow resource pages make the one subscription that lists resources slow (six pages of five resources); the
        // others, NO_RESOURCES, read only the subscription and its spend.
        azure.faults().add(new FaultRule("arm.resources.list", 0, 500, 3000, 0, null));
        world = generate(5, 1, 30);
        azure.loadWorld(world);
        tenantId = world.subscriptions().get(0).tenantId();
        subscriptionIds = world.subscriptions().stream().map(Subscription::subscriptionId).toList();
        String slow = subscriptionIds.get(0);
        List<String> others = subscriptionIds.subList(1, subscriptionIds.size());
        // A subscription is not collected before its policy is seen: the slow one's comes first, the others' once its
        // run is going on, so that a collector running one subscription after the other could not pass.
        setPolicy(slow, SyncPolicy.READ_WRITE_TAGS, null);
        kafka.publish(new TenantOnboarded(UUID.randomUUID(), Instant.now(), tenantId, "sp", "admin",
                world.subscriptions().stream()
                        .map(s -> new OnboardedSubscription(s.subscriptionId(), s.displayName(), true)).toList()));
        RunTimeline.await(kafka, List.of(slow), t -> t.runsOf(slow).stream().anyMatch(r -> r.pagesDone() >= 1),
                RUN_TIMEOUT);
        others.forEach(sub -> setPolicy(sub, SyncPolicy.NO_RESOURCES, null));

        // Four runs want a worker besides the slow one's: one waits for a free one; all end while the slow run goes on.
        RunTimeline othersDone = RunTimeline.await(kafka, subscriptionIds,
                t -> t.eachHasEndedRuns(others, 1, Instant.EPOCH), RUN_TIMEOUT);
        assertThat(othersDone.runsOf(slow)).as("runs of the slow subscription").singleElement()
                .satisfies(run -> assertThat(run.hasEnded()).as("the slow run has ended").isFalse());
        others.forEach(sub -> assertThat(othersDone.runsOf(sub)).as(sub).extracting(RunTimeline.Run::end)
                .containsExactly(Phase.FINISHED));

        // Asked for while it goes on, and due at every tick: the slow subscription still gets no second run at once,
        // but one after it (the request stands). One more slow page makes sure ticks went by in between.
        long pages = othersDone.runsOf(slow).get(0).pagesDone();
        requestRun(slow);
        RunTimeline.await(kafka, List.of(slow), t -> t.runsOf(slow).get(0).pagesDone() > pages
                || t.runsOf(slow).get(0).hasEnded(), RUN_TIMEOUT);
        azure.faults().clear();
        RunTimeline all = RunTimeline.await(kafka, subscriptionIds,
                t -> t.eachHasEndedRuns(List.of(slow), 2, Instant.EPOCH) && t.allEnded(), RUN_TIMEOUT);

        assertThat(all.runsOf(slow)).extracting(RunTimeline.Run::end).containsExactly(Phase.FINISHED, Phase.FINISHED);
        for (String sub : subscriptionIds) {
            List<RunTimeline.Run> runs = all.runsOf(sub);
            for (int i = 1; i < runs.size(); i++) {
                assertThat(runs.get(i).started()).as("run %d of %s starts after run %d ended", i + 1, sub, i)
                        .isAfterOrEqualTo(runs.get(i - 1).ended());
            }
        }
        assertThat(mostAtOnce(all.runs())).as("runs going on at once").isBetween(2, PARALLEL_RUNS);
    }

    /** The most runs whose [started, ended] overlap at one moment, from their progress events. */
    private static int mostAtOnce(List<RunTimeline.Run> runs) {
        record Edge(Instant at, int change) {
        }
        List<Edge> edges = new ArrayList<>();
        runs.forEach(r -> {
            edges.add(new Edge(r.started(), 1));
            edges.add(new Edge(r.ended(), -1));
        });
        // At one moment an end counts before a start: a worker that ended one run may start its next right away.
        edges.sort(Comparator.comparing(Edge::at).thenComparingInt(Edge::change));
        int going = 0;
        int most = 0;
        for (Edge edge : edges) {
            going += edge.change();
            most = Math.max(most, going);
        }
        return most;
    }
}

package dev.canopy.collector;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.canopy.collector.repository.CollectionRun;
import dev.canopy.collector.service.CollectionService;
import dev.canopy.emulator.faults.FaultRule;
import dev.canopy.events.CollectionRunProgress;
import dev.canopy.events.CollectionRunProgress.Phase;
import dev.canopy.events.policy.SyncPolicy;
import dev.canopy.events.topic.CanopyTopic;
import dev.canopy.testsupport.azure.AzureEmulatorResource;
import dev.canopy.testsupport.db.PostgresDatabaseResource;
import dev.canopy.testsupport.kafka.KafkaBrokerResource;
import dev.canopy.testsupport.kafka.ReceivedRecord;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Two runs of one subscription overlapping, as when its registry partition moves to another instance while the old
 * owner's run goes on and the new owner starts its own (nextRunAt is still in the past): the run that started last
 * takes the subscription over, and the older one stops at its next step without publishing — in particular without
 * tombstoning the resources only the newer run stamped. Both runs are started here in the one app, standing in for
 * the two instances.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PostgresDatabaseResource.class)
@WithTestResource(AzureEmulatorResource.class)
class RunTakenOverTest extends CollectorTestBase {

    @Inject
    CollectionService collection;

    @Test
    void aRunAnotherRunTookOverStopsWithoutTombstoningWhatStillExists() throws Exception {
        onboard(generate(1, 2, 12), SyncPolicy.READ_WRITE_TAGS);
        String sub = subscriptionIds.get(0);
        assertThat(awaitRun(sub, 1).phase()).isEqualTo(Phase.FINISHED);

        // The old owner's run: slow resource pages (page size 5: groups on page 1, resources on pages 2..4), so it is
        // still waiting for page 3 while the new owner's run goes from start to end.
        azure.faults().add(new FaultRule("arm.resources.list", 0, 500, 3000, 0, null));
        CompletableFuture<CollectionRun> oldOwner = CompletableFuture.supplyAsync(() -> collection.collect(sub, () -> false));
        kafka.awaitRecord(CanopyTopic.COLLECTION_RUNS.topicName(), r -> sub.equals(r.key())
                && r.event(CollectionRunProgress.class).phase() == Phase.PAGE_DONE
                && r.event(CollectionRunProgress.class).pagesDone() == 2, RUN_TIMEOUT);
        azure.faults().clear();
        CollectionRun newOwner = collection.collect(sub, () -> false);
        CollectionRun old = oldOwner.get(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);

        assertThat(tombstones(CanopyTopic.RESOURCES, sub)).as("resources tombstoned although they still exist")
                .isEmpty();
        assertThat(tombstones(CanopyTopic.TAGS, sub)).as("tags tombstoned although they still exist").isEmpty();
        assertThat(newOwner.state).isEqualTo(Phase.FINISHED.name());
        assertThat(old.state).isEqualTo(Phase.PARTIAL.name());
        assertThat(old.reason).isEqualTo("another run took the subscription over during the run");
        assertThat(old.spendState).isEqualTo("SKIPPED");

        // On canopy.collection-runs the old run was closed as abandoned when the new one began, then ended with its
        // real reason.
        List<String> oldEnds = kafka.readAll(CanopyTopic.COLLECTION_RUNS.topicName(), READ_TIMEOUT).stream()
                .filter(r -> sub.equals(r.key())).map((ReceivedRecord r) -> r.event(CollectionRunProgress.class))
                .filter(e -> e.runId().equals(old.runId) && e.phase() == Phase.PARTIAL)
                .map(CollectionRunProgress::reason).toList();
        assertThat(oldEnds).hasSize(2);
        assertThat(oldEnds.get(0)).startsWith("abandoned");
        assertThat(oldEnds.get(1)).isEqualTo(old.reason);
    }
}

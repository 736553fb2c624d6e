package dev.canopy.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.canopy.emulator.faults.FaultRule;
import dev.canopy.events.CollectionRunProgress;
import dev.canopy.events.ResourceSnapshot;
import dev.canopy.events.TagSnapshot;
import dev.canopy.events.policy.SyncPolicy;
import dev.canopy.events.topic.CanopyTopic;
import dev.canopy.testsupport.kafka.ReceivedRecord;
import dev.canopy.testsupport.azure.AzureEmulatorResource;
import dev.canopy.testsupport.db.PostgresDatabaseResource;
import dev.canopy.testsupport.kafka.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Sync policies: what each one lets the collector publish, and the tombstones a change owes at once. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PostgresDatabaseResource.class)
@WithTestResource(AzureEmulatorResource.class)
class PolicyTest extends CollectorTestBase {

    @Test
    void eachPolicyPublishesWhatItAllowsAndSpendIsCollectedUnderAll() {
        List<SyncPolicy> policies = List.of(SyncPolicy.NO_RESOURCES, SyncPolicy.NO_TAGS, SyncPolicy.READ_TAGS_ONLY,
                SyncPolicy.READ_WRITE_TAGS);
        onboard(generate(4, 2, 6), policies);
        for (int i = 0; i < policies.size(); i++) {
            String sub = subscriptionIds.get(i);
            SyncPolicy policy = policies.get(i);
            CollectionRunProgress run = awaitRun(sub, 1);
            assertThat(run.phase()).as(policy.name()).isEqualTo(CollectionRunProgress.Phase.FINISHED);
            Set<String> keys = worldKeys(sub);
            assertThat(resourceSnapshots(run.runId())).as(policy.name()).extracting(ResourceSnapshot::resourceId)
                    .containsExactlyInAnyOrderElementsOf(policy.collectsResources() ? keys : Set.of());
            assertThat(tagSnapshots(run.runId())).as(policy.name()).extracting(TagSnapshot::resourceId)
                    .containsExactlyInAnyOrderElementsOf(policy.collectsTags() ? tagKeys(sub) : Set.of());
            assertThat(spendSnapshots(run.runId())).as(policy.name()).isNotEmpty();
        }
    }

    @Test
    void readWriteThenNoTagsThenNoResourcesThenReadWriteAgain() {
        onboard(generate(1, 2, 8), SyncPolicy.READ_WRITE_TAGS);
        String sub = subscriptionIds.get(0);
        CollectionRunProgress first = awaitRun(sub, 1);
        Set<String> keys = worldKeys(sub);
        Set<String> tagKeys = tagKeys(sub);
        assertThat(tagSnapshots(first.runId())).hasSize(tagKeys.size());

        // NO_TAGS: every tag snapshot is tombstoned at once, without waiting for a run; resources stay.
        setPolicy(sub, SyncPolicy.NO_TAGS, SyncPolicy.READ_WRITE_TAGS);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(tombstones(CanopyTopic.TAGS, sub)).containsExactlyInAnyOrderElementsOf(tagKeys));
        assertThat(tombstones(CanopyTopic.RESOURCES, sub)).isEmpty();

        // NO_RESOURCES: every resource snapshot is tombstoned at once too.
        setPolicy(sub, SyncPolicy.NO_RESOURCES, SyncPolicy.NO_TAGS);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(tombstones(CanopyTopic.RESOURCES, sub)).containsExactlyInAnyOrderElementsOf(keys));
        assertThat(tombstones(CanopyTopic.TAGS, sub)).hasSize(tagKeys.size());

        // Back to READ_WRITE_TAGS: the next run (asked for by the widening change) publishes everything again.
        setPolicy(sub, SyncPolicy.READ_WRITE_TAGS, SyncPolicy.NO_RESOURCES);
        CollectionRunProgress again = awaitRun(sub, 2);
        assertThat(again.phase()).isEqualTo(CollectionRunProgress.Phase.FINISHED);
        assertThat(resourceSnapshots(again.runId())).extracting(ResourceSnapshot::resourceId)
                .containsExactlyInAnyOrderElementsOf(keys);
        assertThat(tagSnapshots(again.runId())).extracting(TagSnapshot::resourceId)
                .containsExactlyInAnyOrderElementsOf(tagKeys);
    }

    @Test
    void aPolicyChangeDuringARunWinsNoSnapshotOutlivesItsTombstone() {
        // Slow resource pages, so that the policy change lands in the middle of the run.
        azure.faults().add(new FaultRule("arm.resources.list", 0, 500, 700, 0, null));
        onboard(generate(1, 2, 12), SyncPolicy.READ_WRITE_TAGS);
        String sub = subscriptionIds.get(0);
        kafka.awaitRecord(CanopyTopic.COLLECTION_RUNS.topicName(), r -> sub.equals(r.key())
                && r.event(CollectionRunProgress.class).phase() == CollectionRunProgress.Phase.PAGE_DONE, RUN_TIMEOUT);
        setPolicy(sub, SyncPolicy.NO_RESOURCES, SyncPolicy.READ_WRITE_TAGS);

        CollectionRunProgress run = awaitRun(sub, 1);
        assertThat(run.phase()).isEqualTo(CollectionRunProgress.Phase.PARTIAL);
        assertThat(run.reason()).contains("policy changed");
        // The policy's tombstones go out chunk by chunk, maybe still after the run ended: wait for the last word.
        await().atMost(READ_TIMEOUT).untilAsserted(() -> {
            for (CanopyTopic topic : List.of(CanopyTopic.RESOURCES, CanopyTopic.TAGS)) {
                Map<String, ReceivedRecord> latest = kafka.readAll(topic.topicName(), READ_TIMEOUT).stream()
                        .filter(r -> r.key().startsWith("/subscriptions/" + sub))
                        .collect(Collectors.toMap(ReceivedRecord::key, r -> r, (a, b) -> b));
                assertThat(latest).as(topic.topicName()).isNotEmpty();
                assertThat(latest.values()).as(topic.topicName()).allMatch(ReceivedRecord::isTombstone);
            }
        });
    }
}

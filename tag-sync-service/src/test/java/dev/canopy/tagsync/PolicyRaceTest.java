package dev.canopy.tagsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.canopy.emulator.world.Resource;
import dev.canopy.events.TagEditOutcome;
import dev.canopy.events.TagEditOutcome.Outcome;
import dev.canopy.events.policy.SyncPolicy;
import dev.canopy.events.topic.CanopyTopic;
import dev.canopy.testsupport.azure.AzureEmulatorResource;
import dev.canopy.testsupport.db.PostgresDatabaseResource;
import dev.canopy.testsupport.kafka.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Randomized interleavings of policy downgrades, upgrades and edits: an edit accepted after a downgrade was
 * acknowledged (the broker acked the policy record, which is when consent-service's API answers) is never written to
 * Azure — judged by the emulator's request log — while edits still in flight when a downgrade lands may go either way.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PostgresDatabaseResource.class)
@WithTestResource(AzureEmulatorResource.class)
class PolicyRaceTest extends TagSyncTestBase {

    private static final int STEPS = 220;
    private static final List<SyncPolicy> DOWNGRADES = List.of(SyncPolicy.NO_TAGS, SyncPolicy.NO_RESOURCES,
            SyncPolicy.READ_TAGS_ONLY);

    /** An edit the test sent, and the downgrade acknowledged before it was accepted (null: none in force). */
    private record Sent(UUID editId, String resourceId, SyncPolicy acknowledgedDowngrade) {
    }

    @Test
    void noEditAcceptedAfterAnAcknowledgedDowngradeIsEverWritten() {
        generate(1, STEPS);
        onboard(SyncPolicy.READ_WRITE_TAGS);
        String sub = subscriptionIds.get(0);
        List<String> resources = resources(sub).stream().map(Resource::id).toList();
        Random random = new Random(seed);
        SyncPolicy policy = SyncPolicy.READ_WRITE_TAGS;
        List<Sent> sent = new ArrayList<>();
        List<Sent> sinceDowngrade = new ArrayList<>();
        int downgrades = 0;
        for (int step = 0; step < STEPS; step++) {
            boolean writable = policy == SyncPolicy.READ_WRITE_TAGS;
            double roll = random.nextDouble();
            if (writable && roll < 0.25) {
                policy = DOWNGRADES.get(random.nextInt(DOWNGRADES.size()));
                setPolicy(sub, policy); // returns once acked: from here on the downgrade must win
                downgrades++;
            } else if (!writable && roll < 0.3) {
                // Before upgrading, let the edits of this downgraded phase be decided under it.
                List<UUID> pending = sinceDowngrade.stream().map(Sent::editId).toList();
                await().atMost(WAIT).until(() -> decided(pending).size() == pending.size());
                sinceDowngrade.clear();
                policy = SyncPolicy.READ_WRITE_TAGS;
                setPolicy(sub, policy);
            } else {
                String resource = resources.get(step);
                Sent edit = new Sent(edit(resource, "merge", Map.of("step", String.valueOf(step))), resource,
                        writable ? null : policy);
                sent.add(edit);
                if (!writable) {
                    sinceDowngrade.add(edit);
                }
            }
        }
        List<UUID> all = sent.stream().map(Sent::editId).toList();
        await().atMost(Duration.ofMinutes(2)).until(() -> decided(all).size() == all.size());
        Map<UUID, TagEditOutcome> outcomes = decided(all);

        List<Sent> underDowngrade = sent.stream().filter(s -> s.acknowledgedDowngrade() != null).toList();
        assertThat(downgrades).as("downgrades exercised").isGreaterThanOrEqualTo(10);
        assertThat(underDowngrade).as("edits sent under an acknowledged downgrade").hasSizeGreaterThanOrEqualTo(20);
        for (Sent s : underDowngrade) {
            assertThat(tagWritesTo(s.resourceId())).as("Tags API writes for %s", s.editId()).isEmpty();
            Outcome expected = s.acknowledgedDowngrade() == SyncPolicy.READ_TAGS_ONLY ? Outcome.KEPT_IN_PLATFORM
                    : Outcome.REJECTED_BY_POLICY;
            assertThat(outcomes.get(s.editId()).outcome()).isEqualTo(expected);
            assertThat(outcomes.get(s.editId()).policySeen()).isEqualTo(s.acknowledgedDowngrade());
        }
        // The others were accepted under READ_WRITE_TAGS: written exactly once if APPLIED, else not at all.
        for (Sent s : sent.stream().filter(s -> s.acknowledgedDowngrade() == null).toList()) {
            int writes = tagWritesTo(s.resourceId()).size();
            assertThat(writes).isEqualTo(outcomes.get(s.editId()).outcome() == Outcome.APPLIED ? 1 : 0);
        }
    }

    private Map<UUID, TagEditOutcome> decided(List<UUID> editIds) {
        Map<UUID, TagEditOutcome> result = new HashMap<>();
        kafka.readAll(CanopyTopic.TAG_EDIT_RESULTS.topicName(), Duration.ofSeconds(20)).stream()
                .map(r -> r.event(TagEditOutcome.class)).filter(o -> o.outcome() != Outcome.DRIFT_DETECTED)
                .filter(o -> editIds.contains(o.editId())).forEach(o -> result.put(o.editId(), o));
        return result;
    }
}

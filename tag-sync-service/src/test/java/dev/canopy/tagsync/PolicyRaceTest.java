package dev.canopy.tagsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import dev.canopy.emulator.limits.LimitSettings;
import dev.canopy.emulator.server.RequestLog;
import dev.canopy.emulator.world.Resource;
import dev.canopy.events.TagEditOutcome;
import dev.canopy.events.TagEditOutcome.Outcome;
import dev.canopy.events.policy.SyncPolicy;
import dev.canopy.events.topic.CanopyTopic;
import dev.canopy.testsupport.azure.AzureEmulatorResource;
import dev.canopy.testsupport.db.PostgresDatabaseResource;
import dev.canopy.testsupport.db.TestDatabase;
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
    private static final String TAGS_PATCH = "arm.tags.patch";
    private static final int QUEUED = 24;
    private static final int AFTER_ACK = 8;
    private static final Duration VIEW_HELD = Duration.ofSeconds(4);
    // How long after its last check a write may still reach Azure: the row lock and the token policy, never seconds.
    private static final Duration IN_FLIGHT_SLACK = Duration.ofMillis(1500);
    private static final List<SyncPolicy> DOWNGRADES = List.of(SyncPolicy.NO_TAGS, SyncPolicy.NO_RESOURCES,
            SyncPolicy.READ_TAGS_ONLY);

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

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

    /**
     * The window the randomized test leaves open: edits accepted before a downgrade and still queued when it is
     * acknowledged — some of them already checked and waiting out Azure's Retry-After for a resend — while the policy
     * view is held back (its table locked, as a slow database would) for seconds. No request may leave once the
     * downgrade is acknowledged, except one already past its last check: judged by when each PATCH reached Azure.
     */
    @Test
    void queuedWritesAreStoppedByADowngradeAcknowledgedWhileThePolicyViewIsHeldBack() throws Exception {
        generate(1, QUEUED + AFTER_ACK);
        onboard(SyncPolicy.READ_WRITE_TAGS);
        String sub = subscriptionIds.get(0);
        List<String> resources = resources(sub).stream().map(Resource::id).toList();
        // Azure's writes bucket made small: most writes meet a 429 and wait out its Retry-After before a resend.
        azure.limits().configure(new LimitSettings(true, 250, 25, 5, 1, 200, 10, 12, 60, 600, 4));
        List<Sent> queued = new ArrayList<>();
        for (String resource : resources.subList(0, QUEUED)) {
            queued.add(new Sent(edit(resource, "merge", Map.of("queued", "yes")), resource, null));
        }
        // Writing is under way, and some writes are waiting to be sent again.
        await().atMost(WAIT).until(() -> patches().stream().anyMatch(p -> p.status() == 429));

        Instant acknowledged;
        List<Sent> afterAck = new ArrayList<>();
        try (Connection hold = TestDatabase.ofUrl(jdbcUrl).connect()) {
            hold.setAutoCommit(false);
            try (Statement lock = hold.createStatement()) {
                // Reads go on; the view's update of the policy waits for this transaction.
                lock.execute("LOCK TABLE subscription_policy IN EXCLUSIVE MODE");
            }
            setPolicy(sub, SyncPolicy.NO_TAGS);
            acknowledged = Instant.now();
            for (String resource : resources.subList(QUEUED, QUEUED + AFTER_ACK)) {
                afterAck.add(new Sent(edit(resource, "merge", Map.of("late", "yes")), resource, SyncPolicy.NO_TAGS));
            }
            List<UUID> lateIds = afterAck.stream().map(Sent::editId).toList();
            // While the view cannot confirm the policy, nothing accepted after the downgrade is decided.
            await().during(VIEW_HELD).atMost(VIEW_HELD.plusSeconds(10)).until(() -> decided(lateIds).isEmpty());
            hold.rollback();
        }

        List<UUID> all = new ArrayList<>(queued.stream().map(Sent::editId).toList());
        all.addAll(afterAck.stream().map(Sent::editId).toList());
        await().atMost(Duration.ofMinutes(2)).until(() -> decided(all).size() == all.size());
        Map<UUID, TagEditOutcome> outcomes = decided(all);

        for (Sent late : afterAck) {
            assertThat(outcomes.get(late.editId()).outcome()).isEqualTo(Outcome.REJECTED_BY_POLICY);
            assertThat(outcomes.get(late.editId()).policySeen()).isEqualTo(SyncPolicy.NO_TAGS);
            assertThat(tagWritesTo(late.resourceId())).isEmpty();
        }
        Map<Outcome, Long> queuedOutcomes = new java.util.EnumMap<>(Outcome.class);
        for (Sent s : queued) {
            Outcome outcome = outcomes.get(s.editId()).outcome();
            queuedOutcomes.merge(outcome, 1L, Long::sum);
            assertThat(outcome).isIn(Outcome.APPLIED, Outcome.REJECTED_BY_POLICY);
            // A write stopped at its resend may have met a 429 before: only an accepted PATCH changed Azure.
            assertThat(tagWritesTo(s.resourceId())).filteredOn(w -> w.status() / 100 == 2)
                    .hasSize(outcome == Outcome.APPLIED ? 1 : 0);
        }
        assertThat(queuedOutcomes).as("some queued edits written before the downgrade, some stopped by it")
                .containsKeys(Outcome.APPLIED, Outcome.REJECTED_BY_POLICY);
        // A write checked just before the acknowledgement may arrive a moment after it; none arrives while the view
        // is held back, which a write trusting a stale view would.
        Instant latest = acknowledged.plus(IN_FLIGHT_SLACK);
        assertThat(patches()).allSatisfy(p -> assertThat(p.received()).as("PATCH %s reached Azure", p.target())
                .isBefore(latest));
    }

    private List<RequestLog.Entry> patches() {
        return azure.requestLog().entries().stream().filter(e -> TAGS_PATCH.equals(e.route())).toList();
    }

    private Map<UUID, TagEditOutcome> decided(List<UUID> editIds) {
        Map<UUID, TagEditOutcome> result = new HashMap<>();
        kafka.readAll(CanopyTopic.TAG_EDIT_RESULTS.topicName(), Duration.ofSeconds(20)).stream()
                .map(r -> r.event(TagEditOutcome.class)).filter(o -> o.outcome() != Outcome.DRIFT_DETECTED)
                .filter(o -> editIds.contains(o.editId())).forEach(o -> result.put(o.editId(), o));
        return result;
    }
}

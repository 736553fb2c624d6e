package dev.canopy.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.canopy.collector.repository.RegisteredSubscription;
import dev.canopy.collector.repository.RegistryRepository;
import dev.canopy.collector.repository.ResourceStateRepository;
import dev.canopy.collector.repository.SpendStateRepository;
import dev.canopy.events.CollectionRunProgress;
import dev.canopy.events.ResourceDeleted;
import dev.canopy.events.SpendSnapshot;
import dev.canopy.events.TenantOffboarded;
import dev.canopy.events.policy.SyncPolicy;
import dev.canopy.events.topic.CanopyTopic;
import dev.canopy.events.topic.EventType;
import dev.canopy.testsupport.azure.AzureEmulatorResource;
import dev.canopy.testsupport.db.PostgresDatabaseResource;
import dev.canopy.testsupport.kafka.KafkaBrokerResource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Tombstoning an offboarded subscription or a narrower policy chunk by chunk (3 resources per transaction in tests),
 * and finishing by the sweep a tombstoning that was cut short.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PostgresDatabaseResource.class)
@WithTestResource(AzureEmulatorResource.class)
class TombstoningTest extends CollectorTestBase {

    private static final int CHUNK = 3; // %test.canopy.collector.tombstone-chunk

    @Inject
    RegistryRepository registry;

    @Inject
    ResourceStateRepository states;

    @Inject
    SpendStateRepository spendStates;

    @Inject
    MeterRegistry metrics;

    @Test
    void anOffboardedSubscriptionIsTombstonedChunkByChunkUntilNothingOfItIsPublished() {
        onboard(generate(1, 3, 40), SyncPolicy.READ_WRITE_TAGS);
        String sub = subscriptionIds.get(0);
        CollectionRunProgress run = awaitRun(sub, 1);
        Set<String> spendKeys = spendSnapshots(run.runId()).stream().map(SpendSnapshot::kafkaKey)
                .collect(Collectors.toSet());
        assertThat(spendKeys).isNotEmpty();
        long rows = QuarkusTransaction.requiringNew().call(() -> states.count("subscriptionId", sub));
        assertThat(rows).as("resource groups and resources collected").isGreaterThanOrEqualTo(43);
        // Chunks of other subscriptions (an earlier test's offboarding) must not count: start when nothing is owed.
        await().atMost(READ_TIMEOUT).until(() -> QuarkusTransaction.requiringNew()
                .call(() -> states.subscriptionsOwingTombstones()).isEmpty());
        double chunksBefore = chunks();

        kafka.publish(new TenantOffboarded(UUID.randomUUID(), Instant.now(), tenantId, subscriptionIds, "test"));
        String offboardedTenant = tenantId;
        tenantId = null;

        Set<String> resources = worldKeys(sub);
        Set<String> tags = tagKeys(sub);
        await().atMost(READ_TIMEOUT).untilAsserted(() -> {
            assertThat(tombstones(CanopyTopic.RESOURCES, sub)).containsAll(resources);
            assertThat(tombstones(CanopyTopic.TAGS, sub)).containsAll(tags);
            assertThat(kafka.readAll(CanopyTopic.SPEND.topicName(), READ_TIMEOUT).stream()
                    .filter(r -> r.isTombstone()).map(r -> r.key())).containsAll(spendKeys);
        });
        // Each resource's tombstone is preceded by the reason.
        assertThat(kafka.readAll(CanopyTopic.RESOURCES.topicName(), READ_TIMEOUT).stream()
                .filter(r -> !r.isTombstone() && EventType.RESOURCE_DELETED.typeName().equals(r.ceType()))
                .map(r -> r.event(ResourceDeleted.class))
                .filter(d -> d.subscriptionId().equals(sub) && d.reason() == ResourceDeleted.Reason.OFFBOARDED)
                .map(ResourceDeleted::resourceId)).containsAll(resources);
        await().atMost(READ_TIMEOUT).untilAsserted(() -> {
            assertThat(QuarkusTransaction.requiringNew().call(() -> states.count("subscriptionId", sub))).isZero();
            assertThat(QuarkusTransaction.requiringNew().call(() -> spendStates.count("subscriptionId", sub)))
                    .isZero();
        });
        // Never one transaction for the lot: a chunk per three resource rows, and one per three spend keys.
        assertThat(chunks() - chunksBefore).isEqualTo(
                Math.ceil(rows / (double) CHUNK) + Math.ceil(spendKeys.size() / (double) CHUNK));
        assertThat(kafka.readAll(CanopyTopic.TENANTS.dlqName(), READ_TIMEOUT))
                .noneMatch(r -> offboardedTenant.equals(r.key()));
    }

    @Test
    void tombstonesStillOwedWhenTheirTombstoningWasCutShortAreSentByTheSweep() {
        onboard(generate(2, 2, 12), SyncPolicy.READ_WRITE_TAGS);
        String offboarded = subscriptionIds.get(0);
        String narrowed = subscriptionIds.get(1);
        awaitRun(offboarded, 1);
        awaitRun(narrowed, 1);
        Set<String> resourcesOfOffboarded = worldKeys(offboarded);
        Set<String> resourcesOfNarrowed = worldKeys(narrowed);
        Set<String> tagsOfNarrowed = tagKeys(narrowed);

        // What an event's own transaction leaves when the app dies right after it, before its first chunk: the
        // registry says offboarded / NO_TAGS, every snapshot is still published. No event follows; the sweep must act.
        QuarkusTransaction.requiringNew().run(() -> {
            RegisteredSubscription gone = registry.lock(offboarded);
            gone.active = false;
            registry.lock(narrowed).policy = SyncPolicy.NO_TAGS.name();
        });

        await().atMost(READ_TIMEOUT).untilAsserted(() -> {
            assertThat(tombstones(CanopyTopic.RESOURCES, offboarded)).containsAll(resourcesOfOffboarded);
            assertThat(tombstones(CanopyTopic.TAGS, narrowed)).containsAll(tagsOfNarrowed);
            assertThat(QuarkusTransaction.requiringNew().call(() -> states.count("subscriptionId", offboarded)))
                    .isZero();
            assertThat(QuarkusTransaction.requiringNew().call(() -> spendStates.count("subscriptionId", offboarded)))
                    .isZero();
        });
        // NO_TAGS keeps the resources: none of them tombstoned, and their rows kept without a tag fingerprint.
        assertThat(tombstones(CanopyTopic.RESOURCES, narrowed)).doesNotContainAnyElementsOf(resourcesOfNarrowed);
        assertThat(QuarkusTransaction.requiringNew().call(() -> states.count("subscriptionId", narrowed)))
                .isEqualTo(resourcesOfNarrowed.size() + 1L); // + the subscription's own tag row
        assertThat(QuarkusTransaction.requiringNew()
                .call(() -> states.count("subscriptionId = ?1 and tagFp is not null", narrowed))).isZero();
    }

    private double chunks() {
        Counter counter = metrics.find("canopy.collector.tombstone.chunks").counter();
        return counter == null ? 0 : counter.count();
    }
}

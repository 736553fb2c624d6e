package dev.canopy.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.canopy.events.TenantOffboarded;
import dev.canopy.events.policy.SyncPolicy;
import dev.canopy.events.topic.CanopyTopic;
import dev.canopy.testsupport.azure.AzureEmulatorResource;
import dev.canopy.testsupport.db.PostgresDatabaseResource;
import dev.canopy.testsupport.kafka.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * With the sweep off, the tombstones a narrower policy or an offboarding owes still go out at once: from the event's
 * own handling, not from a later sweep.
 */
@QuarkusTest
@TestProfile(TombstonesAtOnceTest.SweepOff.class)
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PostgresDatabaseResource.class)
@WithTestResource(AzureEmulatorResource.class)
class TombstonesAtOnceTest extends CollectorTestBase {

    /** The app without the sweep: only the events' handling can send the tombstones. */
    public static class SweepOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("canopy.collector.tombstone-sweep", "off");
        }
    }

    private static final Duration AT_ONCE = Duration.ofSeconds(15);

    @Test
    void noTagsNoResourcesAndAnOffboardingAreTombstonedWithoutTheSweep() {
        onboard(generate(3, 2, 8), SyncPolicy.READ_WRITE_TAGS);
        String noTags = subscriptionIds.get(0);
        String noResources = subscriptionIds.get(1);
        String offboarded = subscriptionIds.get(2);
        subscriptionIds.forEach(sub -> awaitRun(sub, 1));
        Set<String> tagsOfNoTags = tagKeys(noTags);
        Set<String> resourcesOfNoResources = worldKeys(noResources);
        Set<String> resourcesOfOffboarded = worldKeys(offboarded);

        setPolicy(noTags, SyncPolicy.NO_TAGS, SyncPolicy.READ_WRITE_TAGS);
        setPolicy(noResources, SyncPolicy.NO_RESOURCES, SyncPolicy.READ_WRITE_TAGS);
        kafka.publish(new TenantOffboarded(UUID.randomUUID(), Instant.now(), tenantId, List.of(offboarded), "admin"));

        await().atMost(AT_ONCE).untilAsserted(() -> {
            assertThat(tombstones(CanopyTopic.TAGS, noTags)).containsAll(tagsOfNoTags);
            assertThat(tombstones(CanopyTopic.RESOURCES, noResources)).containsAll(resourcesOfNoResources);
            assertThat(tombstones(CanopyTopic.RESOURCES, offboarded)).containsAll(resourcesOfOffboarded);
            assertThat(kafka.readAll(CanopyTopic.SPEND.topicName(), READ_TIMEOUT))
                    .anyMatch(r -> r.isTombstone() && r.key().startsWith(offboarded + "/"));
        });
        assertThat(tombstones(CanopyTopic.RESOURCES, noTags)).as("NO_TAGS keeps the resources").isEmpty();
    }
}

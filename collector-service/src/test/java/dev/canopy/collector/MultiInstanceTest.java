package dev.canopy.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import dev.canopy.collector.messaging.RegistryPartitions;
import dev.canopy.emulator.world.Subscription;
import dev.canopy.emulator.world.SyntheticWorld;
import dev.canopy.emulator.world.WorldSpec;
import dev.canopy.events.CollectionRunProgress;
import dev.canopy.events.TenantOffboarded;
import dev.canopy.events.policy.SyncPolicy;
import dev.canopy.events.topic.CanopyTopic;
import dev.canopy.testsupport.azure.AzureEmulatorResource;
import dev.canopy.testsupport.db.PostgresDatabaseResource;
import dev.canopy.testsupport.kafka.KafkaBrokerResource;
import dev.canopy.testsupport.kafka.TestKafka;
import dev.canopy.testsupport.world.Onboarding;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Work split by partition ownership: a second member of the collector's registry consumer group takes some
 * canopy.tenants partitions; the app then collects only the tenants on its own partitions, each once, and takes the
 * others over when the second member leaves. (The second member stands in for another instance: it owns partitions
 * but does not collect, which is exactly what makes the split visible.)
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PostgresDatabaseResource.class)
@WithTestResource(AzureEmulatorResource.class)
class MultiInstanceTest extends CollectorTestBase {

    @Inject
    RegistryPartitions partitions;

    @Test
    void eachSubscriptionIsCollectedOncePerCycleByTheInstanceOwningItsTenantsPartition() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        WorldSpec spec = SyntheticWorld.generate(new SyntheticWorld.Parameters(4242, 6, 1, 1, 3, today.getDayOfMonth(),
                today.withDayOfMonth(1), "EUR", true));
        azure.loadWorld(spec);

        try (KafkaConsumer<String, byte[]> other = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "collector-service-registry",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            other.subscribe(List.of(CanopyTopic.TENANTS.topicName()));
            Set<Integer> othersPartitions = new HashSet<>();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                other.poll(Duration.ofMillis(100));
                othersPartitions.clear();
                other.assignment().stream().map(TopicPartition::partition).forEach(othersPartitions::add);
                return !othersPartitions.isEmpty() && othersPartitions.stream().noneMatch(partitions.owned()::contains)
                        && partitions.owned().size() + othersPartitions.size() == CanopyTopic.TENANTS.partitions();
            });

            List<String> mine = new ArrayList<>();
            List<String> theirs = new ArrayList<>();
            List<String> tenants = new ArrayList<>();
            for (Subscription sub : spec.subscriptions()) {
                int partition = Onboarding.onboardTenant(kafka, spec, sub.tenantId(), List.of(SyncPolicy.READ_WRITE_TAGS));
                tenants.add(sub.tenantId());
                (othersPartitions.contains(partition) ? theirs : mine).add(sub.subscriptionId());
            }
            assertThat(mine).as("subscriptions on the app's partitions").isNotEmpty();
            assertThat(theirs).as("subscriptions on the other member's partitions").isNotEmpty();

            mine.forEach(sub -> assertThat(awaitRun(sub, 1).phase()).isEqualTo(CollectionRunProgress.Phase.FINISHED));
            // The app never touches what another member owns, for as long as it owns it.
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> theirs.stream()
                    .allMatch(sub -> runsOf(sub) == 0));

            other.close(); // the other instance goes away: its partitions move to the app
            theirs.forEach(sub -> assertThat(awaitRun(sub, 1).phase()).isEqualTo(CollectionRunProgress.Phase.FINISHED));
            // Once per cycle: nobody ran any subscription twice.
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> spec.subscriptions().stream()
                    .allMatch(sub -> runsOf(sub.subscriptionId()) == 1));
            for (int i = 0; i < tenants.size(); i++) {
                kafka.publish(new TenantOffboarded(UUID.randomUUID(), Instant.now(), tenants.get(i),
                        List.of(spec.subscriptions().get(i).subscriptionId()), "test"));
            }
        }
    }

    private long runsOf(String subscriptionId) {
        return kafka.readAll(CanopyTopic.COLLECTION_RUNS.topicName(), READ_TIMEOUT).stream()
                .filter(r -> subscriptionId.equals(r.key()))
                .filter(r -> r.event(CollectionRunProgress.class).phase() == CollectionRunProgress.Phase.STARTED)
                .count();
    }
}

package dev.canopy.cost;

import static dev.canopy.cost.SpendWorld.FIRST_DAY;
import static dev.canopy.cost.SpendWorld.LAST_DAY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import dev.canopy.events.CanopyEvent;
import dev.canopy.events.ResourceDeleted;
import dev.canopy.events.ResourceSnapshot;
import dev.canopy.events.SpendSnapshot;
import dev.canopy.events.SpendSnapshot.CostType;
import dev.canopy.events.TagSnapshot;
import dev.canopy.events.json.EventJson;
import dev.canopy.events.topic.CanopyTopic;
import dev.canopy.events.topic.CloudEventHeaders;
import dev.canopy.testsupport.azure.AzureEmulatorResource;
import dev.canopy.testsupport.db.PostgresDatabaseResource;
import dev.canopy.testsupport.kafka.EventTopicClient;
import dev.canopy.testsupport.kafka.KafkaBrokerResource;
import dev.canopy.testsupport.kafka.ReceivedRecord;
import dev.canopy.testsupport.kafka.TestKafka;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The three consumers on the real broker and database: restated days replace, redeliveries and tombstones, poison
 * records to the dead-letter topics, and a database outage sat out. Each test has a tenant of its own.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PostgresDatabaseResource.class)
@WithTestResource(AzureEmulatorResource.class)
class SpendIngestTest extends CostTestBase {

    private static final String SPEND_GROUP = "cost-service-spend";

    @Test
    void aRestatedDayReplacesTheEarlierOneWhole() {
        SpendWorld world = publishedWorld(11);
        LocalDate day = FIRST_DAY.plusDays(2);
        Map<String, BigDecimal> first = dayTotals(world, day);
        assertThat(first).isEqualTo(expectedDay(world, day));

        // Restated with three times the lines: the day is the new snapshot, not the old one plus the new one.
        SpendSnapshot bigger = world.put(world.snapshot(world.subscription1, day, CostType.ACTUAL, 3));
        publishAndAwait(bigger);
        Map<String, BigDecimal> risen = dayTotals(world, day);
        assertThat(risen).isEqualTo(expectedDay(world, day));
        assertThat(risen.get("EUR")).isGreaterThan(first.get("EUR"));

        // Restated as a day without spend: subscription 1's part (all of the EUR) is gone, subscription 2's stays.
        publishAndAwait(world.put(world.emptyDay(world.subscription1, day, CostType.ACTUAL)));
        assertThat(dayTotals(world, day)).isEqualTo(expectedDay(world, day)).containsOnlyKeys("USD");

        // The bigger snapshot delivered once more (same event id, as after a producer retry): recognised, ignored.
        RecordMetadata again = kafka.publish(bigger);
        awaitConsumedPast(SPEND_GROUP, again);
        assertThat(dayTotals(world, day)).isEqualTo(expectedDay(world, day));
        // Neither the other days nor the amortized view of the same day moved.
        assertThat(groupsOf(spend(world.tenantId, Map.of("from", FIRST_DAY, "to", LAST_DAY, "groupBy", "day")),
                "groups")).isEqualTo(SpendWorld.sum(world.facts(CostType.ACTUAL, FIRST_DAY, LAST_DAY),
                        f -> world.groupOf("day", f)));
        assertThat(totals(world, day, day, "AMORTIZED"))
                .isEqualTo(SpendWorld.sum(world.facts(CostType.AMORTIZED, day, day), f -> "all").get("all"));
    }

    @Test
    void aDeletedResourceLeavesTheInventoryButItsSpendStays() {
        SpendWorld world = publishedWorld(12);
        SpendWorld.Resource vm2 = world.resource("VM-2");
        String key = vm2.spendId();

        // As the collector does when a resource vanished: ResourceDeleted, then tombstones on both topics.
        publishAndAwait(new ResourceDeleted(UUID.randomUUID(), Instant.now(), world.tenantId, vm2.subscriptionId(),
                key, vm2.displayId(), ResourceDeleted.Reason.VANISHED, UUID.randomUUID()));
        awaitConsumedPast("cost-service-resources", tombstone(CanopyTopic.RESOURCES, key));
        awaitConsumedPast("cost-service-tags", tombstone(CanopyTopic.TAGS, key));
        world.change(vm2, null, null, false);

        // Its spend is where it was, only without a location and without its own CostCenter (5678): it falls back to
        // RG-App's 1234.
        for (String groupBy : List.of("location", "resource", "subscription")) {
            assertThat(groupsOf(spend(world.tenantId, Map.of("from", FIRST_DAY, "to", LAST_DAY, "groupBy", groupBy)),
                    "groups")).as(groupBy).isEqualTo(SpendWorld.sum(world.facts(CostType.ACTUAL, FIRST_DAY, LAST_DAY),
                            f -> world.groupOf(groupBy, f)));
        }
        JsonPath byTag = spend(world.tenantId, Map.of("from", FIRST_DAY, "to", LAST_DAY, "groupBy", "tag:CostCenter"));
        assertThat(groupsOf(byTag, "groups")).isEqualTo(world.tagSums("CostCenter", CostType.ACTUAL, FIRST_DAY,
                LAST_DAY)).doesNotContainKey("5678|resource");
        JsonPath byResource = spend(world.tenantId, Map.of("from", FIRST_DAY, "to", LAST_DAY, "groupBy", "resource"));
        assertThat(byResource.getString("groups.find { it.key == '" + key + "' }.label")).isEqualTo(key);
    }

    @Test
    void aSpendTombstoneRemovesItsKeysFacts() {
        SpendWorld world = publishedWorld(13);
        String key = world.subscription2 + "/" + LAST_DAY + "/ACTUAL";

        // Sent at offboarding: the compacted topic drops the key, and so does the database.
        awaitConsumedPast(SPEND_GROUP, tombstone(CanopyTopic.SPEND, key));
        world.latestSpend.remove(key);

        assertThat(dayTotals(world, LAST_DAY)).isEqualTo(expectedDay(world, LAST_DAY));
        assertThat(spend(world.tenantId, Map.of("from", LAST_DAY, "to", LAST_DAY, "groupBy", "subscription"))
                .getList("groups.key")).containsExactly(world.subscription1);
        assertThat(totals(world, LAST_DAY, LAST_DAY, "AMORTIZED")).containsOnlyKeys("EUR", "USD");
    }

    @Test
    void poisonRecordsGoToTheDeadLetterTopicsAndTheConsumersGoOn() {
        SpendWorld world = publishedWorld(14);
        SpendWorld.Resource vm1 = world.resource("VM-1");
        String spendKey = world.subscription1 + "/" + FIRST_DAY + "/ACTUAL";
        SpendSnapshot otherDay = world.snapshot(world.subscription1, FIRST_DAY.plusDays(1), CostType.ACTUAL, 1);
        TagSnapshot tags = world.tagSnapshot(vm1.displayId(), vm1.subscriptionId(), Map.of("CostCenter", "1"),
                Instant.now());

        kafka.publishRaw(CanopyTopic.SPEND.topicName(), spendKey, "{not json".getBytes(StandardCharsets.UTF_8),
                Map.of(CloudEventHeaders.TYPE, "canopy.spend.snapshot"));
        kafka.publishRaw(CanopyTopic.SPEND.topicName(), spendKey, EventJson.write(otherDay), headers(otherDay));
        kafka.publishRaw(CanopyTopic.RESOURCES.topicName(), vm1.spendId(), EventJson.write(tags), headers(tags));
        kafka.publishRaw(CanopyTopic.TAGS.topicName(), vm1.spendId(), EventJson.write(tags), Map.of());

        awaitDeadLettered(CanopyTopic.SPEND, spendKey, "Cannot read canopy.spend.snapshot");
        awaitDeadLettered(CanopyTopic.SPEND, spendKey, "is not the event's key");
        awaitDeadLettered(CanopyTopic.RESOURCES, vm1.spendId(), "unexpected event type canopy.tag.snapshot");
        awaitDeadLettered(CanopyTopic.TAGS, vm1.spendId(), "missing header ce_type");

        // Behind them, on the same partitions (same keys), good records are applied.
        Instant later = Instant.now();
        SpendWorld.Resource moved = world.change(vm1, "francecentral", Map.of("CostCenter", "4321"), true);
        List<CanopyEvent> good = List.of(world.put(world.snapshot(world.subscription1, FIRST_DAY, CostType.ACTUAL, 2)),
                world.resourceSnapshot(moved, later),
                world.tagSnapshot(moved.displayId(), moved.subscriptionId(), moved.tags(), later));
        publishAndAwait(good);
        assertThat(dayTotals(world, FIRST_DAY)).isEqualTo(expectedDay(world, FIRST_DAY));
        assertThat(groupsOf(spend(world.tenantId, Map.of("from", FIRST_DAY, "to", LAST_DAY, "groupBy", "location")),
                "groups")).containsKey("francecentral").isEqualTo(SpendWorld.sum(
                        world.facts(CostType.ACTUAL, FIRST_DAY, LAST_DAY), f -> world.groupOf("location", f)));
        assertThat(groupsOf(spend(world.tenantId, Map.of("from", FIRST_DAY, "to", LAST_DAY,
                "groupBy", "tag:costcenter")), "groups")).containsKey("4321|resource");
    }

    @Test
    void aDatabaseOutageIsSatOutNotDeadLettered() throws SQLException {
        SpendWorld world = new SpendWorld(15);
        SpendSnapshot snapshot = world.snapshot(world.subscription1, FIRST_DAY, CostType.ACTUAL, 1);
        world.latestSpend.clear();
        world.put(snapshot);
        // Every write of this tenant's spend fails as a server that cannot accept connections (57P03).
        try (SimulatedOutage outage = simulateOutage("spend_day", "NEW.tenant_id = '" + world.tenantId + "'")) {
            kafka.publish(snapshot);
            await().atMost(WAIT).until(() -> outage.attempts() >= 3);
            assertThat(processedCount(List.of(snapshot.eventId()))).isZero();
        }

        awaitProcessed(List.of(snapshot.eventId()));
        assertThat(dayTotals(world, FIRST_DAY)).isEqualTo(expectedDay(world, FIRST_DAY));
        assertThat(kafka.readAll(CanopyTopic.SPEND.dlqName(), WAIT))
                .noneMatch(r -> snapshot.kafkaKey().equals(r.key()));
    }

    private Map<String, BigDecimal> dayTotals(SpendWorld world, LocalDate day) {
        return totals(world, day, day, "ACTUAL");
    }

    private Map<String, BigDecimal> totals(SpendWorld world, LocalDate from, LocalDate to, String costType) {
        return amounts(spend(world.tenantId, Map.of("from", from, "to", to, "costType", costType, "groupBy", "day"))
                .get("totals"));
    }

    private static Map<String, BigDecimal> expectedDay(SpendWorld world, LocalDate day) {
        return SpendWorld.sum(world.facts(CostType.ACTUAL, day, day), f -> "all").getOrDefault("all", Map.of());
    }

    private RecordMetadata tombstone(CanopyTopic topic, String key) {
        return kafka.publishRaw(topic.topicName(), key, null, Map.of("canopy-deletion-reason", "VANISHED"));
    }

    private static Map<String, String> headers(CanopyEvent event) {
        return CloudEventHeaders.binaryHeaders(event, EventTopicClient.TEST_SOURCE);
    }

    private ReceivedRecord awaitDeadLettered(CanopyTopic topic, String key, String reason) {
        ReceivedRecord dead = kafka.awaitRecord(topic.dlqName(), r -> key.equals(r.key())
                && r.headers().getOrDefault(CloudEventHeaders.DLQ_REASON, "").contains(reason), WAIT);
        assertThat(dead.headers()).containsEntry(CloudEventHeaders.DLQ_TOPIC, topic.topicName());
        return dead;
    }

    /** Waits until the consumer group has committed past the record: it has been dealt with, applied or not. */
    private static void awaitConsumedPast(String group, RecordMetadata record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()))) {
            await().atMost(WAIT).until(() -> {
                OffsetAndMetadata committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                        .get(10, TimeUnit.SECONDS).get(partition);
                return committed != null && committed.offset() > record.offset();
            });
        }
    }
}

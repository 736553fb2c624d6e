package dev.canopy.cost;

import static dev.canopy.cost.SpendWorld.FIRST_DAY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.canopy.events.CurrencyAmount;
import dev.canopy.events.SpendDailyTotal;
import dev.canopy.events.SpendLine;
import dev.canopy.events.SpendSnapshot;
import dev.canopy.events.SpendSnapshot.CostType;
import dev.canopy.events.json.EventJson;
import dev.canopy.events.topic.CanopyTopic;
import dev.canopy.events.topic.CloudEventHeaders;
import dev.canopy.testsupport.azure.AzureEmulatorResource;
import dev.canopy.testsupport.db.PostgresDatabaseResource;
import dev.canopy.testsupport.kafka.KafkaBrokerResource;
import dev.canopy.testsupport.kafka.ReceivedRecord;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * canopy.spend-daily on the real broker: every stored spend day published with totals per currency that this test
 * adds up itself from the spend it sent; restated days published again, unchanged ones not; a spend tombstone turned
 * into a feed tombstone; and the day and its feed record committed together or not at all.
 *
 * <p>Each test draws a world from a fresh seed, so its keys are its own even on a broker kept between runs.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PostgresDatabaseResource.class)
@WithTestResource(AzureEmulatorResource.class)
class SpendDailyFeedTest extends CostTestBase {

    private static final String FEED = CanopyTopic.SPEND_DAILY.topicName();
    private static final Random SEEDS = new Random();

    @Test
    void everyStoredDayIsPublishedWithItsTotalsPerCurrency() {
        SpendWorld world = new SpendWorld(SEEDS.nextLong());
        publishAndAwait(world.latestSpend.values());

        Map<String, List<ReceivedRecord>> byKey = feedRecords(world.latestSpend.keySet(), world.latestSpend.size());
        assertThat(byKey).containsOnlyKeys(world.latestSpend.keySet());
        world.latestSpend.forEach((key, day) -> {
            assertThat(byKey.get(key)).as(key).hasSize(1);
            assertPublishedAs(byKey.get(key).get(0), day);
        });
    }

    @Test
    void aRestatedDayIsPublishedAgainAndAnUnchangedOneIsNot() {
        SpendWorld world = new SpendWorld(SEEDS.nextLong());
        LocalDate day = FIRST_DAY.plusDays(1);
        SpendSnapshot first = world.snapshot(world.subscription1, day, CostType.AMORTIZED, 1);
        // The same lines again under a new event id, as a collector re-run of an unchanged day would send them.
        SpendSnapshot unchanged = new SpendSnapshot(UUID.randomUUID(), Instant.now(), world.tenantId,
                world.subscription1, day, CostType.AMORTIZED, first.source(), first.lines(), UUID.randomUUID());
        SpendSnapshot restated = world.snapshot(world.subscription1, day, CostType.AMORTIZED, 3);
        SpendSnapshot emptied = world.emptyDay(world.subscription1, day, CostType.AMORTIZED);

        for (SpendSnapshot snapshot : List.of(first, unchanged, restated, emptied)) {
            publishAndAwait(snapshot);
        }

        // One key, so one partition: had the unchanged day been published, it would stand second.
        List<ReceivedRecord> records = feedRecords(List.of(first.kafkaKey()), 3).get(first.kafkaKey());
        assertThat(records).hasSize(3);
        assertPublishedAs(records.get(0), first);
        assertPublishedAs(records.get(1), restated);
        // A day without spend is a fact too: empty totals, not a tombstone.
        assertPublishedAs(records.get(2), emptied);
        assertThat(records.get(2).event(SpendDailyTotal.class).totals()).isEmpty();
    }

    @Test
    void aSpendTombstoneBecomesAFeedTombstone() {
        SpendWorld world = new SpendWorld(SEEDS.nextLong());
        SpendSnapshot day = world.snapshot(world.subscription2, FIRST_DAY, CostType.ACTUAL, 1);
        SpendSnapshot neverStored = world.snapshot(world.subscription2, FIRST_DAY.plusDays(1), CostType.ACTUAL, 1);
        publishAndAwait(day);
        feedRecords(List.of(day.kafkaKey()), 1);

        // Offboarding: the collector tombstones the spend key; a key cost-service never held gets one too.
        kafka.publishRaw(CanopyTopic.SPEND.topicName(), neverStored.kafkaKey(), null, Map.of());
        kafka.publishRaw(CanopyTopic.SPEND.topicName(), day.kafkaKey(), null, Map.of());

        List<ReceivedRecord> records = kafka.awaitRecords(FEED,
                r -> day.kafkaKey().equals(r.key()) && r.isTombstone(), 1, WAIT);
        assertThat(records.get(0).headers()).containsExactly(Map.entry(CloudEventHeaders.SUBJECT, day.kafkaKey()));
        // Nothing to take back for the key never published: after it is stored, its first feed record is its totals.
        publishAndAwait(neverStored);
        List<ReceivedRecord> other = feedRecords(List.of(neverStored.kafkaKey()), 1).get(neverStored.kafkaKey());
        assertThat(other).hasSize(1);
        assertPublishedAs(other.get(0), neverStored);
        await().atMost(WAIT)
                .until(() -> queryLong("SELECT count(*) FROM outbox_event WHERE published_at IS NULL") == 0);
    }

    @Test
    void theDayAndItsFeedRecordCommitTogether() throws SQLException {
        SpendWorld world = new SpendWorld(SEEDS.nextLong());
        SpendSnapshot day = world.snapshot(world.subscription1, FIRST_DAY, CostType.ACTUAL, 1);
        String key = day.kafkaKey();
        // The outbox row is the last write of the transaction (Hibernate flushes it at commit): failing it there,
        // as an unreachable database would, must take the day, its facts and the feed's record down with it.
        try (SimulatedOutage outage = simulateOutage("outbox_event", "NEW.kafka_key = '" + key + "'")) {
            kafka.publish(day);
            await().atMost(WAIT).until(() -> outage.attempts() >= 3);
            for (String table : List.of("spend_day", "spend_fact", "spend_daily_feed")) {
                assertThat(queryLong("SELECT count(*) FROM " + table + " WHERE tenant_id = '" + world.tenantId
                        + "'")).as(table).isZero();
            }
        }

        // The retry after the outage stores the day and publishes it once.
        awaitProcessed(List.of(day.eventId()));
        assertThat(queryLong("SELECT count(*) FROM outbox_event WHERE kafka_key = '" + key + "'")).isOne();
        List<ReceivedRecord> records = feedRecords(List.of(key), 1).get(key);
        assertThat(records).hasSize(1);
        assertPublishedAs(records.get(0), day);
    }

    /** The feed's records of the keys, in topic order per key, once there are at least {@code count} in all. */
    private Map<String, List<ReceivedRecord>> feedRecords(Collection<String> keys, int count) {
        return kafka.awaitRecords(FEED, r -> keys.contains(r.key()), count, WAIT).stream()
                .collect(Collectors.groupingBy(ReceivedRecord::key));
    }

    /** The record is the day's SpendDailyTotal, its totals per currency added up here from the lines sent. */
    private static void assertPublishedAs(ReceivedRecord record, SpendSnapshot day) {
        assertThat(record.key()).isEqualTo(day.kafkaKey());
        assertThat(record.headers()).containsEntry(CloudEventHeaders.TYPE, "canopy.spend-daily.total")
                .containsEntry(CloudEventHeaders.SOURCE, "/canopy/cost-service")
                .containsEntry(CloudEventHeaders.SUBJECT, day.kafkaKey());
        SpendDailyTotal total = record.event(SpendDailyTotal.class);
        assertThat(record.headers()).containsEntry(CloudEventHeaders.ID, total.eventId().toString());
        assertThat(total.tenantId()).isEqualTo(day.tenantId());
        assertThat(total.subscriptionId()).isEqualTo(day.subscriptionId());
        assertThat(total.usageDate()).isEqualTo(day.usageDate());
        assertThat(total.costType()).isEqualTo(day.costType());
        assertThat(total.source()).isEqualTo(day.source());
        assertThat(total.lineCount()).isEqualTo(day.lines().size());
        assertThat(byCurrency(total.totals(), CurrencyAmount::currency, CurrencyAmount::amount))
                .isEqualTo(byCurrency(day.lines(), SpendLine::currency, SpendLine::amount));
        // Exact decimals travel as JSON strings, never as numbers a consumer would read as doubles.
        JsonNode json = readTree(record.value());
        json.get("totals").forEach(t -> assertThat(t.get("amount").isTextual()).as(t.toString()).isTrue());
    }

    // Sums per currency, compared by value (1.50 = 1.5).
    private static <T> Map<String, BigDecimal> byCurrency(List<T> items, Function<T, String> currency,
            Function<T, BigDecimal> amount) {
        Map<String, BigDecimal> sums = new HashMap<>();
        items.forEach(item -> sums.merge(currency.apply(item), amount.apply(item), BigDecimal::add));
        sums.replaceAll((code, sum) -> sum.stripTrailingZeros());
        return sums;
    }

    private static JsonNode readTree(byte[] json) {
        try {
            return EventJson.mapper().readTree(json);
        } catch (IOException e) {
            throw new AssertionError("the feed record is not JSON", e);
        }
    }
}

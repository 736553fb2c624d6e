package dev.canopy.collector;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.canopy.emulator.world.CostEntry;
import dev.canopy.events.CollectionRunProgress;
import dev.canopy.events.SpendSnapshot;
import dev.canopy.events.policy.SyncPolicy;
import dev.canopy.events.topic.CanopyTopic;
import dev.canopy.testsupport.kafka.ReceivedRecord;
import dev.canopy.testsupport.azure.AzureEmulatorResource;
import dev.canopy.testsupport.db.PostgresDatabaseResource;
import dev.canopy.testsupport.kafka.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Spend: daily snapshots of both cost types; a restated day replaces the earlier one for a topic reader. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PostgresDatabaseResource.class)
@WithTestResource(AzureEmulatorResource.class)
class SpendTest extends CollectorTestBase {

    @Test
    void bothCostTypesPerDayAndARestatedDayReplacesTheEarlierSnapshot() {
        onboard(generate(1, 2, 6), SyncPolicy.READ_WRITE_TAGS);
        String sub = subscriptionIds.get(0);
        CollectionRunProgress first = awaitRun(sub, 1);
        List<SpendSnapshot> spend = spendSnapshots(first.runId());
        LocalDate today = LocalDate.now(java.time.ZoneOffset.UTC);
        assertThat(spend).hasSize(2 * today.getDayOfMonth());
        LocalDate day = today.withDayOfMonth(1);
        for (SpendSnapshot.CostType type : SpendSnapshot.CostType.values()) {
            String azureType = type == SpendSnapshot.CostType.ACTUAL ? "ActualCost" : "AmortizedCost";
            BigDecimal expected = world.costs().stream().filter(c -> c.date().equals(day) && c.costType().equals(azureType))
                    .map(CostEntry::cost).reduce(BigDecimal.ZERO, BigDecimal::add);
            SpendSnapshot snapshot = spend.stream().filter(s -> s.usageDate().equals(day) && s.costType() == type)
                    .findFirst().orElseThrow();
            assertThat(total(snapshot)).isCloseTo(expected, org.assertj.core.data.Offset.offset(new BigDecimal("0.0001")));
            assertThat(snapshot.lines()).allMatch(l -> l.currency().equals("EUR"));
        }

        // Microsoft restates the 1st: one resource's actual cost doubles.
        List<CostEntry> costs = new ArrayList<>(world.costs());
        int index = costs.indexOf(costs.stream().filter(c -> c.date().equals(day) && c.costType().equals("ActualCost"))
                .findFirst().orElseThrow());
        CostEntry old = costs.get(index);
        costs.set(index, new CostEntry(old.date(), old.subscriptionId(), old.resourceGroup(), old.resourceId(),
                old.resourceType(), old.location(), old.serviceName(), old.meterCategory(), old.chargeType(),
                old.pricingModel(), old.costType(), old.cost().multiply(BigDecimal.valueOf(2)), old.currency(), old.tags()));
        changeWorld(w -> withCosts(w, costs));
        BigDecimal restated = costs.stream().filter(c -> c.date().equals(day) && c.costType().equals("ActualCost"))
                .map(CostEntry::cost).reduce(BigDecimal.ZERO, BigDecimal::add);

        requestRun(sub);
        CollectionRunProgress second = awaitRun(sub, 2);
        assertThat(spendSnapshots(second.runId())).singleElement().satisfies(s -> {
            assertThat(s.usageDate()).isEqualTo(day);
            assertThat(s.costType()).isEqualTo(SpendSnapshot.CostType.ACTUAL);
        });
        // A consumer reading the compacted topic keeps the last value per key: that is the restated day.
        String key = sub + "/" + day + "/ACTUAL";
        Map<String, ReceivedRecord> latest = kafka.readAll(CanopyTopic.SPEND.topicName(), READ_TIMEOUT).stream()
                .collect(Collectors.toMap(ReceivedRecord::key, r -> r, (a, b) -> b));
        assertThat(total(latest.get(key).event(SpendSnapshot.class)))
                .isCloseTo(restated, org.assertj.core.data.Offset.offset(new BigDecimal("0.0001")));
    }
}

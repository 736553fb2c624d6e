package dev.canopy.cost;

import static dev.canopy.cost.SpendWorld.FIRST_DAY;
import static dev.canopy.cost.SpendWorld.LAST_DAY;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.canopy.cost.SpendWorld.Fact;
import dev.canopy.events.SpendSnapshot.CostType;
import dev.canopy.testsupport.azure.AzureEmulatorResource;
import dev.canopy.testsupport.db.PostgresDatabaseResource;
import dev.canopy.testsupport.kafka.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * {@code GET /spend} and {@code GET /spend/unallocated} over a synthetic tenant published to the real broker: every
 * group-by, both cost types, checked to the last digit against totals this test adds up itself from the events.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PostgresDatabaseResource.class)
@WithTestResource(AzureEmulatorResource.class)
class SpendGroupByTest extends CostTestBase {

    private static SpendWorld world;

    @BeforeEach
    void publishTheWorldOnce() {
        synchronized (SpendGroupByTest.class) {
            if (world == null) {
                world = publishedWorld(7);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"subscription", "resourceGroup", "service", "resource", "location", "day"})
    void eachGroupByAddsUpExactly(String groupBy) {
        for (CostType costType : CostType.values()) {
            JsonPath answer = spend(world.tenantId, Map.of("from", FIRST_DAY, "to", LAST_DAY,
                    "costType", costType, "groupBy", groupBy));

            assertThat(answer.getString("costType")).isEqualTo(costType.name());
            assertThat(answer.getString("groupBy")).isEqualTo(groupBy);
            assertThat(groupsOf(answer, "groups")).as(groupBy + " " + costType)
                    .isEqualTo(SpendWorld.sum(world.facts(costType, FIRST_DAY, LAST_DAY), f -> world.groupOf(groupBy, f)));
            assertThat(amounts(answer.get("totals"))).isEqualTo(total(costType, f -> true));
        }
    }

    @Test
    void onlyTheDaysAskedForCount() {
        JsonPath answer = spend(world.tenantId, Map.of("from", FIRST_DAY.plusDays(1), "to", FIRST_DAY.plusDays(2),
                "groupBy", "day"));

        assertThat(groupsOf(answer, "groups")).isEqualTo(SpendWorld.sum(
                world.facts(CostType.ACTUAL, FIRST_DAY.plusDays(1), FIRST_DAY.plusDays(2)), f -> world.groupOf("day", f)));
        assertThat(answer.getList("groups.key")).containsExactly(FIRST_DAY.plusDays(1).toString(),
                FIRST_DAY.plusDays(2).toString());
    }

    @Test
    void actualIsTheDefaultAndNeverMixedWithAmortized() {
        JsonPath answer = spend(world.tenantId, Map.of("from", FIRST_DAY, "to", LAST_DAY, "groupBy", "subscription"));

        assertThat(answer.getString("costType")).isEqualTo("ACTUAL");
        assertThat(amounts(answer.get("totals"))).isEqualTo(total(CostType.ACTUAL, f -> true))
                .isNotEqualTo(total(CostType.AMORTIZED, f -> true));
    }

    @Test
    void currenciesAreKeptApart() {
        JsonPath answer = spend(world.tenantId, Map.of("from", FIRST_DAY, "to", LAST_DAY, "groupBy", "resource"));
        String vm1 = world.resource("VM-1").spendId();

        // VM-1 is billed in EUR and in USD: two totals, each the exact sum of its own currency's lines.
        Map<String, BigDecimal> vm1Totals = groupsOf(answer, "groups").get(vm1);
        assertThat(vm1Totals).containsOnlyKeys("EUR", "USD");
        assertThat(vm1Totals.get("USD")).isEqualTo(sum(CostType.ACTUAL, f -> vm1.equals(resourceOf(f)), "USD"));
        assertThat(amounts(answer.get("totals"))).containsOnlyKeys("EUR", "USD");
        // Every amount is a JSON string in plain notation: no float ever saw it.
        assertThat(answer.getList("totals.amount")).allSatisfy(a -> assertThat((String) a).matches("\\d+\\.\\d+"));
    }

    @Test
    void resourceIdsInAnotherCasingJoinTheInventory() {
        JsonPath answer = spend(world.tenantId, Map.of("from", FIRST_DAY, "to", LAST_DAY, "groupBy", "resource"));
        SpendWorld.Resource vm1 = world.resource("VM-1");
        SpendWorld.Resource ghost = world.resource("Ghost");

        // Spend says ".../virtualmachines/vm-1", the inventory ".../virtualMachines/VM-1": one resource, shown as Azure
        // spells it. A resource the inventory does not hold keeps the spelling of the spend.
        assertThat(labelOf(answer, vm1.spendId())).isEqualTo(vm1.displayId());
        assertThat(labelOf(answer, ghost.spendId())).isEqualTo(ghost.spendId());
        // The cost source says RG-APP and rg-app, the inventory RG-App: one group, shown as Azure spells it.
        JsonPath byGroup = spend(world.tenantId, Map.of("from", FIRST_DAY, "to", LAST_DAY, "groupBy", "resourceGroup"));
        assertThat(labelOf(byGroup, "/subscriptions/" + world.subscription1 + "/resourcegroups/rg-app"))
                .isEqualTo("RG-App");
        JsonPath byLocation = spend(world.tenantId, Map.of("from", FIRST_DAY, "to", LAST_DAY, "groupBy", "location"));
        assertThat(byLocation.getList("groups.key")).containsExactly("eastus", "northeurope", "westeurope", null);
    }

    @Test
    void tagKeySpellingsAreOneKeyAndAResourceWithoutItFallsBackToItsGroup() {
        for (String asked : List.of("CostCenter", "costcenter", "COSTCENTER")) {
            JsonPath answer = spend(world.tenantId, Map.of("from", FIRST_DAY, "to", LAST_DAY,
                    "groupBy", "tag:" + asked));

            assertThat(answer.getString("groupBy")).isEqualTo("tag:" + asked);
            assertThat(answer.getString("tagKey")).isEqualTo(asked);
            assertThat(answer.getList("tagKeySpellings", String.class))
                    .containsExactly("COSTCENTER", "CostCenter", "costcenter");
            assertThat(groupsOf(answer, "groups"))
                    .isEqualTo(world.tagSums(asked, CostType.ACTUAL, FIRST_DAY, LAST_DAY));
            Map<String, Set<String>> spellings = world.tagSpellings(asked, CostType.ACTUAL, FIRST_DAY, LAST_DAY);
            assertThat(spellingsOf(answer)).containsOnlyKeys(spellings.keySet().toArray(String[]::new));
            spellings.forEach((group, expected) ->
                    assertThat(spellingsOf(answer).get(group)).as(group).containsExactlyElementsOf(expected));
        }
    }

    @Test
    void theResourceGroupsTagIsUsedOnlyWhereTheResourceHasNone() {
        JsonPath answer = spend(world.tenantId, Map.of("from", FIRST_DAY, "to", LAST_DAY, "groupBy", "tag:CostCenter"));
        Map<String, Map<String, BigDecimal>> groups = groupsOf(answer, "groups");
        String stor1 = world.resource("stor1").spendId();
        String web2 = world.resource("Web-2").spendId();

        // stor1 has tags but not CostCenter: RG-App's CostCenter=1234 counts, and says so. Web-2 has no tags at all:
        // its group's COSTCENTER=9999.
        assertThat(groups.get("1234|resourceGroup"))
                .isEqualTo(Map.of("EUR", sum(CostType.ACTUAL, f -> stor1.equals(resourceOf(f)), "EUR")));
        assertThat(groups.get("9999|resourceGroup"))
                .isEqualTo(Map.of("USD", sum(CostType.ACTUAL, f -> web2.equals(resourceOf(f)), "USD")));
        // VM-1 (CostCenter) and Web-1 (COSTCENTER) hold 1234 themselves, in two currencies.
        assertThat(groups.get("1234|resource")).containsOnlyKeys("EUR", "USD");
    }

    @Test
    void unallocatedSpendIsWhatNeitherTheResourceNorItsGroupTags() {
        Map<String, Map<String, String>> tags = world.tagsById();
        for (CostType costType : CostType.values()) {
            JsonPath answer = unallocated(costType);

            Predicate<Fact> untagged = f -> world.tagOf("CostCenter", f, tags).startsWith("null|none");
            assertThat(groupsOf(answer, "resources")).isEqualTo(SpendWorld.sum(
                    world.facts(costType, FIRST_DAY, LAST_DAY).filter(untagged), this::resourceOf));
            assertThat(amounts(answer.get("totals"))).isEqualTo(total(costType, untagged));
            // SQL-1 (no tag snapshot, untagged group), Ghost (not in the inventory) and the charge without a resource.
            assertThat(answer.getList("resources.key")).containsExactly(world.resource("SQL-1").spendId(),
                    world.resource("Ghost").spendId(), null);
        }
    }

    private JsonPath unallocated(CostType costType) {
        return get("/spend/unallocated", viewerOf(world.tenantId), Map.of("tenant", world.tenantId,
                "tagKey", "costCENTER", "from", FIRST_DAY, "to", LAST_DAY,
                "costType", costType.name().toLowerCase(Locale.ROOT))).then().statusCode(200).extract().jsonPath();
    }

    private String resourceOf(Fact f) {
        return world.groupOf("resource", f);
    }

    private static String labelOf(JsonPath answer, String key) {
        return answer.getString("groups.find { it.key == '" + key + "' }.label");
    }

    private Map<String, BigDecimal> total(CostType costType, Predicate<Fact> which) {
        return SpendWorld.sum(world.facts(costType, FIRST_DAY, LAST_DAY).filter(which), f -> "all").get("all");
    }

    private BigDecimal sum(CostType costType, Predicate<Fact> which, String currency) {
        return total(costType, which.and(f -> f.line().currency().equals(currency))).get(currency);
    }
}

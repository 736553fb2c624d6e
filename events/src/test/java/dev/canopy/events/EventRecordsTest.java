package dev.canopy.events;

import dev.canopy.events.azure.TagOperation;
import dev.canopy.events.topic.EventType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.canopy.events.SampleEvents.AT;
import static dev.canopy.events.SampleEvents.DISPLAY_ID;
import static dev.canopy.events.SampleEvents.EDIT_ID;
import static dev.canopy.events.SampleEvents.OBSERVED_AT;
import static dev.canopy.events.SampleEvents.RESOURCE_KEY;
import static dev.canopy.events.SampleEvents.RUN_ID;
import static dev.canopy.events.SampleEvents.SUBSCRIPTION;
import static dev.canopy.events.SampleEvents.TENANT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventRecordsTest {

    private static final java.util.UUID ID = java.util.UUID.fromString("00000000-0000-4000-8000-000000000099");

    @ParameterizedTest
    @EnumSource(EventType.class)
    void eachSampleDeclaresItsOwnTypeAndClass(EventType type) {
        CanopyEvent sample = SampleEvents.of(type);

        assertThat(sample.type()).isEqualTo(type);
        assertThat(sample).isInstanceOf(type.eventClass());
        assertThat(EventType.of(sample.getClass())).isEqualTo(type);
    }

    @Test
    void kafkaKeysFollowTheDesign() {
        assertThat(SampleEvents.of(EventType.TENANT_ONBOARDED).kafkaKey()).isEqualTo(TENANT);
        assertThat(SampleEvents.of(EventType.SUBSCRIPTIONS_ADDED).kafkaKey()).isEqualTo(TENANT);
        assertThat(SampleEvents.of(EventType.TENANT_OFFBOARDED).kafkaKey()).isEqualTo(TENANT);
        assertThat(SampleEvents.of(EventType.SUBSCRIPTION_POLICY_CHANGED).kafkaKey()).isEqualTo(SUBSCRIPTION);
        assertThat(SampleEvents.of(EventType.COLLECTION_RUN_PROGRESS).kafkaKey()).isEqualTo(SUBSCRIPTION);
        assertThat(SampleEvents.of(EventType.RESOURCE_SNAPSHOT).kafkaKey()).isEqualTo(RESOURCE_KEY);
        assertThat(SampleEvents.of(EventType.TAG_SNAPSHOT).kafkaKey()).isEqualTo(RESOURCE_KEY);
        assertThat(SampleEvents.of(EventType.TAG_EDIT_REQUESTED).kafkaKey()).isEqualTo(RESOURCE_KEY);
        assertThat(SampleEvents.of(EventType.TAG_EDIT_OUTCOME).kafkaKey()).isEqualTo(RESOURCE_KEY);
        assertThat(SampleEvents.of(EventType.SPEND_SNAPSHOT).kafkaKey()).isEqualTo(SUBSCRIPTION + "/2023-09-03/ACTUAL");
        assertThat(SampleEvents.of(EventType.SPEND_DAILY_TOTAL).kafkaKey())
                .isEqualTo(SampleEvents.of(EventType.SPEND_SNAPSHOT).kafkaKey());
    }

    @Test
    void aRestatedSpendDayHasTheSameKeyAndTheOtherCostTypeAnother() {
        SpendSnapshot first = spend(SpendSnapshot.CostType.AMORTIZED, "1.00");
        SpendSnapshot restated = spend(SpendSnapshot.CostType.AMORTIZED, "1.25");
        SpendSnapshot actual = spend(SpendSnapshot.CostType.ACTUAL, "1.25");

        assertThat(restated.kafkaKey()).isEqualTo(first.kafkaKey());
        assertThat(actual.kafkaKey()).isNotEqualTo(first.kafkaKey());
    }

    @Test
    void idsAreNormalizedWhateverCasingTheProducerUsed() {
        TagSnapshot snapshot = new TagSnapshot(ID, AT, TENANT.toUpperCase(), SUBSCRIPTION.toUpperCase(),
                DISPLAY_ID.toUpperCase(), "/" + DISPLAY_ID + "/", Map.of(), "f", RUN_ID, OBSERVED_AT);

        assertThat(snapshot.tenantId()).isEqualTo(TENANT);
        assertThat(snapshot.subscriptionId()).isEqualTo(SUBSCRIPTION);
        assertThat(snapshot.resourceId()).isEqualTo(RESOURCE_KEY);
        assertThat(snapshot.displayId()).isEqualTo(DISPLAY_ID);
    }

    @Test
    void requiredFieldsAreNamedWhenMissing() {
        assertThatThrownBy(() -> new TagSnapshot(ID, AT, TENANT, SUBSCRIPTION, RESOURCE_KEY, DISPLAY_ID, Map.of(),
                null, RUN_ID, OBSERVED_AT))
                .isInstanceOf(NullPointerException.class).hasMessage("fingerprint is required");
        assertThatThrownBy(() -> new TenantOffboarded(null, AT, TENANT, List.of(), "admin"))
                .isInstanceOf(NullPointerException.class).hasMessage("eventId is required");
        assertThatThrownBy(() -> new SubscriptionPolicyChanged(ID, AT, TENANT, " ", null, null, "admin"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("subscriptionId must not be blank");
        assertThatThrownBy(() -> new TenantOffboarded(ID, AT, TENANT, java.util.Arrays.asList(SUBSCRIPTION, null), "a"))
                .isInstanceOf(NullPointerException.class).hasMessage("subscriptionIds[1] is required");
    }

    @Test
    void resourceIdAndDisplayIdMustNameTheSameResourceInTheSubscription() {
        String other = DISPLAY_ID.replace("aks-secretagent", "aks-agentpool");
        String foreign = DISPLAY_ID.replace(SUBSCRIPTION, "64e355d7-997c-491d-b0c1-8414dccfcf42");

        assertThatThrownBy(() -> tagEdit(RESOURCE_KEY, other))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not the same resource as");
        assertThatThrownBy(() -> tagEdit(foreign.toLowerCase(), foreign))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not in subscription " + SUBSCRIPTION);
    }

    @Test
    void resourceSnapshotKindAndGroupMustMatchTheId() {
        assertThatThrownBy(() -> resourceSnapshot(ResourceSnapshot.Kind.RESOURCE_GROUP, "MC_ANALYTICSENGINE_ANALYTICSENGINE_EASTUS"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kind RESOURCE_GROUP does not match");
        assertThatThrownBy(() -> resourceSnapshot(ResourceSnapshot.Kind.RESOURCE, "AnalyticsEngine"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("resourceGroup 'AnalyticsEngine'");
        assertThat(resourceSnapshot(ResourceSnapshot.Kind.RESOURCE, "mc_analyticsengine_analyticsengine_eastus").kind())
                .isEqualTo(ResourceSnapshot.Kind.RESOURCE);
    }

    @Test
    void collectionsAreDefensiveImmutableCopiesInOrder() {
        Map<String, String> tags = new LinkedHashMap<>(SampleEvents.focusTags());
        List<OnboardedSubscription> subscriptions = new ArrayList<>(List.of(new OnboardedSubscription(SUBSCRIPTION, "a", true)));
        TagSnapshot snapshot = new TagSnapshot(ID, AT, TENANT, SUBSCRIPTION, RESOURCE_KEY, DISPLAY_ID, tags, "f", RUN_ID, OBSERVED_AT);
        TenantOnboarded onboarded = new TenantOnboarded(ID, AT, TENANT, "sp", "admin", subscriptions);

        tags.put("added-later", "x");
        subscriptions.clear();

        assertThat(snapshot.tags()).doesNotContainKey("added-later");
        assertThat(snapshot.tags().keySet()).containsExactlyElementsOf(SampleEvents.focusTags().keySet());
        assertThat(onboarded.subscriptions()).hasSize(1);
        assertThatThrownBy(() -> snapshot.tags().put("k", "v")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> onboarded.subscriptions().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void spendLinesNormalizeCostIdsAndCurrency() {
        SpendLine line = new SpendLine(null, "/SUBSCRIPTIONS/64E355D7-997C-491D-B0C1-8414DCCFCF42/RESOURCEGROUPS/"
                + "FTK-MICFLAN-DARKSLATE2/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/FTK-MICFLA-5PD7GDO37OOZC", null,
                "Key Vault", "Advanced Threat Protection", new BigDecimal("0.000002"), "usd");

        assertThat(line.resourceId()).isEqualTo("/subscriptions/64e355d7-997c-491d-b0c1-8414dccfcf42/resourcegroups/"
                + "ftk-micflan-darkslate2/providers/microsoft.keyvault/vaults/ftk-micfla-5pd7gdo37oozc");
        assertThat(line.currency()).isEqualTo("USD");
        assertThatThrownBy(() -> new SpendLine(null, null, null, null, null, BigDecimal.ONE, "US Dollar"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ISO 4217");
        assertThatThrownBy(() -> new SpendLine(null, null, null, null, null, null, "USD"))
                .isInstanceOf(NullPointerException.class).hasMessage("amount is required");
    }

    @Test
    void dailyTotalsHoldOneExactAmountPerCurrencySortedByCurrency() {
        SpendDailyTotal total = dailyTotal(List.of(new CurrencyAmount("usd", new BigDecimal("1.10")),
                new CurrencyAmount("EUR", new BigDecimal("0.000000000001"))), 3);

        assertThat(total.totals()).containsExactly(new CurrencyAmount("EUR", new BigDecimal("0.000000000001")),
                new CurrencyAmount("USD", new BigDecimal("1.10")));
        assertThat(dailyTotal(List.of(), 0).totals()).isEmpty();
        assertThatThrownBy(() -> dailyTotal(List.of(new CurrencyAmount("USD", BigDecimal.ONE),
                new CurrencyAmount("usd", BigDecimal.TEN)), 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("totals has USD twice");
        assertThatThrownBy(() -> dailyTotal(List.of(), -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lineCount must not be negative");
        assertThatThrownBy(() -> new CurrencyAmount("Euro", BigDecimal.ONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ISO 4217");
        assertThatThrownBy(() -> new CurrencyAmount("EUR", null))
                .isInstanceOf(NullPointerException.class).hasMessage("amount is required");
    }

    @Test
    void runsThatEndEarlyMustSayWhy() {
        assertThatThrownBy(() -> new CollectionRunProgress(ID, AT, TENANT, SUBSCRIPTION, RUN_ID,
                CollectionRunProgress.Phase.PARTIAL, 1, 2, null))
                .isInstanceOf(NullPointerException.class).hasMessage("reason is required");
        assertThatThrownBy(() -> new CollectionRunProgress(ID, AT, TENANT, SUBSCRIPTION, RUN_ID,
                CollectionRunProgress.Phase.PAGE_DONE, -1, 2, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pagesDone must not be negative");
        assertThat(new CollectionRunProgress(ID, AT, TENANT, SUBSCRIPTION, RUN_ID,
                CollectionRunProgress.Phase.FINISHED, 9, 412, null).reason()).isNull();
    }

    @Test
    void driftOutcomesMustListTheDrift() {
        assertThatThrownBy(() -> new TagEditOutcome(ID, AT, EDIT_ID, null, TENANT, SUBSCRIPTION, DISPLAY_ID,
                TagEditOutcome.Outcome.DRIFT_DETECTED, null, null, null, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DRIFT_DETECTED");
        assertThatThrownBy(() -> new TagDrift("env", null, null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new TagEditOutcome(ID, AT, EDIT_ID, null, TENANT, SUBSCRIPTION, DISPLAY_ID,
                TagEditOutcome.Outcome.REJECTED_BY_POLICY, null, null, null, null).resourceId()).isEqualTo(RESOURCE_KEY);
    }

    @Test
    void addingNoSubscriptionsIsNotAnEvent() {
        assertThatThrownBy(() -> new SubscriptionsAdded(ID, AT, TENANT, "admin", List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("subscriptions must not be empty");
    }

    private static SpendSnapshot spend(SpendSnapshot.CostType costType, String amount) {
        return new SpendSnapshot(ID, AT, TENANT, SUBSCRIPTION, LocalDate.of(2023, 9, 4), costType,
                SpendSnapshot.Source.COST_EXPORT,
                List.of(new SpendLine(RESOURCE_KEY, null, null, "Storage", "Storage", new BigDecimal(amount), "USD")), RUN_ID);
    }

    private static TagEditRequested tagEdit(String resourceId, String displayId) {
        return new TagEditRequested(ID, AT, EDIT_ID, null, TENANT, SUBSCRIPTION, resourceId, displayId,
                TagOperation.MERGE, Map.of("env", "prod"), "user");
    }

    private static ResourceSnapshot resourceSnapshot(ResourceSnapshot.Kind kind, String resourceGroup) {
        return new ResourceSnapshot(ID, AT, TENANT, SUBSCRIPTION, RESOURCE_KEY, DISPLAY_ID, kind, "vmss",
                "Microsoft.Compute/virtualMachineScaleSets", "eastus", resourceGroup, null, null, "f", RUN_ID, OBSERVED_AT);
    }

    private static SpendDailyTotal dailyTotal(List<CurrencyAmount> totals, int lineCount) {
        return new SpendDailyTotal(ID, AT, TENANT, SUBSCRIPTION, LocalDate.of(2023, 9, 3),
                SpendSnapshot.CostType.AMORTIZED, totals, lineCount, SpendSnapshot.Source.COST_EXPORT);
    }
}

package dev.canopy.events;

import dev.canopy.events.azure.TagOperation;
import dev.canopy.events.policy.SyncPolicy;
import dev.canopy.events.topic.EventType;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One fully populated event per type (every nullable field set), built from real ids, tags and amounts of
 * /work/shared/azure-samples (EA cost export and FOCUS sample); the golden files pin their JSON.
 */
public final class SampleEvents {

    public static final String TENANT = "0f8c3a5e-2b1d-4e6f-9a7c-5d3e1b2a4c6f";
    public static final String SUBSCRIPTION = "9ec51cfd-5ca7-4d76-8101-dd0a4abc5674";
    /** A resource as ARM inventory spells it (EA_ActualCost_Small.csv casing). */
    public static final String DISPLAY_ID = "/subscriptions/9ec51cfd-5ca7-4d76-8101-dd0a4abc5674/resourceGroups/"
            + "MC_ANALYTICSENGINE_ANALYTICSENGINE_EASTUS/providers/Microsoft.Compute/virtualMachineScaleSets/"
            + "aks-secretagent-37798712-vmss";
    /** The same resource as the FOCUS sample spells it. */
    public static final String RESOURCE_KEY = "/subscriptions/9ec51cfd-5ca7-4d76-8101-dd0a4abc5674/resourcegroups/"
            + "mc_analyticsengine_analyticsengine_eastus/providers/microsoft.compute/virtualmachinescalesets/"
            + "aks-secretagent-37798712-vmss";
    public static final UUID RUN_ID = UUID.fromString("3f2b8c1e-7d4a-4e2b-9c61-0a5d8e7f1b23");
    public static final UUID EDIT_ID = UUID.fromString("b5e0c9d2-1f3a-4c8e-8d7b-6a2e4f9c0d11");
    public static final UUID BATCH_ID = UUID.fromString("c7a1d3e5-2b4f-4a6c-9e8d-1f3b5d7e9a02");
    public static final Instant AT = Instant.parse("2023-09-04T06:15:30.123Z");
    public static final Instant OBSERVED_AT = Instant.parse("2023-09-04T06:15:12Z");

    private SampleEvents() {
    }

    /** @return the first seven tags of the VMSS row in the FOCUS sample, in the sample's order */
    public static Map<String, String> focusTags() {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("ccm", "ElieTest");
        tags.put("env", "prod");
        tags.put("org", "trey");
        tags.put("test", ",NULL,NULL,");
        tags.put("CostCenter", "1234");
        tags.put("Cost department", "Marketing");
        tags.put("hidden-managedby", "/subscriptions/9ec51cfd-5ca7-4d76-8101-dd0a4abc5674/resourceGroups/"
                + "AnalyticsEngine/providers/Microsoft.ContainerService/managedClusters/AnalyticsEngine");
        return tags;
    }

    /** @return the FOCUS tags as Azure holds them after someone changed CostCenter and removed Project outside Canopy */
    private static Map<String, String> driftedAzureTags() {
        Map<String, String> tags = focusTags();
        tags.put("CostCenter", "SubACM");
        return tags;
    }

    private static UUID eventId(int n) {
        return UUID.fromString(String.format("00000000-0000-4000-8000-%012d", n));
    }

    /**
     * @param type an event type
     * @return its sample; the switch has no default, so a new {@link EventType} does not compile until it has one
     */
    public static CanopyEvent of(EventType type) {
        return switch (type) {
            case TENANT_ONBOARDED -> new TenantOnboarded(eventId(1), AT, TENANT,
                    "0b1f9851-1bf0-433f-aec3-cb9272f093dc", "c1d4e2f3-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
                    List.of(new OnboardedSubscription(SUBSCRIPTION, "Trey Research Analytics", true),
                            new OnboardedSubscription("64e355d7-997c-491d-b0c1-8414dccfcf42", "FinOps Toolkit", false)));
            case SUBSCRIPTIONS_ADDED -> new SubscriptionsAdded(eventId(2), AT, TENANT,
                    "c1d4e2f3-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
                    List.of(new OnboardedSubscription("73c0021f-a37d-433f-8baa-7450cb54eea6", "Leap", true)));
            case TENANT_OFFBOARDED -> new TenantOffboarded(eventId(3), AT, TENANT,
                    List.of(SUBSCRIPTION, "64e355d7-997c-491d-b0c1-8414dccfcf42"),
                    "c1d4e2f3-5a6b-4c7d-8e9f-0a1b2c3d4e5f");
            case SUBSCRIPTION_POLICY_CHANGED -> new SubscriptionPolicyChanged(eventId(4), AT, TENANT, SUBSCRIPTION,
                    SyncPolicy.READ_TAGS_ONLY, SyncPolicy.READ_WRITE_TAGS, "c1d4e2f3-5a6b-4c7d-8e9f-0a1b2c3d4e5f");
            case RESOURCE_SNAPSHOT -> new ResourceSnapshot(eventId(5), AT, TENANT, SUBSCRIPTION, RESOURCE_KEY,
                    DISPLAY_ID, ResourceSnapshot.Kind.RESOURCE, "aks-secretagent-37798712-vmss",
                    "Microsoft.Compute/virtualMachineScaleSets", "eastus", "MC_ANALYTICSENGINE_ANALYTICSENGINE_EASTUS",
                    "Standard_DS2_v2", "/subscriptions/9ec51cfd-5ca7-4d76-8101-dd0a4abc5674/resourceGroups/"
                    + "AnalyticsEngine/providers/Microsoft.ContainerService/managedClusters/AnalyticsEngine",
                    "sha256:4f1c9a", RUN_ID, OBSERVED_AT);
            case RESOURCE_DELETED -> new ResourceDeleted(eventId(11), AT, TENANT, SUBSCRIPTION, RESOURCE_KEY,
                    DISPLAY_ID, ResourceDeleted.Reason.VANISHED, RUN_ID);
            case TAG_SNAPSHOT -> new TagSnapshot(eventId(6), AT, TENANT, SUBSCRIPTION, RESOURCE_KEY, DISPLAY_ID,
                    focusTags(), "sha256:9b2e77", RUN_ID, OBSERVED_AT);
            case SPEND_SNAPSHOT -> new SpendSnapshot(eventId(7), AT, TENANT, SUBSCRIPTION,
                    LocalDate.of(2023, 9, 3), SpendSnapshot.CostType.ACTUAL, SpendSnapshot.Source.COST_MANAGEMENT,
                    List.of(new SpendLine(RESOURCE_KEY, DISPLAY_ID, "MC_ANALYTICSENGINE_ANALYTICSENGINE_EASTUS",
                                    "Virtual Machines", "Virtual Machines", new BigDecimal("0.006000000468"), "USD"),
                            new SpendLine(null, "/providers/Microsoft.Capacity/reservationOrders/"
                                    + "49ed0e4d-8e0c-4f1f-af2c-67c865056615/reservations/", null,
                                    "Reserved VM Instances", "Virtual Machines", new BigDecimal("3.2500"), "usd")),
                    RUN_ID);
            case SPEND_DAILY_TOTAL -> new SpendDailyTotal(eventId(12), AT, TENANT, SUBSCRIPTION,
                    LocalDate.of(2023, 9, 3), SpendSnapshot.CostType.ACTUAL,
                    List.of(new CurrencyAmount("USD", new BigDecimal("3.256000000468")),
                            new CurrencyAmount("EUR", new BigDecimal("0.50"))),
                    2, SpendSnapshot.Source.COST_MANAGEMENT);
            case COLLECTION_RUN_PROGRESS -> new CollectionRunProgress(eventId(8), AT, TENANT, SUBSCRIPTION, RUN_ID,
                    CollectionRunProgress.Phase.ACCESS_LOST, 9, 412,
                    "AuthorizationFailed: Tag Contributor was removed from Canopy's principal");
            case TAG_EDIT_REQUESTED -> new TagEditRequested(eventId(9), AT, EDIT_ID, BATCH_ID, TENANT, SUBSCRIPTION,
                    RESOURCE_KEY, DISPLAY_ID, TagOperation.MERGE,
                    Map.of("cm-resource-parent", "/subscriptions/9ec51cfd-5ca7-4d76-8101-dd0a4abc5674/resourceGroups/"
                            + "AnalyticsEngine/providers/Microsoft.ContainerService/managedClusters/AnalyticsEngine"),
                    "platform-user-7f3c");
            case TAG_EDIT_OUTCOME -> new TagEditOutcome(eventId(10), AT, EDIT_ID, BATCH_ID, TENANT, SUBSCRIPTION,
                    DISPLAY_ID, TagEditOutcome.Outcome.DRIFT_DETECTED, SyncPolicy.READ_WRITE_TAGS,
                    "Azure holds CostCenter=SubACM, Canopy expected 1234", driftedAzureTags(),
                    List.of(new TagDrift("CostCenter", "1234", "SubACM"), new TagDrift("Project", "Foo", null)));
        };
    }
}

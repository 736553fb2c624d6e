package dev.canopy.collector;

import static io.restassured.RestAssured.given;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

import dev.canopy.emulator.AzureEmulator;
import dev.canopy.emulator.limits.LimitSettings;
import dev.canopy.emulator.world.Resource;
import dev.canopy.emulator.world.RoleAssignment;
import dev.canopy.emulator.world.ResourceGroup;
import dev.canopy.emulator.world.Subscription;
import dev.canopy.emulator.world.SyntheticWorld;
import dev.canopy.emulator.world.WorldSpec;
import dev.canopy.events.CollectionRunProgress;
import dev.canopy.events.ResourceSnapshot;
import dev.canopy.events.SpendSnapshot;
import dev.canopy.events.TagSnapshot;
import dev.canopy.events.TenantOffboarded;
import dev.canopy.events.azure.ArmResourceId;
import dev.canopy.events.policy.SyncPolicy;
import dev.canopy.events.topic.CanopyTopic;
import dev.canopy.events.topic.EventType;
import dev.canopy.testsupport.azure.InjectAzureEmulator;
import dev.canopy.testsupport.kafka.EventTopicClient;
import dev.canopy.testsupport.kafka.ReceivedRecord;
import dev.canopy.testsupport.world.Onboarding;

/**
 * Shared steps of the collector's tests: a fresh synthetic world per test (Canopy's principal pre-consented, so no
 * consent flow), onboarding it through the registry topics, waiting for runs and reading what they published.
 */
abstract class CollectorTestBase {

    static final Duration RUN_TIMEOUT = Duration.ofSeconds(90);
    static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    @InjectAzureEmulator
    AzureEmulator azure;

    EventTopicClient kafka;
    WorldSpec world;
    String tenantId;
    List<String> subscriptionIds = new ArrayList<>();
    private long seed;

    @BeforeEach
    void freshWorld(TestInfo test) {
        kafka = EventTopicClient.forTestKafka();
        // A seed per test: tenants and subscriptions of one test never meet another test's on the shared topics.
        seed = Math.abs((long) (getClass().getName() + "#" + test.getDisplayName()).hashCode());
        azure.limits().configure(LimitSettings.off());
        azure.faults().clear();
    }

    @AfterEach
    void offboard() {
        if (tenantId != null) {
            kafka.publish(new TenantOffboarded(UUID.randomUUID(), Instant.now(), tenantId, subscriptionIds, "test"));
        }
        azure.limits().configure(LimitSettings.off());
        azure.faults().clear();
        kafka.close();
    }

    /** A world of one tenant whose cost runs from the 1st of this month to today. */
    WorldSpec generate(int subscriptions, int groups, int resources) {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        return SyntheticWorld.generate(new SyntheticWorld.Parameters(seed, 1, subscriptions, groups, resources,
                today.getDayOfMonth(), today.withDayOfMonth(1), "EUR", true));
    }

    /** Loads the world into the emulator and onboards its tenant with one policy for every subscription. */
    void onboard(WorldSpec spec, SyncPolicy policy) {
        onboard(spec, spec.subscriptions().stream().map(s -> policy).toList());
    }

    /** Loads the world and onboards its tenant; the i-th subscription gets the i-th policy. */
    void onboard(WorldSpec spec, List<SyncPolicy> policies) {
        world = spec;
        azure.loadWorld(spec);
        tenantId = spec.subscriptions().get(0).tenantId();
        subscriptionIds = spec.subscriptions().stream().map(Subscription::subscriptionId).toList();
        Onboarding.onboardTenant(kafka, spec, tenantId, policies);
    }

    void setPolicy(String subscriptionId, SyncPolicy policy, SyncPolicy previous) {
        Onboarding.setPolicy(kafka, tenantId, subscriptionId, policy, previous);
    }

    /** Replaces the emulator's world, keeping what the collector was told (e.g. a cost restated). */
    void changeWorld(UnaryOperator<WorldSpec> change) {
        world = change.apply(world);
        azure.loadWorld(world);
    }

    static WorldSpec withSubscriptions(WorldSpec s, List<Subscription> subscriptions) {
        return new WorldSpec(s.tenants(), s.users(), s.groups(), s.applications(), s.servicePrincipals(), subscriptions,
                s.roleAssignments(), s.resourceGroups(), s.resources(), s.costs(), s.platformUsers(), s.partnerLinks());
    }

    static WorldSpec withRoleAssignments(WorldSpec s, List<RoleAssignment> assignments) {
        return new WorldSpec(s.tenants(), s.users(), s.groups(), s.applications(), s.servicePrincipals(),
                s.subscriptions(), assignments, s.resourceGroups(), s.resources(), s.costs(), s.platformUsers(),
                s.partnerLinks());
    }

    static WorldSpec withCosts(WorldSpec s, List<dev.canopy.emulator.world.CostEntry> costs) {
        return new WorldSpec(s.tenants(), s.users(), s.groups(), s.applications(), s.servicePrincipals(),
                s.subscriptions(), s.roleAssignments(), s.resourceGroups(), s.resources(), costs, s.platformUsers(),
                s.partnerLinks());
    }

    /** Waits for the subscription's n-th finished, partial or access-lost run and returns its last progress event. */
    CollectionRunProgress awaitRun(String subscriptionId, int n) {
        List<ReceivedRecord> ended = kafka.awaitRecords(CanopyTopic.COLLECTION_RUNS.topicName(),
                r -> subscriptionId.equals(r.key()) && r.event(CollectionRunProgress.class).phase() != CollectionRunProgress.Phase.STARTED
                        && r.event(CollectionRunProgress.class).phase() != CollectionRunProgress.Phase.PAGE_DONE,
                n, RUN_TIMEOUT);
        return ended.get(n - 1).event(CollectionRunProgress.class);
    }

    /** Asks for a run as the tenant's admin; 202. */
    void requestRun(String subscriptionId) {
        given().auth().oauth2(adminToken()).when().post("/subscriptions/{id}/collect", subscriptionId)
                .then().statusCode(202);
    }

    String adminToken() {
        return azure.tokens().platformToken("admin@test", List.of("admin:" + tenantId), Duration.ofHours(1));
    }

    String opsToken() {
        return azure.tokens().platformToken("ops@test", List.of("ops"), Duration.ofHours(1));
    }

    List<ResourceSnapshot> resourceSnapshots(UUID runId) {
        return kafka.readAll(CanopyTopic.RESOURCES.topicName(), READ_TIMEOUT).stream()
                .filter(r -> !r.isTombstone() && EventType.RESOURCE_SNAPSHOT.typeName().equals(r.ceType()))
                .map(r -> r.event(ResourceSnapshot.class)).filter(s -> s.collectionRunId().equals(runId)).toList();
    }

    List<TagSnapshot> tagSnapshots(UUID runId) {
        return kafka.readAll(CanopyTopic.TAGS.topicName(), READ_TIMEOUT).stream().filter(r -> !r.isTombstone())
                .map(r -> r.event(TagSnapshot.class)).filter(s -> s.collectionRunId().equals(runId)).toList();
    }

    List<SpendSnapshot> spendSnapshots(UUID runId) {
        return kafka.readAll(CanopyTopic.SPEND.topicName(), READ_TIMEOUT).stream().filter(r -> !r.isTombstone())
                .map(r -> r.event(SpendSnapshot.class)).filter(s -> s.collectionRunId().equals(runId)).toList();
    }

    /** Keys tombstoned on a topic for a subscription's resources. */
    List<String> tombstones(CanopyTopic topic, String subscriptionId) {
        String scope = "/subscriptions/" + subscriptionId;
        return kafka.readAll(topic.topicName(), READ_TIMEOUT).stream()
                .filter(r -> r.isTombstone() && (r.key().equals(scope) || r.key().startsWith(scope + "/")))
                .map(ReceivedRecord::key).toList();
    }

    /** Normalized ids of the subscription's resource groups and resources, as the emulator holds them now. */
    Set<String> worldKeys(String subscriptionId) {
        Set<String> keys = azure.world().resourceGroups(subscriptionId).stream().map(ResourceGroup::id)
                .map(id -> ArmResourceId.parse(id).key()).collect(Collectors.toSet());
        azure.world().resources(subscriptionId).stream().map(Resource::id)
                .forEach(id -> keys.add(ArmResourceId.parse(id).key()));
        return keys;
    }

    /** The keys tag snapshots are owed for: the groups and resources, and the subscription itself. */
    Set<String> tagKeys(String subscriptionId) {
        Set<String> keys = worldKeys(subscriptionId);
        keys.add("/subscriptions/" + subscriptionId);
        return keys;
    }

    static BigDecimal total(SpendSnapshot snapshot) {
        return snapshot.lines().stream().map(l -> l.amount()).reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}

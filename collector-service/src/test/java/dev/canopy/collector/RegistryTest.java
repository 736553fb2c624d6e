package dev.canopy.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.time.ZoneOffset;
import java.time.LocalDate;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import dev.canopy.collector.repository.RegisteredSubscription;
import dev.canopy.collector.repository.RegistryRepository;
import dev.canopy.collector.service.RegistryEventHandler;
import dev.canopy.emulator.world.Subscription;
import dev.canopy.events.CollectionRunProgress;
import dev.canopy.events.OnboardedSubscription;
import dev.canopy.events.ResourceSnapshot;
import dev.canopy.events.TagSnapshot;
import dev.canopy.events.TenantOffboarded;
import dev.canopy.events.TenantOnboarded;
import dev.canopy.events.json.EventJson;
import dev.canopy.events.policy.SyncPolicy;
import dev.canopy.emulator.world.RoleAssignment;
import dev.canopy.emulator.world.SyntheticWorld;
import dev.canopy.emulator.world.WorldSpec;
import dev.canopy.events.SpendSnapshot;
import dev.canopy.testsupport.world.Onboarding;
import dev.canopy.events.topic.CanopyTopic;
import dev.canopy.events.topic.CloudEventHeaders;
import dev.canopy.events.topic.EventType;
import dev.canopy.messaging.inbox.ProcessedEventRepository;
import dev.canopy.testsupport.azure.AzureEmulatorResource;
import dev.canopy.testsupport.db.PostgresDatabaseResource;
import dev.canopy.testsupport.db.TestDatabase;
import dev.canopy.testsupport.kafka.KafkaBrokerResource;
import dev.canopy.testsupport.kafka.ReceivedRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The registry: tenants and policies from their topics, once per event id, poison messages dead-lettered, and events
 * that arrive while the database is away applied once it is back.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PostgresDatabaseResource.class)
@WithTestResource(AzureEmulatorResource.class)
class RegistryTest extends CollectorTestBase {

    @Inject
    RegistryRepository registry;

    @Inject
    ProcessedEventRepository processed;


    @Inject
    MeterRegistry metrics;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @Test
    void policyBeforeOnboardingAndARedeliveredEventAreEachHandledOnce() {
        world = generate(2, 1, 2);
        azure.loadWorld(world);
        tenantId = world.subscriptions().get(0).tenantId();
        subscriptionIds = world.subscriptions().stream().map(Subscription::subscriptionId).toList();
        // The policy topic and the tenant topic are not ordered against each other: the policy may come first.
        setPolicy(subscriptionIds.get(0), SyncPolicy.READ_TAGS_ONLY, null);
        TenantOnboarded onboarded = new TenantOnboarded(UUID.randomUUID(), Instant.now(), tenantId, "sp", "admin",
                world.subscriptions().stream()
                        .map(s -> new OnboardedSubscription(s.subscriptionId(), s.displayName(), true)).toList());
        kafka.publish(onboarded);
        kafka.publish(onboarded); // Kafka delivers at least once

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<RegisteredSubscription> subs = QuarkusTransaction.requiringNew().call(() -> registry.ofTenant(tenantId));
            assertThat(subs).extracting(s -> s.subscriptionId).containsExactlyInAnyOrderElementsOf(subscriptionIds);
            assertThat(subs).allMatch(s -> s.active && s.registryPartition >= 0);
            assertThat(subs).filteredOn(s -> s.subscriptionId.equals(subscriptionIds.get(0)))
                    .extracting(s -> s.policy).containsExactly("READ_TAGS_ONLY");
        });
        assertThat(QuarkusTransaction.requiringNew().call(() -> processed.count("eventId", onboarded.eventId())))
                .isEqualTo(1);
        // Without a policy the second subscription is not collected (resources, tags or spend) until one arrives.
        assertThat(QuarkusTransaction.requiringNew().call(() -> registry.findById(subscriptionIds.get(1)).policy)).isNull();
    }

    @Test
    void anOffboardingThatStillListsASubscriptionAnotherTenantHoldsNowLeavesItToThatTenant() {
        onboard(generate(1, 1, 2), SyncPolicy.READ_WRITE_TAGS);
        String moved = subscriptionIds.get(0);
        awaitRun(moved, 1);
        // The subscription moved to another tenant, whose onboarding (another key, maybe another partition of
        // canopy.tenants) is read before the old tenant's offboarding that still lists it.
        String newTenant = UUID.randomUUID().toString();
        kafka.publish(new TenantOnboarded(UUID.randomUUID(), Instant.now(), newTenant, "sp", "admin",
                List.of(new OnboardedSubscription(moved, "moved", true))));
        await().atMost(Duration.ofSeconds(30)).until(() -> newTenant.equals(
                QuarkusTransaction.requiringNew().call(() -> registry.findById(moved).tenantId)));
        TenantOffboarded offboarded = new TenantOffboarded(UUID.randomUUID(), Instant.now(), tenantId, List.of(moved),
                "admin");
        kafka.publish(offboarded);

        await().atMost(Duration.ofSeconds(30)).until(() -> QuarkusTransaction.requiringNew()
                .call(() -> processed.count("eventId", offboarded.eventId())) == 1);
        RegisteredSubscription sub = QuarkusTransaction.requiringNew().call(() -> registry.findById(moved));
        assertThat(sub.tenantId).isEqualTo(newTenant);
        assertThat(sub.active).as("still collected, for its new tenant").isTrue();
    }

    @Test
    void aSubscriptionThatMovedToAnotherTenantIsPublishedAgainUnderItsNewTenantSpendIncluded() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        WorldSpec spec = SyntheticWorld.generate(new SyntheticWorld.Parameters(7_707, 2, 1, 2, 4,
                today.getDayOfMonth(), today.withDayOfMonth(1), "EUR", true));
        world = spec;
        azure.loadWorld(spec);
        String oldTenant = spec.subscriptions().get(0).tenantId();
        String newTenant = spec.subscriptions().get(1).tenantId();
        String moved = spec.subscriptions().get(0).subscriptionId();
        Onboarding.onboardTenant(kafka, spec, oldTenant, List.of(SyncPolicy.READ_WRITE_TAGS));
        tenantId = oldTenant;
        subscriptionIds = List.of(moved);
        CollectionRunProgress first = awaitRun(moved, 1);
        Set<String> spendKeys = spendSnapshots(first.runId()).stream().map(SpendSnapshot::kafkaKey)
                .collect(Collectors.toSet());
        assertThat(spendKeys).isNotEmpty();

        // The subscription moves to the other tenant (a directory change in Azure): Canopy's principal there gets
        // the roles, and that tenant's onboarding lists it.
        String oldPrincipal = principalOf(spec, oldTenant);
        String newPrincipal = principalOf(spec, newTenant);
        changeWorld(w -> {
            List<Subscription> subscriptions = w.subscriptions().stream().map(s -> s.subscriptionId().equals(moved)
                    ? new Subscription(moved, newTenant, s.displayName(), s.state(), s.tags(), s.quotaId(),
                            s.spendingLimit())
                    : s).toList();
            List<RoleAssignment> assignments = w.roleAssignments().stream().map(a -> a.principalId()
                    .equals(oldPrincipal) && a.scope().equalsIgnoreCase("/subscriptions/" + moved)
                    ? new RoleAssignment(a.name(), a.scope(), a.roleDefinitionId(), newPrincipal, a.principalType(),
                            a.description(), a.createdOn(), a.createdBy())
                    : a).toList();
            return withRoleAssignments(withSubscriptions(w, subscriptions), assignments);
        });
        kafka.publish(new TenantOnboarded(UUID.randomUUID(), Instant.now(), newTenant, newPrincipal, "admin",
                List.of(new OnboardedSubscription(moved, "moved", true))));
        tenantId = newTenant;

        // Nothing changed in the subscription, yet everything is published again, naming its new tenant.
        CollectionRunProgress second = awaitRun(moved, 2);
        assertThat(second.phase()).isEqualTo(CollectionRunProgress.Phase.FINISHED);
        assertThat(resourceSnapshots(second.runId())).extracting(ResourceSnapshot::resourceId)
                .containsExactlyInAnyOrderElementsOf(worldKeys(moved));
        assertThat(tagSnapshots(second.runId())).extracting(TagSnapshot::resourceId)
                .containsExactlyInAnyOrderElementsOf(tagKeys(moved));
        assertThat(spendSnapshots(second.runId())).extracting(SpendSnapshot::kafkaKey)
                .containsExactlyInAnyOrderElementsOf(spendKeys);
        assertThat(resourceSnapshots(second.runId())).extracting(ResourceSnapshot::tenantId).containsOnly(newTenant);
        assertThat(spendSnapshots(second.runId())).extracting(SpendSnapshot::tenantId).containsOnly(newTenant);
    }

    private static String principalOf(WorldSpec spec, String tenant) {
        return spec.servicePrincipals().stream().filter(p -> p.tenantId().equals(tenant)).findFirst().orElseThrow()
                .objectId();
    }

    @Test
    void aPoisonMessageGoesToTheDeadLetterTopicWithItsReasonAndTheNextEventIsStillHandled() {
        String key = UUID.randomUUID().toString();
        kafka.publishRaw(CanopyTopic.TENANTS.topicName(), key, "{not json".getBytes(StandardCharsets.UTF_8),
                Map.of(CloudEventHeaders.TYPE, EventType.TENANT_ONBOARDED.typeName(),
                        CloudEventHeaders.ID, UUID.randomUUID().toString()));
        String otherKey = UUID.randomUUID().toString();
        kafka.publishRaw(CanopyTopic.SUBSCRIPTION_POLICIES.topicName(), otherKey,
                EventJson.write(new TenantOnboarded(UUID.randomUUID(), Instant.now(), otherKey, "sp", "a", List.of())),
                Map.of(CloudEventHeaders.TYPE, EventType.TENANT_ONBOARDED.typeName()));

        ReceivedRecord dead = kafka.awaitRecord(CanopyTopic.TENANTS.dlqName(), r -> key.equals(r.key()), READ_TIMEOUT);
        assertThat(dead.headers().get(CloudEventHeaders.DLQ_REASON)).isNotBlank();
        ReceivedRecord wrongType = kafka.awaitRecord(CanopyTopic.SUBSCRIPTION_POLICIES.dlqName(),
                r -> otherKey.equals(r.key()), READ_TIMEOUT);
        assertThat(wrongType.headers().get(CloudEventHeaders.DLQ_REASON)).contains("unexpected event type");

        onboard(generate(1, 1, 1), SyncPolicy.READ_WRITE_TAGS);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(QuarkusTransaction.requiringNew()
                .call(() -> registry.ofTenant(tenantId))).hasSize(1));
        awaitRun(subscriptionIds.get(0), 1);
    }

    @Test
    void aNoResourcesPolicyAndAnOffboardingPublishedWhileTheDatabaseIsAwayTakeEffectOnceItIsBackNoneDeadLettered() {
        onboard(generate(2, 1, 3), SyncPolicy.READ_WRITE_TAGS);
        String narrowed = subscriptionIds.get(0);
        String other = subscriptionIds.get(1);
        awaitRun(narrowed, 1);
        awaitRun(other, 1);
        double tenantRetries = retries("onTenantEvent");
        double policyRetries = retries("onPolicyChanged");

        try (TestDatabase.Outage outage = TestDatabase.ofUrl(jdbcUrl).outage()) {
            setPolicy(narrowed, SyncPolicy.NO_RESOURCES, SyncPolicy.READ_WRITE_TAGS);
            kafka.publish(new TenantOffboarded(UUID.randomUUID(), Instant.now(), tenantId, subscriptionIds, "test"));
            // Both events are tried again and again: more often than the three attempts before, or MicroProfile's
            // default of three retries, would have allowed.
            await().atMost(Duration.ofSeconds(120)).until(() -> retries("onTenantEvent") >= tenantRetries + 4
                    && retries("onPolicyChanged") >= policyRetries + 4);
        }
        String offboardedTenant = tenantId;
        tenantId = null; // offboarded already

        // The database is back: the app's pool replaces the connections the outage ended, and both events apply.
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
            List<RegisteredSubscription> subs = QuarkusTransaction.requiringNew()
                    .call(() -> registry.ofTenant(offboardedTenant));
            assertThat(subs).hasSize(2).noneMatch(s -> s.active);
            assertThat(subs).filteredOn(s -> s.subscriptionId.equals(narrowed)).extracting(s -> s.policy)
                    .containsExactly("NO_RESOURCES");
        });
        for (String sub : List.of(narrowed, other)) {
            Set<String> keys = worldKeys(sub);
            await().atMost(READ_TIMEOUT).untilAsserted(() -> {
                assertThat(tombstones(CanopyTopic.RESOURCES, sub)).as(sub).containsAll(keys);
                assertThat(kafka.readAll(CanopyTopic.SPEND.topicName(), READ_TIMEOUT))
                        .as("spend of %s tombstoned", sub).anyMatch(r -> r.isTombstone() && r.key().startsWith(sub + "/"));
            });
        }
        assertThat(kafka.readAll(CanopyTopic.TENANTS.dlqName(), READ_TIMEOUT))
                .noneMatch(r -> offboardedTenant.equals(r.key()));
        assertThat(kafka.readAll(CanopyTopic.SUBSCRIPTION_POLICIES.dlqName(), READ_TIMEOUT))
                .noneMatch(r -> subscriptionIds.contains(r.key()));
    }

    /** Retries the registry handler's method has made so far (SmallRye Fault Tolerance's metric). */
    private double retries(String method) {
        Counter counter = metrics.find("ft.retry.retries.total")
                .tag("method", RegistryEventHandler.class.getName() + "." + method).counter();
        return counter == null ? 0 : counter.count();
    }
}

package dev.canopy.tagsync.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

import dev.canopy.events.OnboardedSubscription;
import dev.canopy.events.SubscriptionPolicyChanged;
import dev.canopy.events.SubscriptionsAdded;
import dev.canopy.events.TenantOffboarded;
import dev.canopy.events.TenantOnboarded;
import dev.canopy.events.json.EventJson;
import dev.canopy.events.policy.SyncPolicy;
import dev.canopy.events.topic.CanopyTopic;
import dev.canopy.events.topic.CloudEventHeaders;
import dev.canopy.events.topic.EventType;
import dev.canopy.testsupport.azure.AzureEmulatorResource;
import dev.canopy.testsupport.db.PostgresDatabaseResource;
import dev.canopy.testsupport.kafka.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The tenant directory: onboarding, added subscriptions, offboarding, moved subscriptions, redelivery, poison. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PostgresDatabaseResource.class)
@WithTestResource(AzureEmulatorResource.class)
class TenantDirectoryTest extends ViewTestBase {

    private static final String TOPIC = CanopyTopic.TENANTS.topicName();

    @Inject
    TenantDirectory directory;

    @Test
    void onboardingAddingSubscriptionsAndOffboarding() {
        String tenant = newId();
        String first = newId();
        String second = newId();
        kafka.publish(onboarded(tenant, Instant.now(), first));
        // One tenant's events share a partition: once the view is past the last, it is past all of them.
        awaitPast(kafka.publish(new SubscriptionsAdded(UUID.randomUUID(), Instant.now(), tenant, "admin",
                List.of(subscription(second)))));

        assertThat(directory.subscription(first.toUpperCase())).contains(new KnownSubscription(first, tenant, false));
        assertThat(directory.subscription(second)).contains(new KnownSubscription(second, tenant, false));
        assertThat(directory.tenantOffboarded(tenant)).isFalse();

        awaitPast(kafka.publish(new TenantOffboarded(UUID.randomUUID(), Instant.now(), tenant, List.of(first, second),
                "admin")));

        assertThat(directory.tenantOffboarded(tenant)).isTrue();
        assertThat(directory.subscription(first)).contains(new KnownSubscription(first, tenant, true));
        assertThat(directory.subscription(newId())).isEmpty();
        assertThat(directory.tenantOffboarded(newId())).isFalse();
    }

    @Test
    void aMovedSubscriptionFollowsTheNewestEventWhicheverIsReadFirst() {
        String from = newId();
        String to = newId();
        String moved = newId();
        Instant start = Instant.now();
        // Two tenants, two partitions: the newer event (to) happens to be read before the older one (from).
        awaitPast(kafka.publish(onboarded(to, start.plusSeconds(60), moved)));
        awaitPast(kafka.publish(onboarded(from, start, moved)));
        assertThat(directory.subscription(moved)).contains(new KnownSubscription(moved, to, false));

        // The old tenant's offboarding lists what it once had; it does not take the subscription back.
        awaitPast(kafka.publish(new TenantOffboarded(UUID.randomUUID(), start.plusSeconds(120), from, List.of(moved),
                "admin")));
        assertThat(directory.subscription(moved)).contains(new KnownSubscription(moved, to, false));
        assertThat(directory.tenantOffboarded(from)).isTrue();

        // A newer onboarding of the old tenant takes it back, and that tenant is active again.
        awaitPast(kafka.publish(onboarded(from, start.plusSeconds(180), moved)));
        assertThat(directory.subscription(moved)).contains(new KnownSubscription(moved, from, false));
    }

    @Test
    void aRedeliveredTenantEventIsAppliedOnce() {
        String tenant = newId();
        String subscription = newId();
        TenantOnboarded onboarded = onboarded(tenant, Instant.now(), subscription);
        kafka.publish(onboarded);
        kafka.publish(new TenantOffboarded(UUID.randomUUID(), Instant.now(), tenant, List.of(subscription), "admin"));
        awaitPast(kafka.publish(onboarded)); // Kafka delivers at least once; the onboarding must not revive the tenant

        assertThat(directory.tenantOffboarded(tenant)).isTrue();
        assertThat(directory.subscription(subscription)).contains(new KnownSubscription(subscription, tenant, true));
    }

    @Test
    void poisonTenantRecordsAreDeadLetteredAndTheNextEventIsApplied() {
        String tenant = newId();
        RecordMetadata unreadable = kafka.publishRaw(TOPIC, tenant, NOT_JSON, headersOf(EventType.TENANT_ONBOARDED));
        String other = newId();
        SubscriptionPolicyChanged misplaced = new SubscriptionPolicyChanged(UUID.randomUUID(), Instant.now(), other,
                newId(), SyncPolicy.READ_WRITE_TAGS, null, "admin");
        RecordMetadata wrongType = kafka.publishRaw(TOPIC, other, EventJson.write(misplaced),
                headersOf(EventType.SUBSCRIPTION_POLICY_CHANGED));

        awaitDeadLettered(CanopyTopic.TENANTS, tenant, unreadable);
        assertThat(awaitDeadLettered(CanopyTopic.TENANTS, other, wrongType).headers().get(CloudEventHeaders.DLQ_REASON))
                .contains("unexpected event type");
        awaitPast(unreadable);
        awaitPast(wrongType);

        String subscription = newId();
        awaitPast(kafka.publish(onboarded(tenant, Instant.now(), subscription)));
        assertThat(directory.subscription(subscription)).contains(new KnownSubscription(subscription, tenant, false));
    }

    private static TenantOnboarded onboarded(String tenant, Instant at, String subscription) {
        return new TenantOnboarded(UUID.randomUUID(), at, tenant, "sp-" + tenant, "admin",
                List.of(subscription(subscription)));
    }

    private static OnboardedSubscription subscription(String id) {
        return new OnboardedSubscription(id, "Subscription " + id, true);
    }
}

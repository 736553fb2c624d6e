package dev.canopy.consent;

import static dev.canopy.consent.ConsentTestSupport.as;
import static dev.canopy.consent.ConsentTestSupport.column;
import static dev.canopy.consent.ConsentTestSupport.sql;
import static dev.canopy.consent.ConsentTestSupport.withRoles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.canopy.emulator.AzureEmulator;
import dev.canopy.emulator.world.SampleWorld;
import dev.canopy.events.SubscriptionPolicyChanged;
import dev.canopy.events.TenantOffboarded;
import dev.canopy.events.policy.SyncPolicy;
import dev.canopy.events.topic.CanopyTopic;
import dev.canopy.events.topic.CloudEventHeaders;
import dev.canopy.messaging.outbox.OutboxRelay;
import dev.canopy.messaging.outbox.OutboxWriter;
import dev.canopy.testsupport.azure.AzureEmulatorResource;
import dev.canopy.testsupport.azure.InjectAzureEmulator;
import dev.canopy.testsupport.db.PostgresDatabaseResource;
import dev.canopy.testsupport.kafka.EventTopicClient;
import dev.canopy.testsupport.kafka.KafkaBrokerResource;
import dev.canopy.testsupport.kafka.ReceivedRecord;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Sync policies, tenant views, offboarding and the outbox, on a tenant stored directly in the database (the consent
 * flow has its own test): who may do what, problem+json, the PUT's wait for Kafka, and the relay's crash safety.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PostgresDatabaseResource.class)
@WithTestResource(AzureEmulatorResource.class)
class PolicyAndTenantsTest {

    private static final String TREY = SampleWorld.TREY_TENANT_ID;
    private static final String RND = SampleWorld.SUB_RND;
    private static final String IT = SampleWorld.SUB_IT;
    private static final Duration WAIT = Duration.ofSeconds(20);

    @InjectAzureEmulator
    AzureEmulator azure;

    @Inject
    Scheduler scheduler;

    @Inject
    OutboxWriter outboxWriter;

    @Inject
    OutboxRelay relay;

    private final EventTopicClient kafka = EventTopicClient.forTestKafka();

    @BeforeEach
    void onboardedTrey() {
        ConsentTestSupport.cleanSlate(azure);
        sql("INSERT INTO tenant VALUES ('" + TREY + "', 'sp-object-id', 'active', 'admin-oid', now(), null)");
        sql("INSERT INTO subscription VALUES ('" + RND + "', '" + TREY + "', 'R&D', 'active', null, "
                + "'READ_WRITE_TAGS', true, now())");
        sql("INSERT INTO subscription VALUES ('" + IT + "', '" + TREY + "', 'IT', 'skipped', 'not an Owner', null, "
                + "false, now())");
    }

    @AfterEach
    void resumeRelay() {
        scheduler.resume(OutboxRelay.IDENTITY);
        kafka.close();
    }

    @Test
    void tenantsShowTheirSubscriptionsToTheirMembersOnly() {
        Response mine = as(azure, "alice@canopy.example").get("/tenants");
        mine.then().statusCode(200);
        assertThat(mine.jsonPath().getList("tenantId")).containsExactly(TREY);
        // Subscriptions come by id: R&D (64e3…) before IT (ed57…).
        assertThat(mine.jsonPath().getList("[0].subscriptions.state")).containsExactly("active", "skipped");
        assertThat(mine.jsonPath().getString("[0].subscriptions[1].reason")).isEqualTo("not an Owner");
        assertThat(mine.jsonPath().getString("[0].subscriptions[0].policy")).isEqualTo("READ_WRITE_TAGS");

        // vera sees Contoso only; Trey answers 404 exactly like an unknown tenant.
        assertThat(as(azure, "vera@canopy.example").get("/tenants").jsonPath().getList("tenantId")).isEmpty();
        assertProblem(as(azure, "vera@canopy.example").get("/tenants/" + TREY), 404, "not-found");
        assertThat(as(azure, "ops@canopy.example").get("/tenants/" + TREY).then().statusCode(200).extract()
                .jsonPath().getString("state")).isEqualTo("active");
        assertThat(io.restassured.RestAssured.given().get("/tenants").statusCode()).isEqualTo(401);
    }

    @Test
    void policyChangesNeedAnAdminOfTheTenantAndAKnownValue() {
        assertThat(as(azure, "alice@canopy.example").get("/subscriptions/" + RND + "/policy").then().statusCode(200)
                .extract().jsonPath().getString("policy")).isEqualTo("READ_WRITE_TAGS");

        assertProblem(withRoles(azure, "victor", List.of("viewer:" + TREY)).contentType(ContentType.JSON)
                .body(Map.of("policy", "NO_TAGS")).put("/subscriptions/" + RND + "/policy"), 403, "forbidden");
        assertProblem(withRoles(azure, "carl", List.of("admin:" + SampleWorld.CONTOSO_TENANT_ID))
                .contentType(ContentType.JSON).body(Map.of("policy", "NO_TAGS"))
                .put("/subscriptions/" + RND + "/policy"), 404, "not-found");

        Response unknown = as(azure, "alice@canopy.example").contentType(ContentType.JSON)
                .body(Map.of("policy", "WRITE_EVERYTHING")).put("/subscriptions/" + RND + "/policy");
        assertProblem(unknown, 400, "validation-failed");
        assertThat(unknown.jsonPath().getString("violations[0].field")).isEqualTo("policy");
        assertThat(unknown.jsonPath().getString("violations[0].rule")).isEqualTo("one-of");
        assertThat(unknown.jsonPath().getString("violations[0].message")).contains("READ_TAGS_ONLY");

        // Nothing changed and nothing was written to the outbox by the refused requests.
        assertThat(column("SELECT policy FROM subscription WHERE id = '" + RND + "'")).containsExactly("READ_WRITE_TAGS");
        assertThat(column("SELECT id FROM outbox_event")).isEmpty();
    }

    @Test
    void aPolicyPutAnswersOnlyAfterItsEventIsOnTheTopic() {
        // The relay's schedule is paused: only the PUT's own wait can have published the event.
        scheduler.pause(OutboxRelay.IDENTITY);
        Instant before = Instant.now();
        as(azure, "alice@canopy.example").contentType(ContentType.JSON).body(Map.of("policy", "READ_TAGS_ONLY"))
                .put("/subscriptions/" + RND + "/policy").then().statusCode(200);

        // Read up to the topic's end as of right after the answer: the event must already be there.
        List<ReceivedRecord> onTopic = kafka.readAll(CanopyTopic.SUBSCRIPTION_POLICIES.topicName(), WAIT).stream()
                .filter(r -> RND.equals(r.key()) && !r.isTombstone())
                .filter(r -> r.event(SubscriptionPolicyChanged.class).occurredAt().isAfter(before.minusMillis(1)))
                .toList();
        assertThat(onTopic).hasSize(1);
        SubscriptionPolicyChanged event = onTopic.get(0).event(SubscriptionPolicyChanged.class);
        assertThat(event.policy()).isEqualTo(SyncPolicy.READ_TAGS_ONLY);
        assertThat(event.previousPolicy()).isEqualTo(SyncPolicy.READ_WRITE_TAGS);
        assertThat(event.tenantId()).isEqualTo(TREY);
        assertThat(onTopic.get(0).headers()).containsEntry(CloudEventHeaders.SOURCE, "/canopy/consent-service")
                .containsEntry(CloudEventHeaders.ID, event.eventId().toString())
                .containsEntry(CloudEventHeaders.TYPE, "canopy.subscription.policy-changed");
        assertThat(column("SELECT count(*) FROM outbox_event WHERE published_at IS NULL")).containsExactly("0");
    }

    @Test
    void aCrashBetweenCommitAndPublishLosesNoEventAndDuplicatesNone() {
        scheduler.pause(OutboxRelay.IDENTITY);
        // The commit a policy change makes, and then the relay "dies" before it sends anything.
        List<UUID> ids = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        QuarkusTransaction.requiringNew().run(() -> {
            SyncPolicy previous = SyncPolicy.READ_WRITE_TAGS;
            for (int i = 0; i < ids.size(); i++) {
                SyncPolicy next = SyncPolicy.values()[i];
                outboxWriter.append(new SubscriptionPolicyChanged(ids.get(i), Instant.now(), TREY, RND, next,
                        previous, "test-admin"));
                previous = next;
            }
        });
        // A change that rolls back leaves no row and sends nothing.
        UUID rolledBack = UUID.randomUUID();
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                outboxWriter.append(new SubscriptionPolicyChanged(rolledBack, Instant.now(), TREY, RND,
                        SyncPolicy.NO_TAGS, null, "test-admin"));
                throw new IllegalStateException("the change failed");
            });
        } catch (IllegalStateException expected) {
            // the transaction rolled back
        }
        assertThat(column("SELECT id FROM outbox_event WHERE published_at IS NULL"))
                .containsExactlyInAnyOrderElementsOf(ids.stream().map(UUID::toString).toList());
        assertThat(eventIdsOnTopic()).doesNotContainAnyElementsOf(ids.stream().map(UUID::toString).toList());

        // The relay comes back (a restarted instance starts with exactly this: committed, unpublished rows).
        scheduler.resume(OutboxRelay.IDENTITY);
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(column("SELECT count(*) FROM outbox_event WHERE published_at IS NULL")).containsExactly("0"));
        // A further run finds nothing to send.
        assertThat(relay.publishPending()).isZero();

        List<ReceivedRecord> records = kafka.awaitRecords(CanopyTopic.SUBSCRIPTION_POLICIES.topicName(),
                r -> ids.contains(UUID.fromString(r.headers().get(CloudEventHeaders.ID))), ids.size(), WAIT);
        // A consumer deduplicating by event id sees each event once, in commit order.
        Map<String, Long> perEventId = records.stream()
                .collect(Collectors.groupingBy(r -> r.headers().get(CloudEventHeaders.ID), Collectors.counting()));
        assertThat(perEventId).hasSize(3).allSatisfy((id, count) -> assertThat(count).isEqualTo(1L));
        assertThat(records.stream().map(r -> UUID.fromString(r.headers().get(CloudEventHeaders.ID))).toList())
                .containsExactlyElementsOf(ids);
        assertThat(eventIdsOnTopic()).doesNotContain(rolledBack.toString());
    }

    @Test
    void offboardingStopsTheTenantOnceAndLeavesTheRoleAssignmentsToTheCustomer() {
        assertProblem(as(azure, "tom@canopy.example").delete("/tenants/" + TREY), 403, "forbidden");

        Response offboarded = as(azure, "alice@canopy.example").delete("/tenants/" + TREY);
        offboarded.then().statusCode(200);
        assertThat(offboarded.jsonPath().getString("state")).isEqualTo("offboarded");
        assertThat(offboarded.jsonPath().getList("subscriptionIds")).containsExactly(RND);
        assertThat(offboarded.jsonPath().getString("roleAssignments")).contains("customer's to remove");

        String eventId = column("SELECT id FROM outbox_event WHERE event_type = 'canopy.tenant.offboarded'").get(0);
        ReceivedRecord record = kafka.awaitRecord(CanopyTopic.TENANTS.topicName(),
                r -> eventId.equals(r.headers().get(CloudEventHeaders.ID)), WAIT);
        TenantOffboarded event = record.event(TenantOffboarded.class);
        assertThat(event.subscriptionIds()).containsExactly(RND);
        assertThat(as(azure, "alice@canopy.example").get("/tenants/" + TREY).jsonPath().getList("subscriptions.state"))
                .containsExactly("offboarded", "skipped");
        assertProblem(as(azure, "alice@canopy.example").contentType(ContentType.JSON)
                .body(Map.of("policy", "NO_TAGS")).put("/subscriptions/" + RND + "/policy"), 409, "conflict");

        // Offboarding again changes nothing and announces nothing.
        as(azure, "alice@canopy.example").delete("/tenants/" + TREY).then().statusCode(200);
        assertThat(column("SELECT count(*) FROM outbox_event WHERE event_type = 'canopy.tenant.offboarded'"))
                .containsExactly("1");
    }

    private List<String> eventIdsOnTopic() {
        return kafka.readAll(CanopyTopic.SUBSCRIPTION_POLICIES.topicName(), WAIT).stream()
                .map(r -> r.headers().get(CloudEventHeaders.ID)).toList();
    }

    static void assertProblem(Response response, int status, String kind) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.jsonPath().getString("type")).endsWith("/" + kind);
    }
}

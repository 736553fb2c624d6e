package dev.canopy.consent;

import static dev.canopy.consent.ConsentTestSupport.JWT;
import static dev.canopy.consent.ConsentTestSupport.as;
import static dev.canopy.consent.ConsentTestSupport.awaitSession;
import static dev.canopy.consent.ConsentTestSupport.column;
import static dev.canopy.consent.ConsentTestSupport.openSession;
import static dev.canopy.consent.PolicyAndTenantsTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.canopy.emulator.AzureEmulator;
import dev.canopy.emulator.server.RequestLog;
import dev.canopy.emulator.world.RoleAssignment;
import dev.canopy.emulator.world.SampleWorld;
import dev.canopy.emulator.world.ServicePrincipal;
import dev.canopy.emulator.world.WorldBuilder;
import dev.canopy.events.OnboardedSubscription;
import dev.canopy.events.SubscriptionPolicyChanged;
import dev.canopy.events.SubscriptionsAdded;
import dev.canopy.events.TenantOnboarded;
import dev.canopy.events.policy.SyncPolicy;
import dev.canopy.events.topic.CanopyTopic;
import dev.canopy.testsupport.azure.AzureEmulatorResource;
import dev.canopy.testsupport.azure.InjectAzureEmulator;
import dev.canopy.testsupport.db.PostgresDatabaseResource;
import dev.canopy.testsupport.kafka.EventTopicClient;
import dev.canopy.testsupport.kafka.KafkaBrokerResource;
import dev.canopy.testsupport.kafka.ReceivedRecord;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * Onboarding end to end: a platform admin opens a session, the customer's Azure admin consents in the emulator's
 * Entra ID (authorization code + PKCE through quarkus-oidc), and Canopy's service principal gets its roles on exactly
 * the subscriptions that admin owns.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PostgresDatabaseResource.class)
@WithTestResource(AzureEmulatorResource.class)
class ConsentFlowTest {

    private static final String TREY = SampleWorld.TREY_TENANT_ID;
    private static final String ALICE = "alice@canopy.example";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String TAG_CONTRIBUTOR = "4a9ae827-6dc8-4573-8ac7-8239d42aa03f";
    private static final String COST_READER = "72fafb9e-0641-4937-9268-a91bfd8191a3";
    private static final String OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";

    @InjectAzureEmulator
    AzureEmulator azure;

    private final EventTopicClient kafka = EventTopicClient.forTestKafka();
    private LogCapture logs;

    @BeforeEach
    void setUp() {
        ConsentTestSupport.cleanSlate(azure);
        logs = LogCapture.install();
    }

    @AfterEach
    void tearDown() {
        logs.close();
        kafka.close();
    }

    /** The sample admin owns R&D, Corporate and Finance and reads IT; without Finance it owns 2 of the 3 it sees. */
    private void adminOwnsTwoOfThree() {
        RoleAssignment financeOwner = azure.world().roleAssignments().stream()
                .filter(a -> a.scope().equalsIgnoreCase("/subscriptions/" + SampleWorld.SUB_FINANCE)
                        && a.principalId().equalsIgnoreCase(SampleWorld.DEMO_ADMIN_ID) && a.roleDefinitionId().equals(OWNER))
                .findFirst().orElseThrow();
        azure.world().deleteRoleAssignment(financeOwner.id());
    }

    private JsonPath onboard(String login, String password) {
        JsonPath session = openSession(azure, ALICE);
        Response back = new ConsentTestSupport.Browser(azure).consent(session.getString("consentUrl"), login, password);
        assertThat(back.statusCode()).as(back.asString()).isEqualTo(202);
        assertThat(back.jsonPath().getString("state")).isEqualTo("running");
        return awaitSession(azure, ALICE, session.getString("id"));
    }

    private String canopyPrincipal() {
        return azure.world().servicePrincipal(TREY, WorldBuilder.CANOPY_APP_ID).map(ServicePrincipal::objectId)
                .orElseThrow();
    }

    private Set<String> rolesOf(String principal, String subscriptionId) {
        return azure.world().roleAssignments().stream()
                .filter(a -> a.principalId().equalsIgnoreCase(principal)
                        && a.scope().equalsIgnoreCase("/subscriptions/" + subscriptionId))
                .peek(a -> assertThat(a.principalType()).isEqualTo("ServicePrincipal"))
                .map(RoleAssignment::roleDefinitionId).collect(Collectors.toSet());
    }

    private List<ReceivedRecord> recordsSince(CanopyTopic topic, Instant since) {
        return kafka.readAll(topic.topicName(), WAIT).stream()
                .filter(r -> !r.isTombstone() && r.event().occurredAt().isAfter(since)).toList();
    }

    @Test
    void anAdminWhoOwnsTwoOfThreeSubscriptionsOnboardsTheTwo() {
        adminOwnsTwoOfThree();
        Instant start = Instant.now();
        JsonPath result = onboard(SampleWorld.DEMO_ADMIN, SampleWorld.DEMO_ADMIN_PASSWORD);

        assertThat(result.getString("state")).isEqualTo("completed");
        assertThat(result.getString("tenantId")).isEqualTo(TREY);
        assertThat(result.getList("subscriptions.subscriptionId")).containsExactlyInAnyOrder(SampleWorld.SUB_RND,
                SampleWorld.SUB_CORPORATE, SampleWorld.SUB_IT);
        List<Object> outcomes = result.getList("subscriptions.findAll { it.outcome == 'assigned' }.subscriptionId");
        assertThat(outcomes).containsExactlyInAnyOrder(SampleWorld.SUB_RND, SampleWorld.SUB_CORPORATE);
        assertThat(result.getString("subscriptions.find { it.subscriptionId == '" + SampleWorld.SUB_IT + "' }.outcome"))
                .isEqualTo("skipped");
        assertThat(result.getString("subscriptions.find { it.subscriptionId == '" + SampleWorld.SUB_IT + "' }.reason"))
                .contains("not an Owner");

        // Both roles on the owned two, nothing anywhere else, and the partner link belongs to Canopy's principal.
        String principal = canopyPrincipal();
        assertThat(rolesOf(principal, SampleWorld.SUB_RND)).containsExactlyInAnyOrder(TAG_CONTRIBUTOR, COST_READER);
        assertThat(rolesOf(principal, SampleWorld.SUB_CORPORATE)).containsExactlyInAnyOrder(TAG_CONTRIBUTOR, COST_READER);
        assertThat(rolesOf(principal, SampleWorld.SUB_IT)).isEmpty();
        assertThat(rolesOf(principal, SampleWorld.SUB_FINANCE)).isEmpty();
        assertThat(azure.world().partnerLink(TREY, principal)).hasValueSatisfying(
                link -> assertThat(link.partnerId()).isEqualTo("1234567"));

        // TenantOnboarded keyed by the tenant, one policy event per onboarded subscription keyed by it.
        ReceivedRecord onboarded = kafka.awaitRecord(CanopyTopic.TENANTS.topicName(),
                r -> TREY.equals(r.key()) && "canopy.tenant.onboarded".equals(r.ceType())
                        && r.event().occurredAt().isAfter(start), WAIT);
        TenantOnboarded tenantEvent = onboarded.event(TenantOnboarded.class);
        assertThat(tenantEvent.servicePrincipalObjectId()).isEqualTo(principal);
        assertThat(tenantEvent.onboardedBy()).isEqualTo(SampleWorld.DEMO_ADMIN_ID);
        assertThat(tenantEvent.subscriptions()).extracting(OnboardedSubscription::subscriptionId)
                .containsExactlyInAnyOrder(SampleWorld.SUB_RND, SampleWorld.SUB_CORPORATE);
        assertThat(tenantEvent.subscriptions()).allMatch(OnboardedSubscription::costManagementReader);
        List<ReceivedRecord> policies = kafka.awaitRecords(CanopyTopic.SUBSCRIPTION_POLICIES.topicName(),
                r -> !r.isTombstone() && r.event().occurredAt().isAfter(start), 2, WAIT);
        assertThat(policies).extracting(ReceivedRecord::key)
                .containsExactlyInAnyOrder(SampleWorld.SUB_RND, SampleWorld.SUB_CORPORATE);
        assertThat(policies).allSatisfy(r -> assertThat(r.event(SubscriptionPolicyChanged.class).policy())
                .isEqualTo(SyncPolicy.READ_WRITE_TAGS));

        JsonPath tenant = as(azure, ALICE).get("/tenants/" + TREY).then().statusCode(200).extract().jsonPath();
        assertThat(tenant.getString("subscriptions.find { it.subscriptionId == '" + SampleWorld.SUB_IT + "' }.state"))
                .isEqualTo("skipped");
        assertThat(tenant.getList("subscriptions.findAll { it.state == 'active' }.policy"))
                .containsExactly("READ_WRITE_TAGS", "READ_WRITE_TAGS");

        assertOnlyRoleAssignmentsAndThePartnerLinkWereWritten();
        assertNoTokenInTablesLogsOrEvents();
    }

    @Test
    void onboardingAgainAssignsNothingTwiceAndAnnouncesNothingTwice() {
        adminOwnsTwoOfThree();
        Instant start = Instant.now();
        onboard(SampleWorld.DEMO_ADMIN, SampleWorld.DEMO_ADMIN_PASSWORD);
        await().atMost(WAIT).until(() -> column("SELECT id FROM outbox_event WHERE published_at IS NULL").isEmpty());
        int assignments = azure.world().roleAssignments().size();
        int tenantEvents = recordsSince(CanopyTopic.TENANTS, start).size();
        int policyEvents = recordsSince(CanopyTopic.SUBSCRIPTION_POLICIES, start).size();
        assertThat(tenantEvents).isEqualTo(1);
        assertThat(policyEvents).isEqualTo(2);

        JsonPath again = onboard(SampleWorld.DEMO_ADMIN, SampleWorld.DEMO_ADMIN_PASSWORD);

        assertThat(again.getString("state")).isEqualTo("completed");
        assertThat(again.getList("subscriptions.findAll { it.outcome == 'assigned' }")).hasSize(2);
        assertThat(azure.world().roleAssignments()).hasSize(assignments);
        assertThat(column("SELECT count(*) FROM outbox_event")).containsExactly("3");
        assertThat(recordsSince(CanopyTopic.TENANTS, start)).hasSize(tenantEvents);
        assertThat(recordsSince(CanopyTopic.SUBSCRIPTION_POLICIES, start)).hasSize(policyEvents);
    }

    @Test
    void aServicePrincipalNotYetReplicatedIsRetriedUntilItIs() {
        adminOwnsTwoOfThree();
        // Consent creates the principal; creating it first lets the test tell the emulator to lag behind for it.
        ServicePrincipal principal = azure.world().ensureServicePrincipal(TREY,
                azure.world().application(WorldBuilder.CANOPY_APP_ID).orElseThrow());
        azure.world().delayReplication(principal.objectId(), 3);

        JsonPath result = onboard(SampleWorld.DEMO_ADMIN, SampleWorld.DEMO_ADMIN_PASSWORD);

        assertThat(result.getList("subscriptions.findAll { it.outcome == 'assigned' }")).hasSize(2);
        List<RequestLog.Entry> creates = azure.requestLog().entries().stream()
                .filter(e -> "arm.roleassignments.create".equals(e.route())).toList();
        assertThat(creates).extracting(RequestLog.Entry::status).startsWith(400, 400, 400);
        assertThat(creates.stream().filter(e -> e.status() == 201).count()).isEqualTo(4);
        assertThat(rolesOf(principal.objectId(), SampleWorld.SUB_RND)).containsExactlyInAnyOrder(TAG_CONTRIBUTOR,
                COST_READER);
    }

    @Test
    void anAdminWhoOwnsNothingGetsAClearResultAndNoEvent() {
        JsonPath result = onboard(SampleWorld.TREY_VIEWER, SampleWorld.TREY_VIEWER_PASSWORD);

        assertThat(result.getString("state")).isEqualTo("completed");
        assertThat(result.getString("detail")).contains("nothing was onboarded").contains("not an Owner");
        assertThat(result.getList("subscriptions.outcome")).isNotEmpty().containsOnly("skipped");
        assertThat(column("SELECT id FROM tenant")).isEmpty();
        assertThat(column("SELECT id FROM outbox_event")).isEmpty();
        assertThat(azure.requestLog().entries()).noneMatch(e -> "arm.roleassignments.create".equals(e.route()));
    }

    @Test
    void aCancelledConsentFailsTheSessionClearly() {
        JsonPath session = openSession(azure, ALICE);
        ConsentTestSupport.Browser browser = new ConsentTestSupport.Browser(azure);
        URI cancelled = azure.browser().cancel(browser.toMicrosoft(session.getString("consentUrl")),
                SampleWorld.DEMO_ADMIN, SampleWorld.DEMO_ADMIN_PASSWORD);

        Response back = browser.back(cancelled);

        assertProblem(back, 400, "validation-failed");
        assertThat(back.jsonPath().getString("detail")).contains("consent was not given").contains("access_denied");
        JsonPath failed = as(azure, ALICE).get("/onboarding/sessions/" + session.getString("id")).jsonPath();
        assertThat(failed.getString("state")).isEqualTo("failed");
        assertThat(failed.getString("detail")).contains("access_denied");
        assertThat(column("SELECT id FROM outbox_event")).isEmpty();
    }

    @Test
    void aForgedTenantInTheCallbackIsIgnoredAndAForeignConsentIsRefused() {
        adminOwnsTwoOfThree();
        JsonPath session = openSession(azure, ALICE);
        ConsentTestSupport.Browser browser = new ConsentTestSupport.Browser(azure);
        URI redirect = azure.browser().consent(browser.toMicrosoft(session.getString("consentUrl")),
                SampleWorld.DEMO_ADMIN, SampleWorld.DEMO_ADMIN_PASSWORD);
        Response back = browser.back(URI.create(redirect + "&tenant=" + SampleWorld.CONTOSO_TENANT_ID));
        assertThat(back.statusCode()).isEqualTo(202);
        JsonPath result = awaitSession(azure, ALICE, session.getString("id"));
        assertThat(result.getString("tenantId")).isEqualTo(TREY);
        assertThat(column("SELECT id FROM tenant")).containsExactly(TREY);

        // alice only views Contoso: a consent from Contoso's admin cannot land in her session.
        azure.requestLog().clear();
        JsonPath foreign = openSession(azure, ALICE);
        Response refused = new ConsentTestSupport.Browser(azure).consent(foreign.getString("consentUrl"),
                SampleWorld.CONTOSO_ADMIN, SampleWorld.CONTOSO_ADMIN_PASSWORD);
        assertProblem(refused, 403, "forbidden");
        assertThat(as(azure, ALICE).get("/onboarding/sessions/" + foreign.getString("id")).jsonPath()
                .getString("state")).isEqualTo("failed");
        assertThat(azure.requestLog().entries()).noneMatch(e -> e.route() != null && e.route().startsWith("arm."));
    }

    @Test
    void moreSubscriptionsComeWithANewConsentAndSubscriptionsAdded() {
        adminOwnsTwoOfThree();
        onboard(SampleWorld.DEMO_ADMIN, SampleWorld.DEMO_ADMIN_PASSWORD);
        // Later the admin becomes Owner of IT as well.
        azure.world().putRoleAssignment(new RoleAssignment("0f8fad5b-d9cb-469f-a165-70867728950e",
                "/subscriptions/" + SampleWorld.SUB_IT, OWNER, SampleWorld.DEMO_ADMIN_ID, "User", null, Instant.now(),
                "test"));
        Instant start = Instant.now();

        assertProblem(as(azure, "tom@canopy.example").post("/tenants/" + TREY + "/subscriptions"), 403, "forbidden");
        JsonPath session = as(azure, ALICE).post("/tenants/" + TREY + "/subscriptions").then().statusCode(201)
                .extract().jsonPath();
        Response back = new ConsentTestSupport.Browser(azure).consent(session.getString("consentUrl"),
                SampleWorld.DEMO_ADMIN, SampleWorld.DEMO_ADMIN_PASSWORD);
        assertThat(back.statusCode()).isEqualTo(202);
        JsonPath result = awaitSession(azure, ALICE, session.getString("id"));

        assertThat(result.getString("kind")).isEqualTo("add-subscriptions");
        assertThat(result.getList("subscriptions.findAll { it.outcome == 'assigned' }")).hasSize(3);
        ReceivedRecord added = kafka.awaitRecord(CanopyTopic.TENANTS.topicName(),
                r -> TREY.equals(r.key()) && "canopy.tenant.subscriptions-added".equals(r.ceType())
                        && r.event().occurredAt().isAfter(start), WAIT);
        assertThat(added.event(SubscriptionsAdded.class).subscriptions()).extracting(OnboardedSubscription::subscriptionId)
                .containsExactly(SampleWorld.SUB_IT);
        List<ReceivedRecord> policies = kafka.awaitRecords(CanopyTopic.SUBSCRIPTION_POLICIES.topicName(),
                r -> !r.isTombstone() && r.event().occurredAt().isAfter(start), 1, WAIT);
        assertThat(policies).extracting(ReceivedRecord::key).containsExactly(SampleWorld.SUB_IT);
        assertThat(rolesOf(canopyPrincipal(), SampleWorld.SUB_IT)).containsExactlyInAnyOrder(TAG_CONTRIBUTOR,
                COST_READER);
    }

    private void assertOnlyRoleAssignmentsAndThePartnerLinkWereWritten() {
        List<RequestLog.Entry> armWrites = azure.requestLog().entries().stream()
                .filter(e -> e.route() != null && e.route().startsWith("arm.") && !"GET".equals(e.method()))
                .toList();
        assertThat(armWrites).isNotEmpty().allSatisfy(e -> assertThat(e.route())
                .isIn("arm.roleassignments.create", "arm.partner.put"));
        assertThat(armWrites).filteredOn(e -> "arm.partner.put".equals(e.route()))
                .singleElement().satisfies(e -> assertThat(e.principal()).isEqualTo(canopyPrincipal()));
        assertThat(armWrites).filteredOn(e -> "arm.roleassignments.create".equals(e.route()))
                .hasSize(4).allSatisfy(e -> assertThat(e.principal()).isEqualTo(SampleWorld.DEMO_ADMIN_ID));
        // Everything else the emulator saw was a read or Entra ID's token and sign-in endpoints.
        assertThat(azure.requestLog().entries()).allSatisfy(e -> assertThat(
                "GET".equals(e.method()) || (e.route() != null && (e.route().startsWith("entra.")
                        || e.route().equals("arm.roleassignments.create") || e.route().equals("arm.partner.put"))))
                .as(e.method() + " " + e.target()).isTrue());
    }

    private void assertNoTokenInTablesLogsOrEvents() {
        await().atMost(WAIT).until(() -> column("SELECT id FROM outbox_event WHERE published_at IS NULL").isEmpty());
        assertThat(ConsentTestSupport.allTextInTables()).isNotEmpty().noneMatch(v -> JWT.matcher(v).find());
        assertThat(logs.lines()).isNotEmpty().noneMatch(line -> JWT.matcher(line).find());
        for (CanopyTopic topic : List.of(CanopyTopic.TENANTS, CanopyTopic.SUBSCRIPTION_POLICIES)) {
            assertThat(kafka.readAll(topic.topicName(), WAIT)).isNotEmpty().noneMatch(r ->
                    (r.value() != null && JWT.matcher(new String(r.value(), StandardCharsets.UTF_8)).find())
                            || r.headers().values().stream().anyMatch(h -> h != null && JWT.matcher(h).find()));
        }
    }
}

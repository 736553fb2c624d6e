package dev.canopy.consent;

import static dev.canopy.consent.ConsentTestSupport.as;
import static dev.canopy.consent.ConsentTestSupport.awaitSession;
import static dev.canopy.consent.ConsentTestSupport.column;
import static dev.canopy.consent.ConsentTestSupport.openSession;
import static dev.canopy.consent.ConsentTestSupport.sql;
import static dev.canopy.consent.ConsentTestSupport.withRoles;
import static dev.canopy.consent.PolicyAndTenantsTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.canopy.consent.service.OnboardingService;
import dev.canopy.emulator.AzureEmulator;
import dev.canopy.emulator.world.SampleWorld;
import dev.canopy.platform.problem.ProblemException;
import dev.canopy.testsupport.azure.AzureEmulatorResource;
import dev.canopy.testsupport.azure.InjectAzureEmulator;
import dev.canopy.testsupport.db.PostgresDatabaseResource;
import dev.canopy.testsupport.kafka.KafkaBrokerResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** What an attacker, or a careless caller, might try against onboarding and the policy API. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PostgresDatabaseResource.class)
@WithTestResource(AzureEmulatorResource.class)
class ConsentAdversarialTest {

    private static final String TREY = SampleWorld.TREY_TENANT_ID;
    private static final String CONTOSO = SampleWorld.CONTOSO_TENANT_ID;
    private static final String ALICE = "alice@canopy.example";

    @InjectAzureEmulator
    AzureEmulator azure;

    @Inject
    OnboardingService onboarding;

    @BeforeEach
    void cleanSlate() {
        ConsentTestSupport.cleanSlate(azure);
    }

    @Test
    void aSubscriptionThatMovedInFromAnotherTenantBelongsToTheConsentingTenantAfterwards() {
        // R&D was onboarded under Contoso once; it has since moved to Trey's directory, whose Owner consents now.
        sql("INSERT INTO tenant VALUES ('" + CONTOSO + "', 'contoso-sp', 'active', 'contoso-admin', now(), null)");
        sql("INSERT INTO subscription VALUES ('" + SampleWorld.SUB_RND + "', '" + CONTOSO + "', 'R&D', 'active', "
                + "null, 'READ_TAGS_ONLY', true, now())");

        JsonPath session = openSession(azure, ALICE);
        Response back = new ConsentTestSupport.Browser(azure).consent(session.getString("consentUrl"),
                SampleWorld.DEMO_ADMIN, SampleWorld.DEMO_ADMIN_PASSWORD);
        assertThat(back.statusCode()).as(back.asString()).isEqualTo(202);
        awaitSession(azure, ALICE, session.getString("id"));

        assertThat(column("SELECT tenant_id || ' ' || state || ' ' || policy FROM subscription WHERE id = '"
                + SampleWorld.SUB_RND + "'")).containsExactly(TREY + " active READ_WRITE_TAGS");
        assertThat(column("SELECT payload->>'tenantId' FROM outbox_event WHERE kafka_key = '" + SampleWorld.SUB_RND
                + "'")).containsExactly(TREY);
        // Contoso's admins no longer see or steer it.
        assertProblem(withRoles(azure, "carl", List.of("admin:" + CONTOSO))
                .get("/subscriptions/" + SampleWorld.SUB_RND + "/policy"), 404, "not-found");
    }

    @Test
    void twoCallbacksRacingForOneSessionStartOnlyOneRun() throws Exception {
        UUID session = UUID.fromString(openSession(azure, ALICE).getString("id"));
        CountDownLatch go = new CountDownLatch(1);
        Callable<String> callback = () -> {
            go.await();
            try {
                return onboarding.consented(session, TREY, URI.create("http://localhost/")).state();
            } catch (ProblemException e) {
                return "refused " + e.problem().status();
            }
        };
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<String> first = threads.submit(callback);
            Future<String> second = threads.submit(callback);
            go.countDown();
            assertThat(List.of(first.get(20, TimeUnit.SECONDS), second.get(20, TimeUnit.SECONDS)))
                    .containsExactlyInAnyOrder("running", "refused 409");
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void sessionsAndConsentLegsGiveNothingAwayAndRefuseMisuse() {
        String session = openSession(azure, ALICE).getString("id");

        // Another platform user (here a viewer of another tenant) cannot see the session; a malformed id is just not found.
        assertProblem(as(azure, "vera@canopy.example").get("/onboarding/sessions/" + session), 404, "not-found");
        assertProblem(as(azure, ALICE).get("/onboarding/sessions/not-a-uuid"), 404, "not-found");
        assertProblem(RestAssured.given().get("/onboarding/consent/" + UUID.randomUUID()), 404, "not-found");
        // Opening a session needs the admin role somewhere; a viewer is refused.
        assertProblem(withRoles(azure, "victor", List.of("viewer:" + TREY)).post("/onboarding/sessions"), 403,
                "forbidden");
        // The browser legs without a session cookie say so.
        Response noCookie = RestAssured.given().get("/onboarding/consent-failed?error=access_denied");
        assertProblem(noCookie, 400, "validation-failed");
        // A session that failed takes no further consent.
        assertProblem(RestAssured.given().cookie("canopy_onboarding", session)
                .get("/onboarding/consent-failed?error=access_denied"), 400, "validation-failed");
        assertProblem(RestAssured.given().redirects().follow(false).get("/onboarding/consent/" + session), 409,
                "conflict");
        assertThat(column("SELECT state FROM onboarding_session")).containsExactly("failed");
    }

    @Test
    void malformedPolicyBodiesAnswerProblemsAndChangeNothing() {
        sql("INSERT INTO tenant VALUES ('" + TREY + "', 'sp', 'active', 'admin-oid', now(), null)");
        sql("INSERT INTO subscription VALUES ('" + SampleWorld.SUB_RND + "', '" + TREY + "', 'R&D', 'active', null, "
                + "'READ_WRITE_TAGS', true, now())");
        String path = "/subscriptions/" + SampleWorld.SUB_RND + "/policy";

        assertProblem(as(azure, ALICE).contentType(ContentType.JSON).body("{not json").put(path), 400,
                "validation-failed");
        assertProblem(as(azure, ALICE).contentType(ContentType.JSON).body("{\"policy\": [1]}").put(path), 400,
                "validation-failed");
        Response lowerCase = as(azure, ALICE).contentType(ContentType.JSON).body("{\"policy\": \"no_tags\"}").put(path);
        assertProblem(lowerCase, 400, "validation-failed");
        assertThat(lowerCase.jsonPath().getString("violations[0].field")).isEqualTo("policy");
        assertProblem(as(azure, ALICE).contentType(ContentType.JSON).body("{}").put(path), 400, "validation-failed");
        assertProblem(as(azure, ALICE).contentType(ContentType.JSON).body("{\"policy\":\"NO_TAGS\"}")
                .put("/subscriptions/not-a-subscription/policy"), 404, "not-found");

        assertThat(column("SELECT policy FROM subscription")).containsExactly("READ_WRITE_TAGS");
        assertThat(column("SELECT id FROM outbox_event")).isEmpty();
    }
}

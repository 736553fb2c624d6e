package dev.canopy.consent;

import static dev.canopy.consent.ConsentTestSupport.as;
import static dev.canopy.consent.PolicyAndTenantsTest.assertProblem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.canopy.emulator.AzureEmulator;
import dev.canopy.emulator.world.SampleWorld;
import dev.canopy.testsupport.azure.AzureEmulatorResource;
import dev.canopy.testsupport.azure.InjectAzureEmulator;
import dev.canopy.testsupport.db.PostgresDatabaseResource;
import dev.canopy.testsupport.kafka.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** Malformed JSON is a 400 on every endpoint, those that take no body included; the OpenAPI document tells the truth. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PostgresDatabaseResource.class)
@WithTestResource(AzureEmulatorResource.class)
class ConsentInputTest {

    private static final String TREY = SampleWorld.TREY_TENANT_ID;
    private static final String ALICE = "alice@canopy.example";

    @InjectAzureEmulator
    AzureEmulator azure;

    @BeforeEach
    void cleanSlate() {
        ConsentTestSupport.cleanSlate(azure);
    }

    @Test
    void malformedJsonIsA400EvenWhereNoBodyIsNeeded() {
        assertUnreadable(as(azure, ALICE).contentType(ContentType.JSON).body("{").post("/onboarding/sessions"));
        assertUnreadable(as(azure, ALICE).contentType(ContentType.JSON).body("{")
                .post("/tenants/" + TREY + "/subscriptions"));
        assertUnreadable(as(azure, ALICE).contentType(ContentType.JSON).body("{\"policy\":")
                .put("/subscriptions/" + SampleWorld.SUB_RND + "/policy"));
        assertUnreadable(as(azure, ALICE).contentType(ContentType.JSON).body("{").delete("/tenants/" + TREY));
        assertThat(ConsentTestSupport.column("SELECT count(*) FROM onboarding_session")).containsExactly("0");

        // No body, an empty one, or well-formed JSON: the session opens as before.
        as(azure, ALICE).post("/onboarding/sessions").then().statusCode(201);
        as(azure, ALICE).contentType(ContentType.JSON).post("/onboarding/sessions").then().statusCode(201);
        as(azure, ALICE).contentType(ContentType.JSON).body("{}").post("/onboarding/sessions").then().statusCode(201);
    }

    @Test
    void theOpenApiDocumentSaysWhatTheApiAnswers() {
        JsonPath doc = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract()
                .jsonPath();
        Map<String, Object> open = doc.getMap("paths.'/onboarding/sessions'.post.responses");
        assertThat(open).containsOnlyKeys("201", "400", "401", "403");
        assertThat(doc.getMap("paths.'/onboarding/sessions/{sessionId}'.get.responses"))
                .containsOnlyKeys("200", "401", "404");
        assertThat(doc.getMap("paths.'/tenants/{tenantId}/subscriptions'.post.responses"))
                .containsOnlyKeys("201", "400", "401", "403", "404", "409");
        assertThat(doc.getMap("paths.'/subscriptions/{subscriptionId}/policy'.put.responses"))
                .containsOnlyKeys("200", "400", "401", "403", "404", "409");
        assertThat(doc.getMap("paths.'/tenants/{tenantId}'.delete.responses"))
                .containsOnlyKeys("200", "400", "401", "403", "404");
        assertThat(doc.getString("paths.'/onboarding/sessions'.post.responses.'400'.'$ref'"))
                .isEqualTo("#/components/responses/Invalid");
        assertThat(doc.getMap("components.responses.Invalid.content")).containsOnlyKeys("application/problem+json");
    }

    private static void assertUnreadable(Response response) {
        assertProblem(response, 400, "validation-failed");
        assertThat(response.jsonPath().getString("violations[0].rule")).isEqualTo("ReadableJson");
    }
}

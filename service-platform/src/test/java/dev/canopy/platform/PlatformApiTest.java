package dev.canopy.platform;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.canopy.emulator.AzureEmulator;
import dev.canopy.emulator.world.SampleWorld;
import dev.canopy.testsupport.azure.AzureEmulatorResource;
import dev.canopy.testsupport.azure.InjectAzureEmulator;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * The shared API behaviour, with real platform tokens from the emulator's issuer: authentication, per-tenant
 * access (404 for a foreign tenant, 403 for a missing role) and problem+json for every failure.
 */
@QuarkusTest
@WithTestResource(AzureEmulatorResource.class)
class PlatformApiTest {

    private static final String TREY = SampleWorld.TREY_TENANT_ID;
    private static final String CONTOSO = SampleWorld.CONTOSO_TENANT_ID;
    private static final String UNKNOWN = "11111111-2222-4333-8444-555555555555";

    @InjectAzureEmulator
    AzureEmulator azure;

    @Test
    void noTokenOrAForeignTokenIsRejected() {
        given().when().get("/probe/tenants/" + TREY).then().statusCode(401);
        // An ARM token from the emulator's Entra ID: a real, signed token, but not one for Canopy's API.
        String armToken = azure.tokens().userToken(SampleWorld.DEMO_ADMIN);
        given().auth().oauth2(armToken).when().get("/probe/tenants/" + TREY).then().statusCode(401);
    }

    @Test
    void aTenantTheCallerHasNoRoleInIsNotFoundNotForbidden() {
        Response response = as("alice@canopy.example").get("/probe/tenants/" + UNKNOWN);

        assertProblem(response, 404, "not-found");
        // The same answer as for a tenant that does not exist at all: nothing tells the two apart.
        Response foreign = asRoles("mallory", List.of("admin:" + CONTOSO)).get("/probe/tenants/" + TREY);
        assertProblem(foreign, 404, "not-found");
        assertThat(foreign.jsonPath().getString("detail")).isEqualTo(response.jsonPath().getString("detail")
                .replace(UNKNOWN, TREY));
    }

    @Test
    void aRoleTooLowInAVisibleTenantIsForbidden() {
        as("alice@canopy.example").put("/probe/tenants/" + TREY + "/policy").then().statusCode(204);

        Response viewerOfContoso = as("alice@canopy.example").put("/probe/tenants/" + CONTOSO + "/policy");
        assertProblem(viewerOfContoso, 403, "forbidden");
        // The tenant is named once, plainly: not "in the tenant of tenant …".
        assertThat(viewerOfContoso.jsonPath().getString("detail"))
                .isEqualTo("this needs the 'admin' role in tenant " + CONTOSO);
    }

    @Test
    void opsReadsEveryTenantAndChangesNone() {
        as("ops@canopy.example").get("/probe/tenants/" + CONTOSO).then().statusCode(200);
        as("ops@canopy.example").get("/probe/tenants/" + UNKNOWN).then().statusCode(200);

        assertProblem(as("ops@canopy.example").put("/probe/tenants/" + TREY + "/policy"), 403, "forbidden");
    }

    @Test
    void everyBrokenRuleOfABodyIsListedWithItsField() {
        Response response = as("alice@canopy.example").contentType(ContentType.JSON)
                .body(Map.of("name", " ", "mode", "MERGE", "tags", Map.of("a", "toolongvalue", "b", "1", "c", "2")))
                .post("/probe/bodies");

        assertProblem(response, 400, "validation-failed");
        List<Map<String, String>> violations = response.jsonPath().getList("violations");
        assertThat(violations).extracting(v -> v.get("field") + " " + v.get("rule")).containsExactlyInAnyOrder(
                "name NotBlank", "tags Size", "tags['a'] Size");
    }

    @Test
    void unreadableBodiesNameTheFieldWithoutJavaInternals() {
        Response badEnum = as("alice@canopy.example").contentType(ContentType.JSON)
                .body("{\"name\":\"x\",\"mode\":\"APPEND\"}").post("/probe/bodies");
        assertProblem(badEnum, 400, "validation-failed");
        assertThat(badEnum.jsonPath().getString("violations[0].field")).isEqualTo("mode");
        assertThat(badEnum.asString()).doesNotContain("dev.canopy").doesNotContain("ProbeResource");

        Response notJson = as("alice@canopy.example").contentType(ContentType.JSON).body("{not json")
                .post("/probe/bodies");
        assertProblem(notJson, 400, "validation-failed");
    }

    @Test
    void aQueryParameterGivenTwiceIsNamedNotAnsweredWithItsFirstValue() {
        Response twice = as("alice@canopy.example").queryParam("sort", "a", "b", "c").queryParam("page", "1")
                .queryParam("mode", "MERGE", "REPLACE").get("/probe/tenants/" + TREY);

        assertProblem(twice, 400, "validation-failed");
        List<Map<String, String>> violations = twice.jsonPath().getList("violations");
        assertThat(violations).extracting(v -> v.get("field") + " " + v.get("rule"))
                .containsExactly("mode SingleValued", "sort SingleValued"); // by name, not as sent
        assertThat(twice.jsonPath().getString("detail")).contains("mode was given more than once (2 times: 'MERGE', "
                + "'REPLACE'); give it once");
        // Authentication still comes first; one value each is the endpoint's business as before.
        given().queryParam("mode", "a", "b").get("/probe/tenants/" + TREY).then().statusCode(401);
        as("alice@canopy.example").queryParam("mode", "MERGE").get("/probe/tenants/" + TREY).then().statusCode(200);
    }

    @Test
    void domainProblemsKeepTheirStatus() {
        assertProblem(as("alice@canopy.example").get("/probe/conflict"), 409, "conflict");
    }

    @Test
    void unexpectedFailuresAnswer500WithACorrelationIdAndNoInternals() {
        Response response = as("alice@canopy.example").get("/probe/boom");

        assertProblem(response, 500, "internal-error");
        assertThat(response.jsonPath().getString("correlationId")).matches("[0-9a-f-]{36}");
        assertThat(response.asString()).doesNotContain("secret internals").doesNotContain("IllegalStateException");
    }

    private io.restassured.specification.RequestSpecification as(String platformUser) {
        return given().auth().oauth2(azure.tokens().platformToken(platformUser)).when();
    }

    private io.restassured.specification.RequestSpecification asRoles(String name, List<String> roles) {
        return given().auth().oauth2(azure.tokens().platformToken(name, roles, Duration.ofMinutes(10))).when();
    }

    private static void assertProblem(Response response, int status, String kind) {
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        JsonPath body = response.jsonPath();
        assertThat(body.getInt("status")).isEqualTo(status);
        assertThat(body.getString("type")).isEqualTo("https://canopy.dev/problems/" + kind);
        assertThat(body.getString("title")).isNotBlank();
    }
}

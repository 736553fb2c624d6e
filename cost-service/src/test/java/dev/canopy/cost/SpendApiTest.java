package dev.canopy.cost;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.canopy.emulator.world.SampleWorld;
import dev.canopy.testsupport.azure.AzureEmulatorResource;
import dev.canopy.testsupport.db.PostgresDatabaseResource;
import dev.canopy.testsupport.kafka.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * The spend API's edges with real platform tokens: authentication, per-tenant access (404 for a tenant the caller
 * has no role in, ops across tenants) and one problem+json 400 naming every broken parameter rule.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PostgresDatabaseResource.class)
@WithTestResource(AzureEmulatorResource.class)
class SpendApiTest extends CostTestBase {

    private final String tenant = UUID.randomUUID().toString();
    private final Map<String, String> valid = Map.of("tenant", tenant, "from", "2026-10-01", "to", "2026-10-31",
            "groupBy", "service");

    @Test
    void everyCallNeedsAPlatformToken() {
        given().queryParams(valid).get("/spend").then().statusCode(401);
        given().queryParams(valid).get("/spend/unallocated").then().statusCode(401);
        // A real, signed token of the emulator's Entra ID, but for ARM, not for Canopy's API.
        given().auth().oauth2(azure.tokens().userToken(SampleWorld.DEMO_ADMIN))
                .queryParams(valid).get("/spend").then().statusCode(401);
    }

    @Test
    void aTenantTheCallerHasNoRoleInIsNotFound() {
        String other = token("mallory@cost.test", "admin:" + UUID.randomUUID());

        Response foreign = get("/spend", other, valid);
        assertProblem(foreign, 404, "not-found");
        assertThat(foreign.jsonPath().getString("detail")).isEqualTo("tenant " + tenant + " was not found");
        assertProblem(get("/spend/unallocated", other, with("tagKey", "CostCenter")), 404, "not-found");
        assertProblem(get("/spend", token("nobody@cost.test"), valid), 404, "not-found");
    }

    @Test
    void everyRoleInTheTenantReadsAndOpsReadsEveryTenant() {
        for (String role : List.of("viewer", "tag-editor", "admin")) {
            JsonPath answer = get("/spend", token(role + "@cost.test", role + ":" + tenant.toUpperCase()), valid)
                    .then().statusCode(200).extract().jsonPath();
            assertThat(answer.getString("tenant")).isEqualTo(tenant);
            assertThat(answer.getList("groups")).isEmpty();
        }
        get("/spend", token("ops@cost.test", "ops"), valid).then().statusCode(200);
        get("/spend/unallocated", token("ops@cost.test", "ops"), with("tagKey", "env")).then().statusCode(200);
    }

    @Test
    void missingParametersAreListedTogether() {
        Response response = get("/spend", viewerOf(tenant), Map.of());

        assertProblem(response, 400, "validation-failed");
        assertThat(violations(response)).containsExactlyInAnyOrder("tenant Required", "from Required",
                "to Required", "groupBy Required");
    }

    @Test
    void eachBrokenRuleNamesItsFieldAndRule() {
        assertViolation(with("from", "2026-13-01"), "from IsoDate");
        assertViolation(with("to", "31.10.2026"), "to IsoDate");
        assertViolation(with("from", "2026-11-01"), "from FromNotAfterTo");
        assertViolation(with("from", "2025-10-30"), "to MaxRange");
        assertViolation(with("costType", "NET"), "costType OneOf");
        assertViolation(with("groupBy", "meter"), "groupBy OneOf");
        assertViolation(with("groupBy", "service:x"), "groupBy OneOf");
        assertViolation(with("groupBy", "tag"), "groupBy OneOf");
        assertViolation(with("groupBy", "tag: "), "groupBy TagKeyRequired");
        assertViolation(with("groupBy", "tag:" + "k".repeat(513)), "groupBy TagKeyLength");
        Response unallocated = get("/spend/unallocated", viewerOf(tenant), valid);
        assertProblem(unallocated, 400, "validation-failed");
        assertThat(violations(unallocated)).containsExactly("tagKey TagKeyRequired");
    }

    @Test
    void theLimitsThemselvesAreAccepted() {
        // 366 days, both ends included; cost type in any case; a dimension name in any case.
        JsonPath answer = get("/spend", viewerOf(tenant), with("from", "2025-10-31", "costType", "amortized",
                "groupBy", "RESOURCEGROUP")).then().statusCode(200).extract().jsonPath();

        assertThat(answer.getString("costType")).isEqualTo("AMORTIZED");
        assertThat(answer.getString("groupBy")).isEqualTo("resourceGroup");
        get("/spend", viewerOf(tenant), with("groupBy", "tag:" + "k".repeat(512))).then().statusCode(200);
    }

    private Map<String, String> with(String... overrides) {
        Map<String, String> parameters = new HashMap<>(valid);
        for (int i = 0; i < overrides.length; i += 2) {
            parameters.put(overrides[i], overrides[i + 1]);
        }
        return parameters;
    }

    private void assertViolation(Map<String, String> parameters, String fieldAndRule) {
        Response response = get("/spend", viewerOf(tenant), parameters);
        assertProblem(response, 400, "validation-failed");
        assertThat(violations(response)).as(parameters.toString()).containsExactly(fieldAndRule);
        assertThat(response.jsonPath().getString("violations[0].message")).isNotBlank();
    }
}

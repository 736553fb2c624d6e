package dev.canopy.cost;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.canopy.testsupport.azure.AzureEmulatorResource;
import dev.canopy.testsupport.db.PostgresDatabaseResource;
import dev.canopy.testsupport.kafka.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The imports API's edges with real platform tokens: authentication, {@code admin} to import and any role to read,
 * another tenant's imports answering 404, parameters checked first, and CSV bodies only. The file is the sample
 * without rows, which names no subscription, so every tenant may import it.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PostgresDatabaseResource.class)
@WithTestResource(AzureEmulatorResource.class)
class ImportApiTest extends CostTestBase {

    private static final ExportFile NO_ROWS = ExportFile.sample("EA_NoRows.csv");

    private final String tenant = UUID.randomUUID().toString();

    @Test
    void everyCallNeedsAPlatformToken() {
        given().contentType("text/csv").body(NO_ROWS.bytes).queryParam("tenant", tenant)
                .queryParam("costType", "ACTUAL").post("/imports").then().statusCode(401);
        given().queryParam("tenant", tenant).get("/imports").then().statusCode(401);
        given().get("/imports/" + UUID.randomUUID()).then().statusCode(401);
    }

    @Test
    void onlyAnAdminOfTheTenantImports() {
        for (String role : List.of("viewer", "tag-editor")) {
            Response response = postImport(tenant, "ACTUAL", NO_ROWS, token(role + "@cost.test", role + ":" + tenant));
            assertProblem(response, 403, "forbidden");
            assertThat(response.jsonPath().getString("detail")).contains("'admin'");
        }
        // ops reads every tenant and changes none.
        assertProblem(postImport(tenant, "ACTUAL", NO_ROWS, token("ops@cost.test", "ops")), 403, "forbidden");
        // An admin of another tenant does not learn that this one exists.
        Response foreign = postImport(tenant, "ACTUAL", NO_ROWS, adminOf(UUID.randomUUID().toString()));
        assertProblem(foreign, 404, "not-found");
        assertThat(foreign.jsonPath().getString("detail")).isEqualTo("tenant " + tenant + " was not found");
        assertThat(get("/imports", viewerOf(tenant), Map.of("tenant", tenant)).jsonPath().getList("imports"))
                .isEmpty();
    }

    @Test
    void anyRoleOfTheTenantReadsItsImportsAndNobodyElse() {
        String id = importFile(tenant.toUpperCase(), "ACTUAL", NO_ROWS).getString("id");
        String other = UUID.randomUUID().toString();
        importFile(other, "ACTUAL", NO_ROWS);

        for (String role : List.of("viewer", "tag-editor", "admin")) {
            String token = token(role + "@cost.test", role + ":" + tenant);
            assertThat(get("/imports/" + id, token, Map.of()).then().statusCode(200).extract().jsonPath()
                    .getString("tenant")).isEqualTo(tenant);
            assertThat(get("/imports", token, Map.of("tenant", tenant)).then().statusCode(200).extract().jsonPath()
                    .getList("imports.id")).containsExactly(id);
        }
        get("/imports/" + id, token("ops@cost.test", "ops"), Map.of()).then().statusCode(200);

        String stranger = adminOf(other);
        Response foreign = get("/imports/" + id, stranger, Map.of());
        assertProblem(foreign, 404, "not-found");
        assertThat(foreign.jsonPath().getString("detail")).isEqualTo("import " + id + " was not found");
        assertProblem(get("/imports", stranger, Map.of("tenant", tenant)), 404, "not-found");
        assertProblem(get("/imports/" + UUID.randomUUID(), stranger, Map.of()), 404, "not-found");
        assertProblem(get("/imports/not-an-id", stranger, Map.of()), 404, "not-found");
    }

    @Test
    void parametersAreCheckedBeforeAnythingElse() {
        Response missing = given().auth().oauth2(adminOf(tenant)).contentType("text/csv").body(NO_ROWS.bytes)
                .queryParam("costType", "NET").post("/imports");
        assertProblem(missing, 400, "validation-failed");
        assertThat(violations(missing)).containsExactly("tenant Required", "costType OneOf");

        Response limit = get("/imports", viewerOf(tenant), Map.of("tenant", tenant, "limit", "0"));
        assertProblem(limit, 400, "validation-failed");
        assertThat(violations(limit)).containsExactly("limit Range");
        get("/imports", viewerOf(tenant), Map.of("tenant", tenant, "limit", "1000")).then().statusCode(200);
    }

    @Test
    void theBodyIsCsvOrBytes() {
        given().auth().oauth2(adminOf(tenant)).contentType("application/octet-stream").body(NO_ROWS.bytes)
                .queryParam("tenant", tenant).queryParam("costType", "ACTUAL").post("/imports")
                .then().statusCode(201);
        Response json = given().auth().oauth2(adminOf(tenant)).contentType("application/json").body("{}")
                .queryParam("tenant", tenant).queryParam("costType", "ACTUAL").post("/imports");
        assertProblem(json, 415, "unsupported-media-type");
    }
}

package dev.canopy.emulator;

import dev.canopy.emulator.entra.TokenService;
import dev.canopy.emulator.world.SampleWorld;
import dev.canopy.emulator.world.ServicePrincipal;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** ARM refuses what Azure refuses: tokens (401 in ARM's shape) and actions outside the caller's roles (403). */
class ArmStrictnessTest extends ArmTestBase {

    static final String RESOURCES = "/subscriptions/" + RND + "/resources?" + RES;

    private static void assertArm401(EmulatorClient.Reply reply, String code) {
        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.errorCode()).isEqualTo(code);
        assertThat(reply.json().path("error").path("message").asText()).isNotBlank();
        assertThat(reply.header("WWW-Authenticate")).startsWith("Bearer authorization_uri=");
        assertThat(reply.header("x-ms-request-id")).isNotBlank();
    }

    @Test
    void noExpiredForeignAudienceOrForeignTenantTokenIsAccepted() {
        assertArm401(client.get(RESOURCES, null), "AuthenticationFailed");
        assertArm401(client.get(RESOURCES, "not-a-jwt"), "InvalidAuthenticationToken");

        String expired = emulator.tokens().userToken(SampleWorld.DEMO_ADMIN, TokenService.ARM_AUDIENCE, Duration.ofSeconds(-1));
        assertArm401(client.get(RESOURCES, expired), "ExpiredAuthenticationToken");

        String graph = emulator.tokens().userToken(SampleWorld.DEMO_ADMIN, "https://graph.microsoft.com", Duration.ofHours(1));
        EmulatorClient.Reply wrongAudience = client.get(RESOURCES, graph);
        assertArm401(wrongAudience, "InvalidAuthenticationToken");
        assertThat(wrongAudience.json().path("error").path("message").asText()).contains("wrong audience");

        String contoso = emulator.tokens().userToken(SampleWorld.CONTOSO_ADMIN);
        assertArm401(client.get(RESOURCES, contoso), "InvalidAuthenticationTokenTenant");

        String platform = emulator.tokens().platformToken("alice@canopy.example");
        assertArm401(client.get(RESOURCES, platform), "InvalidAuthenticationToken");

        // The clock moves on: a token valid now expires when the emulator's time passes its exp.
        String valid = admin();
        assertThat(client.get(RESOURCES, valid).status()).isEqualTo(200);
        emulator.clock().advance(Duration.ofMinutes(91));
        assertArm401(client.get(RESOURCES, valid), "ExpiredAuthenticationToken");
    }

    @Test
    void tagContributorReadsAndTagsButCannotReadCostOrWriteAnythingElse() {
        Fixtures.canopyWithRole(emulator.world(), TREY, RND, Fixtures.TAG_CONTRIBUTOR);
        String sp = emulator.tokens().appToken(TREY);
        assertThat(client.get(RESOURCES, sp).status()).isEqualTo(200);
        assertThat(client.get("/subscriptions/" + RND + "/resourcegroups?" + RES, sp).status()).isEqualTo(200);

        EmulatorClient.Reply cost = client.send("POST", "/subscriptions/" + RND + "/providers/Microsoft.CostManagement/query?" + COST,
                sp, Map.of("type", "ActualCost", "timeframe", "Custom",
                        "timePeriod", Map.of("from", "2024-09-01T00:00:00Z", "to", "2024-09-30T00:00:00Z"),
                        "dataset", Map.of("granularity", "Daily")));
        assertThat(cost.status()).isEqualTo(403);
        assertThat(cost.errorCode()).isEqualTo("AuthorizationFailed");
        assertThat(cost.json().path("error").path("message").asText()).contains("Microsoft.CostManagement/query/read")
                .contains("/subscriptions/" + RND);

        EmulatorClient.Reply assign = client.send("PUT", "/subscriptions/" + RND
                + "/providers/Microsoft.Authorization/roleAssignments/" + java.util.UUID.randomUUID() + "?" + AUTHZ, sp,
                Map.of("properties", Map.of("roleDefinitionId", "/providers/Microsoft.Authorization/roleDefinitions/" + Fixtures.TAG_CONTRIBUTOR,
                        "principalId", SampleWorld.DEMO_ADMIN_ID, "principalType", "User")));
        assertThat(assign.status()).isEqualTo(403);
        assertThat(assign.errorCode()).isEqualTo("AuthorizationFailed");

        String resourceId = emulator.world().resources(RND).get(0).id();
        EmulatorClient.Reply tag = client.send("PATCH", resourceId + "/providers/Microsoft.Resources/tags/default?api-version=2025-04-01",
                sp, Map.of("operation", "Merge", "properties", Map.of("tags", Map.of("canopy", "yes"))));
        assertThat(tag.status()).isEqualTo(200);
        assertThat(tag.json().path("properties").path("tags").path("canopy").asText()).isEqualTo("yes");
    }

    @Test
    void costManagementReaderReadsCostButNotTags() {
        ServicePrincipal sp = Fixtures.canopyWithRole(emulator.world(), TREY, RND, Fixtures.COST_READER);
        String token = emulator.tokens().appToken(TREY);
        EmulatorClient.Reply cost = client.send("POST", "/subscriptions/" + RND + "/providers/Microsoft.CostManagement/query?" + COST,
                token, Map.of("type", "ActualCost", "timeframe", "Custom",
                        "timePeriod", Map.of("from", "2024-09-01T00:00:00Z", "to", "2024-09-30T00:00:00Z"),
                        "dataset", Map.of("granularity", "None")));
        assertThat(cost.status()).isEqualTo(200);
        String resourceId = emulator.world().resources(RND).get(0).id();
        EmulatorClient.Reply tag = client.send("PATCH", resourceId + "/providers/Microsoft.Resources/tags/default?api-version=2025-04-01",
                token, Map.of("operation", "Merge", "properties", Map.of("tags", Map.of("canopy", "yes"))));
        assertThat(tag.status()).isEqualTo(403);
        assertThat(client.get("/subscriptions/" + SampleWorld.SUB_FINANCE + "/resources?" + RES, token).status()).isEqualTo(403);
        assertThat(emulator.requestLog().entries()).anyMatch(e -> sp.objectId().equals(e.principal()) && e.status() == 403);
    }

    @Test
    void aReaderCannotWriteTagsAndApiVersionsAreChecked() {
        String viewer = emulator.tokens().userToken(SampleWorld.TREY_VIEWER);
        String resourceId = emulator.world().resources(RND).get(0).id();
        EmulatorClient.Reply tag = client.send("PUT", resourceId + "/providers/Microsoft.Resources/tags/default?api-version=2025-04-01",
                viewer, Map.of("properties", Map.of("tags", Map.of("a", "b"))));
        assertThat(tag.status()).isEqualTo(403);
        assertThat(client.get("/subscriptions/" + RND + "/resources", admin()).errorCode()).isEqualTo("MissingApiVersionParameter");
        assertThat(client.get("/subscriptions/" + RND + "/resources?api-version=1999-01-01", admin()).errorCode())
                .isEqualTo("InvalidApiVersionParameter");
        assertThat(client.get("/subscriptions/00000000-0000-0000-0000-000000000000/resources?" + RES, admin()).errorCode())
                .isEqualTo("SubscriptionNotFound");
    }
}

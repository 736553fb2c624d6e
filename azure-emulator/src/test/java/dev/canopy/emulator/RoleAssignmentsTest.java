package dev.canopy.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.canopy.emulator.arm.Rbac;
import dev.canopy.emulator.world.SampleWorld;
import dev.canopy.emulator.world.ServicePrincipal;
import dev.canopy.emulator.world.WorldBuilder;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Role assignments (filters, create rules) and role definitions. */
class RoleAssignmentsTest extends ArmTestBase {

    static String assignments(String sub) {
        return "/subscriptions/" + sub + "/providers/Microsoft.Authorization/roleAssignments";
    }

    static Map<String, Object> body(String role, String principal, String type) {
        return Map.of("properties", Map.of("roleDefinitionId", "/subscriptions/" + RND
                + "/providers/Microsoft.Authorization/roleDefinitions/" + role, "principalId", principal, "principalType", type));
    }

    @Test
    void assignedToAndAtScopeFindTheOwnerAssignmentsOfTheAdmin() {
        String filter = "?" + AUTHZ + "&$filter=" + java.net.URLEncoder.encode("atScope() and assignedTo('"
                + SampleWorld.DEMO_ADMIN_ID + "')", java.nio.charset.StandardCharsets.UTF_8);
        JsonNode owned = client.get(assignments(RND) + filter, admin()).json().path("value");
        assertThat(owned.size()).isEqualTo(1);
        assertThat(owned.get(0).path("properties").path("roleDefinitionId").asText()).endsWith("/" + Rbac.OWNER);
        assertThat(owned.get(0).path("properties").path("scope").asText()).isEqualTo("/subscriptions/" + RND);

        // The viewer is in the FinOps group: assignedTo includes the group's Cost Management Reader, principalId eq does not.
        String viewer = WorldBuilder.stableId("user|" + SampleWorld.TREY_VIEWER);
        JsonNode inherited = client.get(assignments(RND) + "?" + AUTHZ + "&$filter=assignedTo('" + viewer + "')", admin()).json().path("value");
        assertThat(inherited.size()).isEqualTo(2);
        JsonNode direct = client.get(assignments(RND) + "?" + AUTHZ + "&$filter=principalId%20eq%20'" + viewer + "'", admin()).json().path("value");
        assertThat(direct.size()).isEqualTo(1);
    }

    @Test
    void anOwnerAssignsTagContributorOnceAndDuplicatesConflict() {
        ServicePrincipal sp = emulator.world().ensureServicePrincipal(TREY,
                emulator.world().application(WorldBuilder.CANOPY_APP_ID).orElseThrow());
        String name = UUID.randomUUID().toString();
        EmulatorClient.Reply created = client.send("PUT", assignments(RND) + "/" + name + "?" + AUTHZ, admin(),
                body(Rbac.TAG_CONTRIBUTOR, sp.objectId(), "ServicePrincipal"));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().path("properties").path("scope").asText()).isEqualTo("/subscriptions/" + RND);
        assertThat(created.json().path("id").asText()).isEqualTo("/subscriptions/" + RND
                + "/providers/Microsoft.Authorization/roleAssignments/" + name);
        assertThat(client.send("PUT", assignments(RND) + "/" + name + "?" + AUTHZ, admin(),
                body(Rbac.TAG_CONTRIBUTOR, sp.objectId(), "ServicePrincipal")).status()).isEqualTo(200);
        EmulatorClient.Reply duplicate = client.send("PUT", assignments(RND) + "/" + UUID.randomUUID() + "?" + AUTHZ, admin(),
                body(Rbac.TAG_CONTRIBUTOR, sp.objectId(), "ServicePrincipal"));
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.errorCode()).isEqualTo("RoleAssignmentExists");
        assertThat(duplicate.json().path("error").path("message").asText()).contains(name.replace("-", ""));
        // The new assignment takes effect: the service principal can now list resources.
        assertThat(client.get("/subscriptions/" + RND + "/resources?" + RES, emulator.tokens().appToken(TREY)).status()).isEqualTo(200);
    }

    @Test
    void unknownPrincipalsNeedPrincipalTypeAndOnlyOwnersMayAssign() {
        String unknown = UUID.randomUUID().toString();
        EmulatorClient.Reply notFound = client.send("PUT", assignments(RND) + "/" + UUID.randomUUID() + "?" + AUTHZ, admin(),
                body(Rbac.TAG_CONTRIBUTOR, unknown, "User"));
        assertThat(notFound.status()).isEqualTo(400);
        assertThat(notFound.errorCode()).isEqualTo("PrincipalNotFound");
        assertThat(client.send("PUT", assignments(RND) + "/" + UUID.randomUUID() + "?" + AUTHZ, admin(),
                body(Rbac.TAG_CONTRIBUTOR, unknown, "ServicePrincipal")).status()).isEqualTo(201);

        // The admin only reads SUB_IT.
        EmulatorClient.Reply reader = client.send("PUT", assignments(SampleWorld.SUB_IT) + "/" + UUID.randomUUID() + "?" + AUTHZ,
                admin(), body(Rbac.TAG_CONTRIBUTOR, unknown, "ServicePrincipal"));
        assertThat(reader.status()).isEqualTo(403);
        assertThat(reader.errorCode()).isEqualTo("AuthorizationFailed");
        assertThat(client.send("PUT", assignments(RND) + "/not-a-guid?" + AUTHZ, admin(),
                body(Rbac.TAG_CONTRIBUTOR, unknown, "ServicePrincipal")).errorCode()).isEqualTo("InvalidRoleAssignmentId");
        assertThat(client.send("PUT", assignments(RND) + "/" + UUID.randomUUID() + "?" + AUTHZ, admin(),
                body(UUID.randomUUID().toString(), unknown, "ServicePrincipal")).errorCode()).isEqualTo("RoleDefinitionDoesNotExist");
    }

    @Test
    void aDelayedReplicationAnswersPrincipalNotFoundForTheGivenNumberOfWrites() {
        ServicePrincipal sp = emulator.world().ensureServicePrincipal(TREY,
                emulator.world().application(WorldBuilder.CANOPY_APP_ID).orElseThrow());
        emulator.world().delayReplication(sp.objectId(), 2);
        String name = UUID.randomUUID().toString();
        for (int attempt = 0; attempt < 2; attempt++) {
            EmulatorClient.Reply early = client.send("PUT", assignments(RND) + "/" + name + "?" + AUTHZ, admin(),
                    body(Rbac.TAG_CONTRIBUTOR, sp.objectId(), "ServicePrincipal"));
            assertThat(early.status()).isEqualTo(400);
            assertThat(early.errorCode()).isEqualTo("PrincipalNotFound");
        }
        assertThat(client.send("PUT", assignments(RND) + "/" + name + "?" + AUTHZ, admin(),
                body(Rbac.TAG_CONTRIBUTOR, sp.objectId(), "ServicePrincipal")).status()).isEqualTo(201);
    }

    @Test
    void roleDefinitionsComeFromTheBuiltInRoles() {
        JsonNode tc = client.get("/subscriptions/" + RND + "/providers/Microsoft.Authorization/roleDefinitions/"
                + Rbac.TAG_CONTRIBUTOR + "?" + AUTHZ, admin()).json();
        assertThat(tc.path("properties").path("roleName").asText()).isEqualTo("Tag Contributor");
        assertThat(tc.path("properties").path("permissions").get(0).path("actions").toString()).contains("Microsoft.Resources/tags/*");
        assertThat(tc.path("id").asText()).isEqualTo("/subscriptions/" + RND + "/providers/Microsoft.Authorization/roleDefinitions/"
                + Rbac.TAG_CONTRIBUTOR);
        JsonNode byName = client.get("/subscriptions/" + RND + "/providers/Microsoft.Authorization/roleDefinitions?" + AUTHZ
                + "&$filter=roleName%20eq%20'Cost%20Management%20Reader'", admin()).json().path("value");
        assertThat(byName.size()).isEqualTo(1);
        assertThat(byName.get(0).path("name").asText()).isEqualTo(Rbac.COST_MANAGEMENT_READER);
    }
}

package dev.canopy.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.canopy.emulator.world.Resource;
import dev.canopy.emulator.world.SampleWorld;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Subscriptions, resource groups and resources: visibility by role, filters, $expand, nextLink paging. */
class ResourcesTest extends ArmTestBase {

    @Test
    void theDemoAdminSeesOnlySubscriptionsWithARoleInItsOwnTenant() {
        JsonNode subs = client.get("/subscriptions?api-version=2022-12-01", admin()).json().path("value");
        List<String> ids = new ArrayList<>();
        subs.forEach(s -> ids.add(s.path("subscriptionId").asText()));
        assertThat(ids).containsExactlyInAnyOrder(SampleWorld.SUB_RND, SampleWorld.SUB_CORPORATE, SampleWorld.SUB_FINANCE,
                SampleWorld.SUB_IT);
        assertThat(subs.get(0).path("tenantId").asText()).isEqualTo(TREY);
        assertThat(subs.get(0).path("state").asText()).isEqualTo("Enabled");
    }

    @Test
    void resourcesArePagedByNextLinkAndEveryPageHonoursTheFilter() {
        int total = emulator.world().resources(RND).size();
        assertThat(total).isGreaterThan(10);
        List<String> seen = new ArrayList<>();
        String next = "/subscriptions/" + RND + "/resources?" + RES + "&$top=3&$expand=createdTime,changedTime";
        int pages = 0;
        while (next != null) {
            EmulatorClient.Reply page = client.get(next, admin());
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.header("x-ms-ratelimit-remaining-subscription-reads")).isNotNull();
            JsonNode body = page.json();
            assertThat(body.path("value").size()).isLessThanOrEqualTo(3);
            body.path("value").forEach(r -> {
                seen.add(r.path("id").asText());
                assertThat(r.has("createdTime")).isTrue();
                assertThat(r.has("tags")).isTrue();
            });
            next = body.hasNonNull("nextLink") ? body.path("nextLink").asText() : null;
            if (next != null) {
                assertThat(next).contains("%24skiptoken=").contains("%24top=3").startsWith(emulator.baseUrl());
            }
            pages++;
        }
        assertThat(pages).isEqualTo((total + 2) / 3);
        assertThat(seen).doesNotHaveDuplicates().hasSize(total);
    }

    @Test
    void filtersByTypeAndByTagWithoutReturningTags() {
        JsonNode storage = client.get("/subscriptions/" + RND + "/resources?" + RES
                + "&$filter=resourceType%20eq%20'microsoft.storage/storageaccounts'&$top=1000", admin()).json();
        long expected = emulator.world().resources(RND).stream()
                .filter(r -> r.type().equalsIgnoreCase("Microsoft.Storage/storageAccounts")).count();
        assertThat(storage.path("value").size()).isEqualTo((int) expected).isPositive();

        JsonNode tagged = client.get("/subscriptions/" + RND + "/resources?" + RES
                + "&$filter=tagName%20eq%20'ENV'%20and%20tagValue%20eq%20'prod'&$top=1000", admin()).json();
        long prod = emulator.world().resources(RND).stream().filter(r -> "prod".equals(r.tags().get("env"))).count();
        assertThat(tagged.path("value").size()).isEqualTo((int) prod).isPositive();
        tagged.path("value").forEach(r -> assertThat(r.has("tags")).isFalse());

        assertThat(client.get("/subscriptions/" + RND + "/resources?" + RES + "&$filter=bogus", admin()).status()).isEqualTo(400);
    }

    @Test
    void resourceGroupsShowTagsAbsentUntilTaggedAndFollowTheRecordedShape() {
        JsonNode groups = client.get("/subscriptions/" + RND + "/resourcegroups?" + RES + "&$top=100", admin()).json().path("value");
        JsonNode first = groups.get(0);
        assertThat(first.path("type").asText()).isEqualTo("Microsoft.Resources/resourceGroups");
        assertThat(first.path("properties").path("provisioningState").asText()).isEqualTo("Succeeded");
        assertThat(first.has("tags")).isFalse();
        String rg = first.path("id").asText();
        client.send("PATCH", rg + "/providers/Microsoft.Resources/tags/default?api-version=2025-04-01", admin(),
                java.util.Map.of("operation", "Merge", "properties", java.util.Map.of("tags", java.util.Map.of("a", "1"))));
        client.send("DELETE", rg + "/providers/Microsoft.Resources/tags/default?api-version=2025-04-01", admin(), null);
        JsonNode again = client.get(rg + "?" + RES, admin()).json();
        assertThat(again.path("tags").isObject()).isTrue();
        assertThat(again.path("tags").size()).isZero();
    }

    @Test
    void aPrincipalScopedToOneGroupSeesOnlyThatGroupsResources() {
        Resource one = emulator.world().resources(RND).get(0);
        String rgScope = one.id().substring(0, one.id().toLowerCase().indexOf("/providers/"));
        var sp = emulator.world().ensureServicePrincipal(TREY, emulator.world().application(dev.canopy.emulator.world.WorldBuilder.CANOPY_APP_ID).orElseThrow());
        Fixtures.grant(emulator.world(), rgScope, Fixtures.TAG_CONTRIBUTOR, sp.objectId(), "ServicePrincipal");
        JsonNode list = client.get("/subscriptions/" + RND + "/resources?" + RES + "&$top=1000", emulator.tokens().appToken(TREY)).json();
        assertThat(list.path("value").size()).isPositive();
        list.path("value").forEach(r -> assertThat(r.path("id").asText().toLowerCase()).startsWith(rgScope.toLowerCase() + "/"));
    }

    @Test
    void everyResourceAndResourceGroupOfTheSampleWorldHasALocationAsInAzure() {
        // One EA sample row names no location for its key vault; ARM never answers without one.
        for (String subscription : List.of(RND, SampleWorld.SUB_CORPORATE, SampleWorld.SUB_FINANCE)) {
            JsonNode groups = client.get("/subscriptions/" + subscription + "/resourcegroups?" + RES + "&$top=1000",
                    admin()).json().path("value");
            JsonNode resources = client.get("/subscriptions/" + subscription + "/resources?" + RES + "&$top=1000",
                    admin()).json().path("value");
            assertThat(groups.size() + resources.size()).isPositive();
            groups.forEach(g -> assertThat(g.path("location").asText()).as(g.path("id").asText()).isNotBlank());
            resources.forEach(r -> assertThat(r.path("location").asText()).as(r.path("id").asText()).isNotBlank());
        }
    }
}

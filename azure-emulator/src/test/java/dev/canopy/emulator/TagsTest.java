package dev.canopy.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.canopy.emulator.world.Resource;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The Tags API: Azure's merge / replace / delete semantics and tag rules at resource, group and subscription scope. */
class TagsTest extends ArmTestBase {

    static final String TAGS = "/providers/Microsoft.Resources/tags/default?api-version=2025-04-01";

    private static EmulatorClient.Reply patch(String scope, String op, Map<String, String> tags) {
        return client.send("PATCH", scope + TAGS, admin(), Map.of("operation", op, "properties", Map.of("tags", tags)));
    }

    private static Resource resource(String id, Map<String, String> tags) {
        Instant now = Instant.now();
        return emulator.world().putResource(new Resource(id, "westeurope", tags, null, null, null, null, now, now));
    }

    @Test
    void mergeKeepsTheExistingSpellingReplaceSwapsDeleteRemoves() {
        String id = "/subscriptions/" + RND + "/resourceGroups/tags-rg/providers/Microsoft.Compute/virtualMachines/vm1";
        Map<String, String> initial = new LinkedHashMap<>();
        initial.put("Env", "prod");
        initial.put("owner", "alice");
        resource(id, initial);
        Map<String, String> change = new LinkedHashMap<>();
        change.put("ENV", "dev");
        change.put("team", "x");
        JsonNode merged = patch(id, "Merge", change).json();
        assertThat(merged.path("id").asText()).isEqualTo(id + "/providers/Microsoft.Resources/tags/default");
        assertThat(merged.path("properties").path("tags").toString()).isEqualTo("{\"Env\":\"dev\",\"owner\":\"alice\",\"team\":\"x\"}");

        JsonNode deleted = patch(id, "Delete", Map.of("OWNER", "")).json();
        assertThat(deleted.path("properties").path("tags").toString()).isEqualTo("{\"Env\":\"dev\",\"team\":\"x\"}");

        JsonNode replaced = patch(id, "Replace", Map.of("only", "1")).json();
        assertThat(replaced.path("properties").path("tags").toString()).isEqualTo("{\"only\":\"1\"}");
        assertThat(emulator.world().resource(id).orElseThrow().tags()).containsExactly(Map.entry("only", "1"));

        // The Azure SDK sends tag paths with a double slash.
        JsonNode got = client.get("/" + id + TAGS, admin()).json();
        assertThat(got.path("properties").path("tags").path("only").asText()).isEqualTo("1");
    }

    @Test
    void tagRulesAnswer400WithAzuresCodes() {
        String id = "/subscriptions/" + RND + "/resourceGroups/tags-rg/providers/Microsoft.Compute/virtualMachines/vm2";
        Map<String, String> fifty = new LinkedHashMap<>();
        for (int i = 0; i < 50; i++) {
            fifty.put("k" + i, "v");
        }
        resource(id, fifty);
        EmulatorClient.Reply tooMany = patch(id, "Merge", Map.of("k50", "v"));
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.errorCode()).isEqualTo("InvalidTags");
        assertThat(patch(id, "Merge", Map.of("k1", "changed")).status()).isEqualTo(200);

        EmulatorClient.Reply badChar = patch(id, "Replace", Map.of("a/b", "v"));
        assertThat(badChar.status()).isEqualTo(400);
        assertThat(badChar.errorCode()).isEqualTo("InvalidTagNameCharacters");

        String zone = "/subscriptions/" + RND + "/resourceGroups/tags-rg/providers/Microsoft.Network/dnszones/example.org";
        Map<String, String> fifteen = new LinkedHashMap<>();
        for (int i = 0; i < 15; i++) {
            fifteen.put("z" + i, "v");
        }
        resource(zone, fifteen);
        EmulatorClient.Reply sixteenth = patch(zone, "Merge", Map.of("z15", "v"));
        assertThat(sixteenth.status()).isEqualTo(400);
        assertThat(sixteenth.errorCode()).isEqualTo("InvalidTags");
        assertThat(emulator.world().resource(zone).orElseThrow().tags()).hasSize(15);

        EmulatorClient.Reply badOp = patch(id, "Upsert", Map.of("a", "b"));
        assertThat(badOp.status()).isEqualTo(400);
    }

    @Test
    void aResourceTypeWithoutTagSupportRefusesEveryTagWrite() {
        String subnet = "/subscriptions/" + RND + "/resourceGroups/tags-rg/providers/Microsoft.Network/virtualNetworks/"
                + "hub/subnets/default";
        resource(subnet, Map.of());

        for (EmulatorClient.Reply refused : new EmulatorClient.Reply[]{patch(subnet, "Merge", Map.of("env", "prod")),
                patch(subnet, "Replace", Map.of()), client.send("PUT", subnet + TAGS, admin(),
                        Map.of("properties", Map.of("tags", Map.of("env", "prod"))))}) {
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.errorCode()).isEqualTo("TagsNotSupported");
        }
        assertThat(emulator.world().resource(subnet).orElseThrow().tags()).isEmpty();
    }

    @Test
    void subscriptionAndGroupScopesAndWritesCountAgainstTheWritesBucket() {
        emulator.limits().configure(dev.canopy.emulator.limits.LimitSettings.azure());
        EmulatorClient.Reply sub = client.send("PUT", "/subscriptions/" + RND + TAGS, admin(),
                Map.of("properties", Map.of("tags", Map.of("costcenter", "42"))));
        assertThat(sub.status()).isEqualTo(200);
        assertThat(sub.header("x-ms-ratelimit-remaining-subscription-writes")).isEqualTo("199");
        assertThat(emulator.world().subscription(RND).orElseThrow().tags()).containsEntry("costcenter", "42");
        String rg = "/subscriptions/" + RND + "/resourcegroups/" + emulator.world().resourceGroups(RND).get(0).name();
        assertThat(patch(rg, "Merge", Map.of("x", "y")).json().path("id").asText())
                .isEqualTo(emulator.world().resourceGroups(RND).get(0).id() + "/providers/Microsoft.Resources/tags/default");
        assertThat(client.get("/subscriptions/" + RND + "/resourceGroups/missing" + TAGS, admin()).errorCode())
                .isEqualTo("ResourceGroupNotFound");
    }
}

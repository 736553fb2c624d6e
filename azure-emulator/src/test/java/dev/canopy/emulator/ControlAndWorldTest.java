package dev.canopy.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.canopy.emulator.world.SampleWorld;
import dev.canopy.emulator.world.SyntheticWorld;
import dev.canopy.emulator.world.WorldFiles;
import dev.canopy.emulator.world.WorldSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The control endpoints and the worlds (samples, JSON files, synthetic generator). */
class ControlAndWorldTest extends ArmTestBase {

    @Test
    void portalChangesShowThroughArmAndTheLogRecordsCalls() {
        String id = "/subscriptions/" + RND + "/resourceGroups/portal-rg/providers/Microsoft.Web/sites/portal-app";
        EmulatorClient.Reply created = client.send("PUT", "/_emulator/resources", null,
                Map.of("id", id, "location", "westeurope", "tags", Map.of("env", "dev")));
        assertThat(created.status()).isEqualTo(201);
        assertThat(client.send("PUT", "/_emulator/tags?scope=" + id, null, Map.of("tags", Map.of("env", "prod"))).status()).isEqualTo(200);
        JsonNode tags = client.get(id + "/providers/Microsoft.Resources/tags/default?api-version=2025-04-01", admin()).json();
        assertThat(tags.path("properties").path("tags").toString()).isEqualTo("{\"env\":\"prod\"}");
        assertThat(client.send("PUT", "/_emulator/tags?scope=" + id, null, Map.of("tags", Map.of("a?b", "x"))).status()).isEqualTo(400);

        assertThat(client.send("DELETE", "/_emulator/resources?id=" + id, null, null).status()).isEqualTo(204);
        assertThat(emulator.world().resource(id)).isEmpty();

        JsonNode log = client.get("/_emulator/requests", null).json();
        assertThat(log).anySatisfy(e -> {
            assertThat(e.path("method").asText()).isEqualTo("GET");
            assertThat(e.path("path").asText()).contains("/providers/Microsoft.Resources/tags/default");
            assertThat(e.path("principal").asText()).isEqualTo(SampleWorld.DEMO_ADMIN_ID);
            assertThat(e.path("status").asInt()).isEqualTo(200);
        });
    }

    @Test
    void platformTokensAreMintedForSampleUsersOrAnyoneWithRoles() {
        assertThat(client.send("POST", "/_emulator/tokens/platform", null,
                Map.of("username", "alice@canopy.example")).status()).isEqualTo(200);
        assertThat(client.send("POST", "/_emulator/tokens/platform", null,
                Map.of("username", "nobody@nowhere.example", "roles", List.of("ops"))).status()).isEqualTo(200);
        EmulatorClient.Reply unknown = client.send("POST", "/_emulator/tokens/platform", null,
                Map.of("username", "nobody@nowhere.example"));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body()).contains("UnknownPlatformUser", "nobody@nowhere.example", "alice@canopy.example",
                "ops@canopy.example", "give roles");
    }

    @Test
    void limitsFaultsAndResetAreSwitchableOverHttp() {
        assertThat(client.send("PUT", "/_emulator/faults", null,
                List.of(Map.of("route", "arm.subscriptions.list", "errorRate", 1.0, "errorStatus", 500))).status()).isEqualTo(204);
        assertThat(client.get("/subscriptions?api-version=2022-12-01", admin()).status()).isEqualTo(500);
        assertThat(client.send("DELETE", "/_emulator/faults", null, null).status()).isEqualTo(204);
        assertThat(client.get("/subscriptions?api-version=2022-12-01", admin()).status()).isEqualTo(200);

        assertThat(client.send("PUT", "/_emulator/limits", null, Map.ofEntries(Map.entry("enabled", true),
                Map.entry("readCapacity", 1), Map.entry("readRefillPerSecond", 0.01), Map.entry("writeCapacity", 1),
                Map.entry("writeRefillPerSecond", 0.01), Map.entry("deleteCapacity", 1), Map.entry("deleteRefillPerSecond", 0.01),
                Map.entry("costPer10Seconds", 12), Map.entry("costPerMinute", 60), Map.entry("costPerHour", 600),
                Map.entry("costPerScopePerMinute", 4))).status()).isEqualTo(204);
        String rgs = "/subscriptions/" + RND + "/resourcegroups?" + RES;
        assertThat(client.get(rgs, admin()).status()).isEqualTo(200);
        assertThat(client.get(rgs, admin()).status()).isEqualTo(429);

        client.send("PUT", "/_emulator/tags?scope=/subscriptions/" + RND, null, Map.of("tags", Map.of("x", "y")));
        assertThat(client.send("POST", "/_emulator/reset", null, null).status()).isEqualTo(204);
        assertThat(emulator.world().subscription(RND).orElseThrow().tags()).isEmpty();
        // Only the reset call itself is logged after the reset.
        assertThat(emulator.requestLog().entries()).extracting(e -> e.route()).containsExactly("control.reset");
    }

    @Test
    void theSampleWorldHoldsTheRealSampleData() {
        WorldSpec spec = SampleWorld.build();
        assertThat(spec.subscriptions()).extracting(s -> s.subscriptionId()).contains(SampleWorld.SUB_RND,
                SampleWorld.SUB_IT, SampleWorld.SUB_CORPORATE, SampleWorld.SUB_FINANCE, SampleWorld.SUB_COST_RESEARCH);
        assertThat(spec.subscriptions()).filteredOn(s -> s.subscriptionId().equals(SampleWorld.SUB_RND))
                .extracting(s -> s.displayName()).containsExactly("Trey Research R&D Playground");
        // The FOCUS rows' messy tag key " org" (leading space) survives.
        assertThat(spec.resources()).anyMatch(r -> r.tags().containsKey(" org"));
        assertThat(spec.costs()).extracting(c -> c.costType()).contains("ActualCost", "AmortizedCost");
        assertThat(spec.costs()).extracting(c -> c.currency()).contains("USD", "EUR");
        assertThat(spec.resources()).allMatch(r -> r.id().startsWith("/subscriptions/"));
    }

    @Test
    void worldsRoundTripThroughJsonAndTheGeneratorIsSeeded(@TempDir Path dir) {
        WorldSpec synthetic = SyntheticWorld.generate(SyntheticWorld.Parameters.small());
        // Compared with a boolean: a failing record comparison would print the whole world.
        assertThat(synthetic.equals(SyntheticWorld.generate(SyntheticWorld.Parameters.small()))).isTrue();
        assertThat(synthetic.subscriptions()).hasSize(4);
        assertThat(synthetic.resources()).hasSize(80);
        Path file = dir.resolve("world.json");
        WorldFiles.write(synthetic, file);
        assertThat(WorldFiles.read(file).equals(synthetic)).isTrue();

        try (AzureEmulator other = AzureEmulator.start(EmulatorOptions.defaults().withWorld(WorldFiles.read(file)))) {
            String tenant = synthetic.tenants().get(1).tenantId();
            String sub = synthetic.subscriptions().get(0).subscriptionId();
            // Pre-consented: Canopy's service principal already reads resources in every synthetic tenant.
            EmulatorClient c = new EmulatorClient(other);
            assertThat(c.get("/subscriptions/" + sub + "/resources?" + RES, other.tokens().appToken(tenant)).json()
                    .path("value").size()).isEqualTo(20);
        }
    }
}

package dev.canopy.emulator;

import dev.canopy.emulator.faults.FaultRule;
import dev.canopy.emulator.faults.FaultRule.AsyncTagWrites;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Fault injection per route: 5xx share (deterministic by seed), latency, dropped connections, failing async tag writes. */
class FaultsTest extends ArmTestBase {

    static final String LIST = "/subscriptions/" + RND + "/resources?" + RES;

    private static List<Integer> statuses(int n) {
        List<Integer> result = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            result.add(client.get(LIST, admin()).status());
        }
        return result;
    }

    @Test
    void aShareOfRequestsFailsAndTheSameSeedGivesTheSameSequence() {
        emulator.faults().add(new FaultRule("arm.resources.*", 0.5, 503, 0, 0, null));
        List<Integer> first = statuses(40);
        assertThat(first).contains(200, 503);
        assertThat(first.stream().filter(s -> s == 503).count()).isBetween(8L, 32L);
        emulator.faults().clear();
        emulator.faults().add(new FaultRule("arm.resources.*", 0.5, 503, 0, 0, null));
        assertThat(statuses(40)).isEqualTo(first);
        // Other routes are untouched.
        assertThat(client.get("/subscriptions/" + RND + "/resourcegroups?" + RES, admin()).status()).isEqualTo(200);
    }

    @Test
    void latencyAndDroppedConnections() {
        emulator.faults().add(new FaultRule("arm.resourcegroups.list", 0, 0, 300, 0, null));
        long start = System.nanoTime();
        assertThat(client.get("/subscriptions/" + RND + "/resourcegroups?" + RES, admin()).status()).isEqualTo(200);
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(300);
        emulator.faults().add(new FaultRule("arm.subscriptions.list", 0, 0, 0, 1.0, null));
        assertThatThrownBy(() -> client.get("/subscriptions?api-version=2022-12-01", admin())).isInstanceOf(UncheckedIOException.class);
        assertThat(emulator.requestLog().entries()).anyMatch(e -> "arm.subscriptions.list".equals(e.route()) && e.status() == 0);
    }

    @Test
    void tagWritesAnswer202AndTheStatusUrlFailsOrSucceeds() {
        String rg = emulator.world().resourceGroups(RND).get(0).id();
        String tags = rg + "/providers/Microsoft.Resources/tags/default?api-version=2025-04-01";
        Map<String, Object> merge = Map.of("operation", "Merge", "properties", Map.of("tags", Map.of("fault", "yes")));
        emulator.faults().add(new FaultRule("arm.tags.*", 0, 0, 0, 0, AsyncTagWrites.FAIL));
        EmulatorClient.Reply accepted = client.send("PATCH", tags, admin(), merge);
        assertThat(accepted.status()).isEqualTo(202);
        String location = accepted.header("Location");
        assertThat(location).startsWith(emulator.baseUrl() + "/subscriptions/" + RND + "/operationresults/");
        assertThat(client.get(location, admin()).status()).isEqualTo(500);
        assertThat(emulator.world().resourceGroups(RND).get(0).tags()).isNull();

        emulator.faults().clear();
        emulator.faults().add(new FaultRule("arm.tags.*", 0, 0, 0, 0, AsyncTagWrites.SUCCEED));
        EmulatorClient.Reply ok = client.send("PATCH", tags, admin(), merge);
        assertThat(ok.status()).isEqualTo(202);
        EmulatorClient.Reply result = client.get(ok.header("Location"), admin());
        assertThat(result.status()).isEqualTo(200);
        assertThat(result.json().path("properties").path("tags").path("fault").asText()).isEqualTo("yes");
    }
}

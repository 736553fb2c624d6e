package dev.canopy.emulator;

import dev.canopy.emulator.limits.LimitSettings;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Token buckets and Cost Management windows answer 429 + Retry-After at the configured rates (measured). */
class ThrottlingTest extends ArmTestBase {

    /** Counts of one measured run. */
    record Run(int burst, double burstSeconds, int laterSuccesses, double seconds, String firstRetryAfter) {
        /** The burst is the bucket plus what refilled while it was being drained. */
        void assertBurst(int capacity, double refillPerSecond) {
            assertThat(burst).isBetween(capacity, capacity + (int) Math.ceil(refillPerSecond * burstSeconds) + 1);
        }
    }

    /** Sends {@code call} until the window ends; the burst is the successes before the first 429. */
    static Run measure(java.util.function.Supplier<EmulatorClient.Reply> call, long windowMillis) {
        int burst = 0;
        int later = 0;
        String retryAfter = null;
        long begin = System.nanoTime();
        long start = 0;
        long end = begin + 20_000_000_000L;
        // Bounded loop: stops after the measurement window (or a hard 20 s / 20,000 requests cap).
        for (int i = 0; i < 20_000 && System.nanoTime() < end; i++) {
            EmulatorClient.Reply r = call.get();
            if (retryAfter == null) {
                if (r.status() == 200) {
                    burst++;
                    continue;
                }
                assertThat(r.status()).isEqualTo(429);
                retryAfter = r.header("Retry-After");
                start = System.nanoTime();
                end = start + windowMillis * 1_000_000L;
            } else if (r.status() == 200) {
                later++;
            } else {
                assertThat(r.status()).isEqualTo(429);
            }
        }
        return new Run(burst, (start - begin) / 1e9, later, (System.nanoTime() - start) / 1e9, retryAfter);
    }

    @Test
    void readBucketAllowsItsBurstThenRefillsAtItsRate() {
        String token = admin();
        // Warm up (JIT, TLS session) with the limits off, so the burst is drained quickly.
        for (int i = 0; i < 100; i++) {
            client.get("/subscriptions/" + RND + "/resourcegroups?" + RES, token);
        }
        emulator.limits().configure(new LimitSettings(true, 20, 10, 5, 2, 5, 2, 12, 60, 600, 4));
        Run run = measure(() -> client.get("/subscriptions/" + RND + "/resourcegroups?" + RES, token), 2000);
        run.assertBurst(20, 10);
        assertThat(Long.parseLong(run.firstRetryAfter())).isEqualTo(1);
        double rate = run.laterSuccesses() / run.seconds();
        System.out.printf("reads: burst %d, then %.1f/s (configured 10/s)%n", run.burst(), rate);
        assertThat(rate).isBetween(7.0, 13.0);
    }

    @Test
    void writeBucketIsSeparateFromReadsAndThrottlesPerPrincipal() {
        emulator.limits().configure(new LimitSettings(true, 100, 50, 5, 2, 5, 2, 12, 60, 600, 4));
        String token = admin();
        String rg = emulator.world().resourceGroups(RND).get(0).id();
        Run run = measure(() -> client.send("PATCH", rg + "/providers/Microsoft.Resources/tags/default?api-version=2025-04-01",
                token, Map.of("operation", "Merge", "properties", Map.of("tags", Map.of("n", "1")))), 2000);
        run.assertBurst(5, 2);
        double rate = run.laterSuccesses() / run.seconds();
        System.out.printf("writes: burst %d, then %.1f/s (configured 2/s)%n", run.burst(), rate);
        assertThat(rate).isBetween(1.0, 3.5);
        // Reads still pass, and another principal has its own bucket.
        assertThat(client.get("/subscriptions/" + RND + "/resourcegroups?" + RES, token).status()).isEqualTo(200);
        assertThat(client.send("PATCH", rg + "/providers/Microsoft.Resources/tags/default?api-version=2025-04-01",
                emulator.tokens().userToken(dev.canopy.emulator.world.SampleWorld.TREY_VIEWER),
                Map.of("operation", "Merge", "properties", Map.of("tags", Map.of("n", "1")))).status()).isEqualTo(403);
    }

    @Test
    void costManagementAllowsTwelveQueriesPerTenantInTenSeconds() {
        emulator.limits().configure(new LimitSettings(true, 250, 25, 200, 10, 200, 10, 12, 60, 600, 100));
        Map<String, Object> body = CostAndPartnerTest.query("ActualCost", "None", List.of());
        int ok = 0;
        EmulatorClient.Reply last = null;
        for (int i = 0; i < 13; i++) {
            last = client.send("POST", "/subscriptions/" + RND + "/providers/Microsoft.CostManagement/query?" + COST, admin(), body);
            if (last.status() == 200) {
                ok++;
            }
        }
        assertThat(ok).isEqualTo(12);
        assertThat(last.status()).isEqualTo(429);
        assertThat(Long.parseLong(last.header("x-ms-ratelimit-microsoft.costmanagement-qpu-retry-after"))).isBetween(1L, 10L);
    }
}

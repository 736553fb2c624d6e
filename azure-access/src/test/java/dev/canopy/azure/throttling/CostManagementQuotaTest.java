package dev.canopy.azure.throttling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import com.azure.core.http.HttpHeaders;

/** The tenant's and scopes' windows on a hand-driven clock: bursts, Azure's counts, 429s of the tenant or a scope. */
class CostManagementQuotaTest {

    private static final Duration LATENCY = Duration.ofMillis(50);

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final CostManagementQuota quota = new CostManagementQuota(new CostManagementQuota.Limits(12, 60, 600, 1000),
            now::get);

    @Test
    void eachWindowIsUsedWholeSoSixtyQueriesGoInFortySecondsAndTheNextAtTheMinute() {
        Throttle tenant = quota.scope("s");
        long start = now.get();
        long last = 0;
        for (int i = 0; i < 61; i++) {
            last = query(tenant, new HttpHeaders());
        }
        // Twelve at once, then twelve as each block's first answer leaves the 10-s window, five blocks a minute;
        // each block a little later than 10 s after the last, by the first query's answer time.
        assertThat(Duration.ofNanos(last - start)).isBetween(Duration.ofSeconds(60), Duration.ofMillis(60_000 + 6 * 50));
    }

    @Test
    void azuresCountsReplaceTheEstimateEitherWay() {
        Throttle tenant = quota.scope("s");
        query(tenant, remaining("QueriesPerHour:590,QueriesPerMin:50,QueriesPer10Sec:0"));
        assertThat(delayOfNext(tenant)).as("others spent the 10-s window").isBetween(Duration.ofSeconds(9),
                Duration.ofSeconds(10));

        now.addAndGet(Duration.ofSeconds(10).toNanos());
        for (int i = 0; i < 30; i++) {
            // The limits are off where Azure always answers with full windows: nothing ever waits.
            assertThat(query(tenant, remaining("QueriesPerHour:600,QueriesPerMin:60,QueriesPer10Sec:12")))
                    .as("query %d", i).isEqualTo(now.get() - LATENCY.toNanos());
        }
    }

    @Test
    void aScopeHasAWindowOfItsOwn() {
        CostManagementQuota fourPerScope = new CostManagementQuota(CostManagementQuota.Limits.azure(), now::get);
        Throttle a = fourPerScope.scope("A");
        for (int i = 0; i < 4; i++) {
            query(a, new HttpHeaders());
        }

        assertThat(delayOfNext(fourPerScope.scope("a"))).isGreaterThan(Duration.ofSeconds(59));
        assertThat(fourPerScope.scope("b").reserve().delay()).isZero();
    }

    @Test
    void aScopes429HoldsTheScopeATenants429TheTenantAndNeitherCounts() {
        Throttle a = quota.scope("a");
        Throttle b = quota.scope("b");
        a.reserve().throttled(new HttpHeaders().set("Retry-After", "20").set(CostManagementQuota.SCOPE_RETRY_AFTER, "20"),
                Duration.ofSeconds(20));
        assertThat(delayOfNext(a)).isEqualTo(Duration.ofSeconds(20));
        assertThat(b.reserve().delay()).isZero();

        b.reserve().throttled(new HttpHeaders().set(CostManagementQuota.QPU_RETRY_AFTER, "7"), Duration.ofSeconds(7));
        assertThat(delayOfNext(b)).isEqualTo(Duration.ofSeconds(7));
    }

    /** Sends one query: waits its delay, answers after {@link #LATENCY}; returns when it was sent. */
    private long query(Throttle throttle, HttpHeaders answer) {
        Throttle.Ticket ticket = throttle.reserve();
        now.addAndGet(ticket.delay().toNanos());
        long sent = now.get();
        now.addAndGet(LATENCY.toNanos());
        ticket.answered(answer);
        return sent;
    }

    private static Duration delayOfNext(Throttle throttle) {
        Throttle.Ticket ticket = throttle.reserve();
        ticket.abandoned();
        return ticket.delay();
    }

    private static HttpHeaders remaining(String qpu) {
        return new HttpHeaders().set(CostManagementQuota.QPU_REMAINING, qpu);
    }
}

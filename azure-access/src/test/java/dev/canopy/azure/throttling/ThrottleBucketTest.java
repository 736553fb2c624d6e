package dev.canopy.azure.throttling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The bucket on a hand-driven clock: burst, refill spacing, Azure's counts and 429s, many threads at once. */
class ThrottleBucketTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    // Azure's subscription writes bucket (AZURE-CONTRACTS §3.1).
    private final ThrottleBucket writes = new ThrottleBucket(200, 10, now::get);

    @Test
    void theBurstGoesAtOnceThenCallsAreSpacedAtTheRefillRate() {
        for (int i = 0; i < 200; i++) {
            assertThat(writes.reserve()).as("call %d", i).isZero();
        }
        assertThat(writes.reserve()).isEqualTo(Duration.ofMillis(100));
        assertThat(writes.reserve()).isEqualTo(Duration.ofMillis(200));

        advance(Duration.ofMillis(200));
        assertThat(writes.reserve()).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void anIdleBucketRefillsNoFurtherThanItsCapacity() {
        for (int i = 0; i < 200; i++) {
            writes.reserve();
        }
        advance(Duration.ofHours(1));

        assertThat(writes.available()).isEqualTo(200.0);
    }

    @Test
    void azuresLowerCountReplacesTheEstimateAHigherOneDoesNot() {
        writes.remaining(3);
        assertThat(writes.available()).isEqualTo(3.0);

        // Calls in flight are not in Azure's count yet: a higher count must not give them back.
        writes.reserve();
        writes.remaining(150);
        assertThat(writes.available()).isEqualTo(2.0);

        writes.reserve();
        writes.reserve();
        assertThat(writes.reserve()).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void aThrottledBucketLetsNobodyGoBeforeTheRetryAfter() {
        writes.throttled(Duration.ofSeconds(3));

        assertThat(writes.reserve()).isEqualTo(Duration.ofSeconds(3));
        assertThat(writes.reserve()).isEqualTo(Duration.ofMillis(3100));
        advance(Duration.ofSeconds(3));
        assertThat(writes.reserve()).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void reservationsFromManyThreadsQueueWithoutLosingAToken() throws Exception {
        ThrottleBucket bucket = new ThrottleBucket(5, 10, now::get);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Duration>> futures = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            futures.add(pool.submit(bucket::reserve));
        }
        List<Duration> waits = new ArrayList<>();
        for (Future<Duration> f : futures) {
            waits.add(f.get(10, TimeUnit.SECONDS));
        }
        pool.shutdown();
        Collections.sort(waits);

        // The clock stood still: 5 free calls, then exactly one per 100 ms, none twice.
        for (int i = 0; i < waits.size(); i++) {
            assertThat(waits.get(i)).isEqualTo(Duration.ofMillis(Math.max(0, i - 4) * 100L));
        }
    }

    @Test
    void aBucketNeedsACapacityAndARefill() {
        assertThatThrownBy(() -> new ThrottleBucket(0, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ThrottleBucket(10, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }
}

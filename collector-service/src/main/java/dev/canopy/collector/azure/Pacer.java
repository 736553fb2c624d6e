package dev.canopy.collector.azure;

import java.time.Duration;

/**
 * Spaces the calls of one throttling scope (a subscription's ARM reads, or a tenant's Cost Management queries):
 * a fixed minimum interval, slower spacing when Azure says few requests are left, and a full stop after a 429 until
 * its retry-after has passed. Every call of the scope, on any thread, waits for the same clock.
 */
public final class Pacer {

    private final long minIntervalNanos;
    private final long lowIntervalNanos;
    private final int lowWater;
    private long notBefore = System.nanoTime();

    /**
     * @param minInterval spacing always kept between calls (zero for ARM reads: the burst bucket is meant to be used)
     * @param lowInterval spacing once the remaining count reaches {@code lowWater} (the bucket's refill interval)
     * @param lowWater remaining requests at which spacing starts
     */
    public Pacer(Duration minInterval, Duration lowInterval, int lowWater) {
        this.minIntervalNanos = minInterval.toNanos();
        this.lowIntervalNanos = lowInterval.toNanos();
        this.lowWater = lowWater;
    }

    /** Reserves the next slot and returns how long the caller must wait for it. */
    public synchronized Duration reserve() {
        long now = System.nanoTime();
        long slot = Math.max(now, notBefore);
        notBefore = slot + minIntervalNanos;
        return Duration.ofNanos(slot - now);
    }

    /** Azure said this many requests are left in the scope's bucket. */
    public synchronized void remaining(long left) {
        if (left <= lowWater) {
            // Below the low-water mark, go at the refill rate: the bucket then stays where it is instead of running dry.
            long spacing = left <= 0 ? lowIntervalNanos * 2 : lowIntervalNanos;
            notBefore = Math.max(notBefore, System.nanoTime() + spacing);
        }
    }

    /** Azure throttled the scope: nobody calls before the wait has passed. */
    public synchronized void throttled(Duration wait) {
        notBefore = Math.max(notBefore, System.nanoTime() + wait.toNanos());
    }
}

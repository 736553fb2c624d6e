package dev.canopy.azure.throttling;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Canopy's running estimate of one of Azure's throttling buckets (AZURE-CONTRACTS §3.1: e.g. a subscription's writes,
 * 200 burst refilled at 10/s), shared by every thread that calls into that bucket: each call reserves a token and
 * waits until the token exists, so the calls of all threads together never outrun the bucket.
 *
 * <p>The estimate only ever moves down on Azure's word: a {@code x-ms-ratelimit-remaining-*} count lower than the
 * estimate (other Canopy instances or services use the same principal's bucket) replaces it, and a 429 empties it
 * for its {@code Retry-After}. It never trusts a higher count, because that count does not include the calls this
 * process has in flight.
 */
public final class ThrottleBucket {

    private final double capacity;
    private final double refillPerSecond;
    private final LongSupplier nanoTime;
    // May go below zero: reservations queue up as a debt, each waiting until its token has been refilled.
    private double tokens;
    private long lastRefill;

    /**
     * @param capacity the bucket's size (Azure's burst), at least 1
     * @param refillPerSecond tokens Azure adds per second, above 0
     */
    public ThrottleBucket(int capacity, double refillPerSecond) {
        this(capacity, refillPerSecond, System::nanoTime);
    }

    ThrottleBucket(int capacity, double refillPerSecond, LongSupplier nanoTime) {
        if (capacity < 1 || !(refillPerSecond > 0)) {
            throw new IllegalArgumentException("a throttle bucket needs capacity >= 1 and a positive refill; got "
                    + capacity + " and " + refillPerSecond);
        }
        this.capacity = capacity;
        this.refillPerSecond = refillPerSecond;
        this.nanoTime = nanoTime;
        this.tokens = capacity;
        this.lastRefill = nanoTime.getAsLong();
    }

    /**
     * Takes a token for one call.
     *
     * @return how long the caller must wait before sending (zero while the burst lasts)
     */
    public synchronized Duration reserve() {
        refill();
        tokens -= 1;
        return tokens >= 0 ? Duration.ZERO : Duration.ofNanos((long) Math.ceil(-tokens * 1e9 / refillPerSecond));
    }

    /**
     * Azure reported how many calls are left in its bucket (the count after the call that carried the header).
     *
     * @param left the {@code x-ms-ratelimit-remaining-*} value
     */
    public synchronized void remaining(long left) {
        refill();
        tokens = Math.min(tokens, left);
    }

    /**
     * Azure answered 429: no call of this bucket may go out before {@code retryAfter} has passed.
     *
     * @param retryAfter Azure's {@code Retry-After}
     */
    public synchronized void throttled(Duration retryAfter) {
        refill();
        // One token exactly retryAfter from now: the next reservation waits retryAfter, later ones queue behind it.
        tokens = Math.min(tokens, 1 - retryAfter.toNanos() * refillPerSecond / 1e9);
    }

    /** @return the estimated tokens left now; negative while reservations are queued */
    public synchronized double available() {
        refill();
        return tokens;
    }

    private void refill() {
        long now = nanoTime.getAsLong();
        tokens = Math.min(capacity, tokens + (now - lastRefill) * refillPerSecond / 1e9);
        lastRefill = now;
    }
}

package dev.canopy.emulator.limits;

import java.time.Clock;

/** ARM's throttling unit: a bucket of {@code capacity} tokens refilled continuously at {@code refillPerSecond}. */
public final class TokenBucket {

    private final double capacity;
    private final double refillPerSecond;
    private final Clock clock;
    private double tokens;
    private long lastMillis;

    public TokenBucket(int capacity, double refillPerSecond, Clock clock) {
        this.capacity = capacity;
        this.refillPerSecond = refillPerSecond;
        this.clock = clock;
        this.tokens = capacity;
        this.lastMillis = clock.millis();
    }

    /**
     * Takes one token.
     *
     * @return the tokens left (≥ 0) after taking one, or -1 if the bucket was empty
     */
    public synchronized long tryTake() {
        refill();
        if (tokens < 1) {
            return -1;
        }
        tokens -= 1;
        return (long) Math.floor(tokens);
    }

    /** @return tokens left now, without taking one */
    public synchronized long remaining() {
        refill();
        return (long) Math.floor(tokens);
    }

    /** @return whole seconds until one token is available again (at least 1) */
    public synchronized long retryAfterSeconds() {
        refill();
        double missing = Math.max(0, 1 - tokens);
        return Math.max(1, (long) Math.ceil(missing / refillPerSecond));
    }

    private void refill() {
        long now = clock.millis();
        if (now > lastMillis) {
            tokens = Math.min(capacity, tokens + (now - lastMillis) * refillPerSecond / 1000.0);
            lastMillis = now;
        }
    }
}

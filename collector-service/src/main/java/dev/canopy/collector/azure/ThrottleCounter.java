package dev.canopy.collector.azure;

import java.util.concurrent.atomic.AtomicLong;

/** How many 429s one run absorbed. */
public final class ThrottleCounter {

    private final AtomicLong throttled = new AtomicLong();

    void throttled() {
        throttled.incrementAndGet();
    }

    public long count() {
        return throttled.get();
    }
}

package dev.canopy.emulator.limits;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;

/** Cost Management's quota unit: at most {@code limit} queries in any window of {@code windowMillis}. */
public final class SlidingWindow {

    private final int limit;
    private final long windowMillis;
    private final Clock clock;
    private final Deque<Long> hits = new ArrayDeque<>();

    public SlidingWindow(int limit, long windowMillis, Clock clock) {
        this.limit = limit;
        this.windowMillis = windowMillis;
        this.clock = clock;
    }

    /** @return queries still allowed in the current window */
    public synchronized int remaining() {
        expire(clock.millis());
        return limit - hits.size();
    }

    /** @return whole seconds until one more query is allowed (0 when allowed now) */
    public synchronized long retryAfterSeconds() {
        long now = clock.millis();
        expire(now);
        if (hits.size() < limit) {
            return 0;
        }
        return Math.max(1, (long) Math.ceil((hits.peekFirst() + windowMillis - now) / 1000.0));
    }

    /** Counts one query; call only after {@link #remaining()} said there is room. */
    public synchronized void record() {
        hits.addLast(clock.millis());
    }

    private void expire(long now) {
        while (!hits.isEmpty() && hits.peekFirst() <= now - windowMillis) {
            hits.removeFirst();
        }
    }
}

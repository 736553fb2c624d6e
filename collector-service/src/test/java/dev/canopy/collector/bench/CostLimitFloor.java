package dev.canopy.collector.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.canopy.emulator.limits.LimitSettings;

/**
 * The least time Cost Management's limits allow for a sequence of queries in one tenant: its sliding windows per
 * tenant (per 10 s, per minute, per hour) and per scope (per minute), as the emulator enforces them.
 */
final class CostLimitFloor {

    private CostLimitFloor() {
    }

    /**
     * The shortest time from the first query to the last that the limits allow, the queries sent in the given order.
     * Each query goes at the earliest moment every window has room: with "at most n in any window" limits nothing
     * is gained by sending one later, so this schedule is the fastest.
     *
     * @param scopes the scope of each query (a subscription id), in the order they were sent
     */
    static Duration minimumSpan(LimitSettings limits, List<String> scopes) {
        List<Long> times = new ArrayList<>();
        Map<String, List<Long>> byScope = new HashMap<>();
        for (String scope : scopes) {
            long at = times.isEmpty() ? 0 : times.get(times.size() - 1);
            at = Math.max(at, windowAllows(times, limits.costPer10Seconds(), 10_000));
            at = Math.max(at, windowAllows(times, limits.costPerMinute(), 60_000));
            at = Math.max(at, windowAllows(times, limits.costPerHour(), 3_600_000));
            List<Long> scopeTimes = byScope.computeIfAbsent(scope, s -> new ArrayList<>());
            at = Math.max(at, windowAllows(scopeTimes, limits.costPerScopePerMinute(), 60_000));
            times.add(at);
            scopeTimes.add(at);
        }
        return times.isEmpty() ? Duration.ZERO : Duration.ofMillis(times.get(times.size() - 1) - times.get(0));
    }

    // A query counts in a window until windowMillis after it was sent (the emulator's SlidingWindow), so with
    // `limit` queries sent, the next may go when the limit-th latest of them leaves the window.
    private static long windowAllows(List<Long> sent, int limit, long windowMillis) {
        return sent.size() < limit ? 0 : sent.get(sent.size() - limit) + windowMillis;
    }
}

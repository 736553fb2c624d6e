package dev.canopy.azure.throttling;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Canopy's log of one "at most {@code limit} calls in any {@code length}" quota of Azure (Cost Management's windows):
 * the moments of the calls it counts, kept in step with the remaining count Azure reports. Not thread-safe; its owner
 * locks.
 */
final class QuotaWindow {

    private final String name;
    private final int limit;
    private final long lengthNanos;
    // Ascending. A call sits at its planned send time while it is out, and at the moment its answer came once
    // answered: Azure counted it no later, so it never leaves this log before it leaves Azure's window.
    private final List<Long> calls = new ArrayList<>();

    /**
     * @param name the part of Azure's remaining header that reports this window, e.g. {@code QueriesPer10Sec}
     * @param limit calls allowed in any window, at least 1
     * @param lengthNanos the window's length
     */
    QuotaWindow(String name, int limit, long lengthNanos) {
        if (limit < 1 || lengthNanos <= 0) {
            throw new IllegalArgumentException("a quota window needs a limit >= 1 and a positive length; got "
                    + limit + " and " + lengthNanos + " ns");
        }
        this.name = name;
        this.limit = limit;
        this.lengthNanos = lengthNanos;
    }

    String name() {
        return name;
    }

    /**
     * @param from the earliest moment the caller could send
     * @return the earliest moment from then, and not before a call already placed, at which one more call fits
     */
    long earliest(long from) {
        long at = from;
        if (!calls.isEmpty()) {
            at = Math.max(at, calls.get(calls.size() - 1));
        }
        if (calls.size() >= limit) {
            // The limit-th latest call must have left the window first.
            at = Math.max(at, calls.get(calls.size() - limit) + lengthNanos);
        }
        return at;
    }

    /** Counts a call at {@code at}; {@code now} lets calls that left the window go. */
    void add(long at, long now) {
        expire(now);
        int index = Collections.binarySearch(calls, at);
        calls.add(index < 0 ? -index - 1 : index, at);
    }

    /** Forgets one call counted at {@code at} (Azure refused it). */
    void remove(long at) {
        calls.remove(Long.valueOf(at));
    }

    /** Moves one call from its planned time to the moment its answer came. */
    void answered(long plannedAt, long now) {
        remove(plannedAt);
        add(now, now);
    }

    /**
     * Azure reported how many calls the window has left right now: the log then holds exactly as many calls in the
     * window as Azure counts. Calls it lacks (other Canopy instances or services of the tenant) are counted from now,
     * so they leave the window no earlier than Azure's; calls too many are its oldest, which Azure, counting them at
     * arrival, let go before this log did.
     */
    void reconcile(long left, long now) {
        expire(now);
        long counted = Math.max(0, limit - left);
        int ours = 0;
        while (ours < calls.size() && calls.get(ours) <= now) {
            ours++;
        }
        for (long extra = ours - counted; extra > 0; extra--) {
            calls.remove(0);
        }
        for (long missing = counted - ours; missing > 0; missing--) {
            add(now, now);
        }
    }

    private void expire(long now) {
        while (!calls.isEmpty() && calls.get(0) <= now - lengthNanos) {
            calls.remove(0);
        }
    }
}

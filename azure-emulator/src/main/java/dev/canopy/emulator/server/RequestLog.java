package dev.canopy.emulator.server;

import java.time.Instant;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** The last requests the emulator answered (bounded), for tests that check what Canopy called. */
public final class RequestLog {

    /**
     * One answered request.
     *
     * @param time when it was answered (after any injected latency)
     * @param target path and query as sent
     * @param route the route name, or null when nothing matched
     * @param principal object id of the caller when a token was accepted, else null
     * @param received when it arrived, before any injected latency
     */
    public record Entry(Instant time, String method, String target, String route, String principal, int status,
                        String requestId, Instant received) {
    }

    private final int capacity;
    private final Deque<Entry> entries = new ArrayDeque<>();

    public RequestLog(int capacity) {
        this.capacity = capacity;
    }

    public synchronized void add(Entry entry) {
        if (entries.size() == capacity) {
            entries.removeFirst();
        }
        entries.addLast(entry);
    }

    public synchronized List<Entry> entries() {
        return new ArrayList<>(entries);
    }

    public synchronized void clear() {
        entries.clear();
    }
}

package dev.canopy.tagsync.view;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The committed positions of the policy view per partition, in memory: what {@link PolicyView#awaitCaughtUp} waits
 * on. Fed after each local commit (at once) and from the database (positions other instances committed).
 */
@ApplicationScoped
class PolicyPositions {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition advanced = lock.newCondition();
    private final Map<Integer, Long> positions = new HashMap<>();

    /** Raises the partition's position (never lowers it: positions only grow) and wakes the waiters. */
    void advance(int partition, long nextOffset) {
        lock.lock();
        try {
            if (nextOffset > positions.getOrDefault(partition, 0L)) {
                positions.put(partition, nextOffset);
                advanced.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until every partition has reached its required position or the deadline ({@link System#nanoTime()}) has
     * passed.
     *
     * @return the partitions still short of their requirement, each with its current position; empty once caught up
     */
    Map<Integer, Long> awaitReached(Map<Integer, Long> required, long deadlineNanos) throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                Map<Integer, Long> behind = new HashMap<>();
                required.forEach((partition, needed) -> {
                    long position = positions.getOrDefault(partition, 0L);
                    if (position < needed) {
                        behind.put(partition, position);
                    }
                });
                long left = deadlineNanos - System.nanoTime();
                if (behind.isEmpty() || left <= 0) {
                    return behind;
                }
                advanced.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }
}

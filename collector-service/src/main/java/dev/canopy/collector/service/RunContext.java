package dev.canopy.collector.service;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import dev.canopy.events.policy.SyncPolicy;

/** What one collection run knows about itself while it goes: ids, the policy it obeys, and its counters. */
public final class RunContext {

    final UUID runId = UUID.randomUUID();
    final String tenantId;
    final String subscriptionId;
    final SyncPolicy policy;
    final boolean costReader;
    final AtomicLong pages = new AtomicLong();
    final AtomicLong seen = new AtomicLong();
    final AtomicLong published = new AtomicLong();
    final AtomicLong tombstones = new AtomicLong();
    /** 429s Azure answered and the run waited out. */
    final AtomicLong throttled = new AtomicLong();
    private final BooleanSupplier stopRequested;

    RunContext(String tenantId, String subscriptionId, SyncPolicy policy, boolean costReader,
            BooleanSupplier stopRequested) {
        this.tenantId = tenantId;
        this.subscriptionId = subscriptionId;
        this.policy = policy;
        this.costReader = costReader;
        this.stopRequested = stopRequested;
    }

    /** Thrown at the run's next page or query once the instance stops: the run ends as PARTIAL. */
    static final class Stopped extends RuntimeException {
        static final String REASON = "the collector instance stopped during the run";

        Stopped() {
            super(REASON);
        }
    }

    /** @return why the run ended early: the stop of the instance, when that interrupted whatever failed */
    String partialReason(String failure) {
        return !stopRequested.getAsBoolean() || Stopped.REASON.equals(failure) ? failure
                : Stopped.REASON + " (" + failure + ")";
    }

    /** @throws Stopped when the instance is stopping */
    void checkNotStopped() {
        if (stopRequested.getAsBoolean()) {
            throw new Stopped();
        }
    }

    public UUID runId() {
        return runId;
    }
}

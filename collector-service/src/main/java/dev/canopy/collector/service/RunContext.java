package dev.canopy.collector.service;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

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

    RunContext(String tenantId, String subscriptionId, SyncPolicy policy, boolean costReader) {
        this.tenantId = tenantId;
        this.subscriptionId = subscriptionId;
        this.policy = policy;
        this.costReader = costReader;
    }

    public UUID runId() {
        return runId;
    }
}

package dev.canopy.collector.service;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.canopy.collector.config.CollectorConfig;
import dev.canopy.collector.repository.RegisteredSubscription;
import dev.canopy.collector.repository.RegistryRepository;
import dev.canopy.collector.repository.ResourceState;
import dev.canopy.collector.repository.ResourceStateRepository;
import dev.canopy.collector.repository.SpendStateRepository;
import dev.canopy.events.ResourceDeleted.Reason;
import dev.canopy.events.policy.SyncPolicy;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * Sends the tombstones an offboarding or a narrower policy owes, one chunk per transaction, until what the collector
 * still has published for a subscription is what its registry row allows.
 */
// What is owed is not a to-do list written by the event but read from the state itself: the registry row (onboarded?
// which policy?) against the fingerprint rows of what is published. So a tombstoning cut short — by an outage, a stop,
// a crash between two chunks — is finished by the next call, from the event's redelivery or from the sweep, on any
// instance; and a policy widened again before the tombstoning ended simply stops it (the next run publishes again what
// was tombstoned, since its fingerprint rows are gone). Each chunk locks the registry row first, as every step of a run
// does (RunGuard), so chunks and run steps never interleave, and two instances settling one subscription take turns.
@ApplicationScoped
public class OwedTombstones {

    private static final Logger LOG = Logger.getLogger(OwedTombstones.class);

    private final RegistryRepository registry;
    private final ResourceStateRepository states;
    private final SpendStateRepository spendStates;
    private final SnapshotTombstones tombstones;
    private final int chunk;
    /** Chunks committed, for dashboards: a tombstoning's progress, and proof that none ran as one transaction. */
    private final Counter chunks;
    private volatile boolean stopping;

    public OwedTombstones(RegistryRepository registry, ResourceStateRepository states,
            SpendStateRepository spendStates, SnapshotTombstones tombstones, CollectorConfig config,
            MeterRegistry metrics) {
        this.chunks = Counter.builder("canopy.collector.tombstone.chunks")
                .description("Chunks of owed tombstones sent, each in a transaction of its own").register(metrics);
        this.registry = registry;
        this.states = states;
        this.spendStates = spendStates;
        this.tombstones = tombstones;
        this.chunk = config.tombstoneChunk();
        if (chunk < 1) {
            throw new IllegalArgumentException("canopy.collector.tombstone-chunk must be at least 1, was " + chunk);
        }
    }

    /**
     * Sends every tombstone the subscription owes, chunk by chunk. A failure ends the call with what is sent so far
     * committed; the rest is owed still. Returns early when the app is stopping (the sweep finishes after the restart).
     *
     * @return the snapshot rows tombstoned
     */
    public long settle(String subscriptionId) {
        long rows = 0;
        int done = 0;
        while (!stopping) {
            int settled = QuarkusTransaction.requiringNew().call(() -> settleChunk(subscriptionId));
            if (settled == 0) {
                break;
            }
            chunks.increment();
            rows += settled;
            done++;
        }
        if (rows > 0) {
            LOG.infof("subscription %s: %d published snapshot rows tombstoned in %d chunks%s", subscriptionId, rows,
                    done, stopping ? " (app stopping: the rest is left to the sweep after the restart)" : "");
        }
        return rows;
    }

    /** Finishes tombstonings that were cut short; any instance may, the row lock keeps them apart. */
    @Scheduled(every = "${canopy.collector.tombstone-sweep}", delayed = "${canopy.collector.tick}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        if (stopping) {
            return;
        }
        List<String> owing;
        try {
            owing = QuarkusTransaction.requiringNew().call(states::subscriptionsOwingTombstones);
        } catch (RuntimeException e) {
            LOG.warnf("could not look for tombstones still owed (next sweep tries again): %s", e.toString());
            return;
        }
        for (String subscriptionId : owing) {
            try {
                settle(subscriptionId);
            } catch (RuntimeException e) {
                LOG.warnf("tombstones still owed for subscription %s (next sweep tries again): %s", subscriptionId,
                        e.toString());
            }
        }
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    // One chunk in the caller's transaction: the number of rows it settled, 0 when nothing is owed any more.
    private int settleChunk(String subscriptionId) {
        RegisteredSubscription sub = registry.lock(subscriptionId);
        if (sub == null || !sub.active) {
            // Offboarded (or never onboarded here): every snapshot goes, resources and tags first, then spend.
            List<ResourceState> rows = states.someOfSubscription(subscriptionId, chunk);
            if (!rows.isEmpty()) {
                tombstones.deleteResources(rows, Reason.OFFBOARDED, null);
                return rows.size();
            }
            return tombstones.deleteSpend(spendStates.someOfSubscription(subscriptionId, chunk), Reason.OFFBOARDED);
        }
        SyncPolicy policy = sub.policy == null ? null : SyncPolicy.valueOf(sub.policy);
        if (policy != null && !policy.collectsResources()) {
            List<ResourceState> rows = states.someOfSubscription(subscriptionId, chunk);
            tombstones.deleteResources(rows, Reason.POLICY, null);
            return rows.size();
        }
        if (policy != null && !policy.collectsTags()) {
            return tombstones.deleteTags(states.someWithTags(subscriptionId, chunk), Reason.POLICY);
        }
        return 0;
    }
}

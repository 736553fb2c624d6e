package dev.canopy.collector.service;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.canopy.collector.config.CollectorConfig;
import dev.canopy.collector.messaging.EventPublisher;
import dev.canopy.collector.repository.CollectionRun;
import dev.canopy.collector.repository.CollectionRunRepository;
import dev.canopy.collector.repository.RegisteredSubscription;
import dev.canopy.collector.repository.RegistryRepository;
import dev.canopy.events.CollectionRunProgress;
import dev.canopy.events.CollectionRunProgress.Phase;

/** Records a run's progress: its row for GET /collections, and CollectionRunProgress events for dashboards. */
@ApplicationScoped
public class RunLog {

    /** The reason given to a run that an instance left STARTED. */
    static final String ABANDONED = "abandoned: the instance running it stopped before the run ended";

    private final CollectionRunRepository runs;
    private final RegistryRepository registry;
    private final EventPublisher publisher;
    private final CollectorConfig config;

    public RunLog(CollectionRunRepository runs, RegistryRepository registry, EventPublisher publisher,
            CollectorConfig config) {
        this.runs = runs;
        this.registry = registry;
        this.publisher = publisher;
        this.config = config;
    }

    /**
     * The run began and becomes the subscription's current run, the only one that may still publish (RunGuard); a
     * request made from now on asks for another run. A run of the subscription still marked STARTED is closed as
     * PARTIAL first: this instance owns the subscription and runs none of its runs but this one, so that run was left
     * by an instance that stopped without ending it (killed, or its database gone) and would show as going on
     * forever. Should it still be going on at an instance that lost the partition a moment ago (ADR 0004), it is no
     * longer current: it stops at its next step without publishing and records its real end over this one.
     */
    @Transactional
    public void started(RunContext run) {
        // Under the row lock every step of the older run (RunGuard) either committed before this or sees it.
        RegisteredSubscription sub = registry.lock(run.subscriptionId);
        sub.currentRunId = run.runId;
        sub.runRequested = false;
        Instant now = Instant.now();
        for (CollectionRun left : runs.list("subscriptionId = ?1 and state = ?2", run.subscriptionId,
                Phase.STARTED.name())) {
            left.finishedAt = now;
            left.state = Phase.PARTIAL.name();
            left.reason = ABANDONED;
            publisher.publishNow(new CollectionRunProgress(UUID.randomUUID(), now, left.tenantId, left.subscriptionId,
                    left.runId, Phase.PARTIAL, left.pagesDone, left.resourcesSeen, ABANDONED));
        }
        CollectionRun row = new CollectionRun();
        row.runId = run.runId;
        row.subscriptionId = run.subscriptionId;
        row.tenantId = run.tenantId;
        row.startedAt = now;
        row.state = Phase.STARTED.name();
        runs.persist(row);
        publish(run, Phase.STARTED, null);
    }

    /** One more list page is done. */
    @Transactional
    public void pageDone(RunContext run) {
        CollectionRun row = runs.findById(run.runId);
        copyCounters(run, row);
        publish(run, Phase.PAGE_DONE, null);
    }

    /** The run ended; schedules the next one. */
    @Transactional
    public CollectionRun finished(RunContext run, Phase phase, String reason, SpendOutcome spend) {
        // The subscription's row first, as started() takes it, so the two never wait for each other's locks.
        RegisteredSubscription sub = registry.lock(run.subscriptionId);
        CollectionRun row = runs.findById(run.runId);
        copyCounters(run, row);
        row.finishedAt = Instant.now();
        row.state = phase.name();
        row.reason = reason;
        row.spendState = spend.state().name();
        row.spendReason = spend.reason();
        row.spendSnapshotsPublished = spend.published();
        // The interval counts from the end of a run: two runs of a subscription keep a gap between them even when
        // runs are long or wait for a worker (counting from the start, a long run would be followed at once by the
        // next). A run another run took over schedules nothing: the schedule is that run's.
        if (run.runId.equals(sub.currentRunId)) {
            sub.nextRunAt = row.finishedAt.plus(config.interval());
        }
        publish(run, phase, reason);
        return row;
    }

    private static void copyCounters(RunContext run, CollectionRun row) {
        row.pagesDone = run.pages.get();
        row.resourcesSeen = run.seen.get();
        row.snapshotsPublished = run.published.get();
        row.tombstonesPublished = run.tombstones.get();
    }

    private void publish(RunContext run, Phase phase, String reason) {
        publisher.publishNow(new CollectionRunProgress(UUID.randomUUID(), Instant.now(), run.tenantId,
                run.subscriptionId, run.runId, phase, run.pages.get(), run.seen.get(), reason));
    }
}

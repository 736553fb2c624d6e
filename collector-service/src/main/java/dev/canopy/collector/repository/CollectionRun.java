package dev.canopy.collector.repository;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One collection run of one subscription: how far it got and what it published. */
@Entity
@Table(name = "collection_run")
public class CollectionRun {

    @Id
    @Column(name = "run_id")
    public UUID runId;

    @Column(name = "subscription_id")
    public String subscriptionId;

    @Column(name = "tenant_id")
    public String tenantId;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    /** A {@link dev.canopy.events.CollectionRunProgress.Phase} name, or SKIPPED. */
    public String state;

    public String reason;

    @Column(name = "pages_done")
    public long pagesDone;

    @Column(name = "resources_seen")
    public long resourcesSeen;

    @Column(name = "snapshots_published")
    public long snapshotsPublished;

    @Column(name = "tombstones_published")
    public long tombstonesPublished;

    /** COLLECTED, UNAVAILABLE or PARTIAL. */
    @Column(name = "spend_state")
    public String spendState;

    @Column(name = "spend_reason")
    public String spendReason;

    @Column(name = "spend_snapshots_published")
    public long spendSnapshotsPublished;
}

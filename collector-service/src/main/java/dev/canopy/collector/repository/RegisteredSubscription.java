package dev.canopy.collector.repository;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.DynamicUpdate;

/** One subscription of an onboarded tenant as the registry topics describe it, with its collection schedule. */
@Entity
@Table(name = "subscription")
// The tenant and the policy consumer update one row concurrently, each its own columns: write only what changed.
@DynamicUpdate
public class RegisteredSubscription {

    @Id
    @Column(name = "subscription_id")
    public String subscriptionId;

    @Column(name = "tenant_id")
    public String tenantId;

    @Column(name = "display_name")
    public String displayName;

    @Column(name = "cost_reader")
    public boolean costReader;

    public boolean active;

    /** The policy last seen on the policy topic, or {@code null} before the first. */
    public String policy;

    @Column(name = "registry_partition")
    public int registryPartition;

    @Column(name = "next_run_at")
    public Instant nextRunAt;

    @Column(name = "run_requested")
    public boolean runRequested;

    /** The run that last started; the only one that may still publish, or {@code null} before the first. */
    @Column(name = "current_run_id")
    public UUID currentRunId;
}

package dev.canopy.collector.repository;

import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The fingerprints of the last resource and tag snapshots published for one resource or resource group. */
@Entity
@Table(name = "resource_state")
public class ResourceState {

    @Id
    @Column(name = "resource_id")
    public String resourceId;

    @Column(name = "subscription_id")
    public String subscriptionId;

    @Column(name = "tenant_id")
    public String tenantId;

    @Column(name = "display_id")
    public String displayId;

    /** Fingerprint of the published ResourceSnapshot, or {@code null} if none is live (tombstoned or never sent). */
    @Column(name = "resource_fp")
    public String resourceFp;

    /** Fingerprint of the published TagSnapshot, or {@code null} if none is live. */
    @Column(name = "tag_fp")
    public String tagFp;

    @Column(name = "last_run_id")
    public UUID lastRunId;
}

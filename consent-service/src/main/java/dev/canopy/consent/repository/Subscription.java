package dev.canopy.consent.repository;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A subscription an onboarding saw: its state in Canopy and its sync policy. */
@Entity
@Table(name = "subscription")
public class Subscription {

    /** The states shown by the API (DESIGN "Onboarding"; issue 4). */
    public static final String ONBOARDING = "onboarding";
    public static final String ACTIVE = "active";
    public static final String SKIPPED = "skipped";
    public static final String ACCESS_LOST = "access-lost";
    public static final String OFFBOARDED = "offboarded";

    /** Lower-cased subscription GUID. */
    @Id
    public String id;

    @Column(name = "tenant_id")
    public String tenantId;

    @Column(name = "display_name")
    public String displayName;

    public String state;

    @Column(name = "state_reason")
    public String stateReason;

    /** A {@link dev.canopy.events.policy.SyncPolicy} name; null while Canopy has no access. */
    public String policy;

    @Column(name = "cost_management_reader")
    public boolean costManagementReader;

    @Column(name = "updated_at")
    public Instant updatedAt;
}

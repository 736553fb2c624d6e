package dev.canopy.consent.repository;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A customer tenant Canopy was onboarded to. */
@Entity
@Table(name = "tenant")
public class Tenant {

    /** Lifecycle states of a tenant. */
    public static final String ACTIVE = "active";
    public static final String OFFBOARDED = "offboarded";

    /** Lower-cased tenant GUID. */
    @Id
    public String id;

    @Column(name = "service_principal_object_id")
    public String servicePrincipalObjectId;

    public String state;

    @Column(name = "onboarded_by")
    public String onboardedBy;

    @Column(name = "onboarded_at")
    public Instant onboardedAt;

    @Column(name = "offboarded_at")
    public Instant offboardedAt;
}

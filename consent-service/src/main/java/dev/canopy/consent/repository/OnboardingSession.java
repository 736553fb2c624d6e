package dev.canopy.consent.repository;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One consent round trip and its progress. Holds no token, ever. */
@Entity
@Table(name = "onboarding_session")
public class OnboardingSession {

    /** Kinds: a first onboarding, or more subscriptions for a known tenant. */
    public static final String ONBOARD = "onboard";
    public static final String ADD_SUBSCRIPTIONS = "add-subscriptions";
    /** States. */
    public static final String AWAITING_CONSENT = "awaiting-consent";
    public static final String RUNNING = "running";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";

    @Id
    public UUID id;

    public String kind;

    @Column(name = "created_by")
    public String createdBy;

    /** Space-separated tenant ids the creator administers; the consenting tenant must be one of them. */
    @Column(name = "allowed_tenant_ids")
    public String allowedTenantIds;

    public String state;

    /** From the verified id token's {@code tid}, once consented. */
    @Column(name = "tenant_id")
    public String tenantId;

    public String detail;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "updated_at")
    public Instant updatedAt;
}

package dev.canopy.consent.repository;

import java.io.Serializable;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** What one session did with one subscription: assigned, skipped (with why) or failed (with Azure's error). */
@Entity
@Table(name = "onboarding_outcome")
@IdClass(OnboardingOutcome.Key.class)
public class OnboardingOutcome {

    /** Outcomes. */
    public static final String ASSIGNED = "assigned";
    public static final String SKIPPED = "skipped";
    public static final String FAILED = "failed";

    @Id
    @Column(name = "session_id")
    public UUID sessionId;

    @Id
    @Column(name = "subscription_id")
    public String subscriptionId;

    @Column(name = "display_name")
    public String displayName;

    public String outcome;

    public String reason;

    /** Composite key: session and subscription. */
    public static class Key implements Serializable {
        public UUID sessionId;
        public String subscriptionId;

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && java.util.Objects.equals(sessionId, key.sessionId)
                    && java.util.Objects.equals(subscriptionId, key.subscriptionId);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(sessionId, subscriptionId);
        }
    }
}

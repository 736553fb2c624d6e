package dev.canopy.consent.repository;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** Per-subscription outcomes of sessions. */
@ApplicationScoped
public class OnboardingOutcomeRepository implements PanacheRepositoryBase<OnboardingOutcome, OnboardingOutcome.Key> {

    /** A session's outcomes, by subscription id. */
    public List<OnboardingOutcome> listBySession(UUID sessionId) {
        return list("sessionId = ?1 order by subscriptionId", sessionId);
    }
}

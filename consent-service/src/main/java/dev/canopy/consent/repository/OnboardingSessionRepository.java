package dev.canopy.consent.repository;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** Onboarding sessions by id. */
@ApplicationScoped
public class OnboardingSessionRepository implements PanacheRepositoryBase<OnboardingSession, UUID> {
}

package dev.canopy.consent.service;

/**
 * What an onboarding run did with one subscription.
 *
 * @param subscriptionId lower-cased subscription id
 * @param displayName its display name
 * @param outcome assigned, skipped or failed ({@link dev.canopy.consent.repository.OnboardingOutcome})
 * @param reason why skipped, or Azure's error
 */
public record SubscriptionOutcome(String subscriptionId, String displayName, String outcome, String reason) {
}

package dev.canopy.consent.service;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An onboarding session as the API shows it.
 *
 * @param id the session id
 * @param kind onboard or add-subscriptions
 * @param state awaiting-consent, running, completed or failed
 * @param tenantId the consenting tenant (from the verified token), once known
 * @param consentUrl while awaiting consent: the URL the admin's browser opens (it continues to Microsoft)
 * @param expiresAt until when the consent may come back
 * @param detail a summary of the result, or why it failed
 * @param subscriptions the outcome per subscription
 */
public record SessionView(UUID id, String kind, String state, String tenantId, URI consentUrl, Instant expiresAt,
        String detail, List<Outcome> subscriptions) {

    /**
     * One subscription's outcome.
     *
     * @param subscriptionId the subscription
     * @param displayName its display name
     * @param outcome assigned, skipped or failed
     * @param reason why skipped, or Azure's error when failed
     */
    public record Outcome(String subscriptionId, String displayName, String outcome, String reason) {
    }
}

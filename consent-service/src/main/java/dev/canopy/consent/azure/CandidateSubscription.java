package dev.canopy.consent.azure;

/**
 * A subscription the consenting admin can see, and whether the admin holds Owner on it.
 *
 * @param subscriptionId lower-cased subscription id
 * @param displayName its display name
 * @param owner true when the admin holds Owner at subscription scope or above (group membership counts)
 * @param reason for a non-owner: why it is skipped
 */
public record CandidateSubscription(String subscriptionId, String displayName, boolean owner, String reason) {
}

package dev.canopy.events;

/**
 * One subscription Canopy was given access to at onboarding (the admin holds Owner on it).
 *
 * @param subscriptionId the Azure subscription id, lower-cased
 * @param displayName the subscription's display name in Azure, for dashboards
 * @param costManagementReader whether Cost Management Reader was assigned to Canopy's principal; if {@code false}
 *     the collector cannot query spend and spend arrives only through cost exports (DESIGN "Onboarding", step 3)
 */
public record OnboardedSubscription(String subscriptionId, String displayName, boolean costManagementReader) {

    /** Validates and normalizes the fields. */
    public OnboardedSubscription {
        subscriptionId = Checks.azureId(subscriptionId, "subscriptionId");
        displayName = Checks.required(displayName, "displayName");
    }
}

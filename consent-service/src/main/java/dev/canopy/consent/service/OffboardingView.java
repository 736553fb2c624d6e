package dev.canopy.consent.service;

import java.util.List;

/**
 * The answer to an offboarding.
 *
 * @param tenantId the tenant
 * @param state offboarded
 * @param subscriptionIds the subscriptions that stop being collected and written
 * @param roleAssignments what stays behind in Azure, and whose it is to remove
 */
public record OffboardingView(String tenantId, String state, List<String> subscriptionIds, String roleAssignments) {
}

package dev.canopy.emulator.entra;

/**
 * Who an accepted ARM token speaks for.
 *
 * @param objectId the user's object id, or the service principal's for an app-only token
 * @param app whether the token is app-only (client credentials)
 */
public record Caller(String tenantId, String objectId, String appId, boolean app, String upn) {
}

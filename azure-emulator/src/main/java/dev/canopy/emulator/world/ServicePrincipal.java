package dev.canopy.emulator.world;

/** An application's service principal in one tenant; its object id differs from the app id and per tenant. */
public record ServicePrincipal(String objectId, String tenantId, String appId, String displayName) {
}

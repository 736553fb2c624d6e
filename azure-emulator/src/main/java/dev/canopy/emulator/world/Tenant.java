package dev.canopy.emulator.world;

/** An Entra ID tenant (directory) of the emulated world. */
public record Tenant(String tenantId, String displayName, String defaultDomain, String countryCode) {
}

package dev.canopy.emulator.world;

import java.util.List;

/**
 * An app registration (e.g. Canopy's multi-tenant app) in its home tenant.
 *
 * @param secrets client secrets; an app with none is a public client
 * @param redirectUris reply URLs, matched exactly as Entra does
 */
public record Application(String appId, String displayName, String homeTenantId, List<String> secrets,
                          List<String> redirectUris) {
    public Application {
        secrets = secrets == null ? List.of() : List.copyOf(secrets);
        redirectUris = redirectUris == null ? List.of() : List.copyOf(redirectUris);
    }
}

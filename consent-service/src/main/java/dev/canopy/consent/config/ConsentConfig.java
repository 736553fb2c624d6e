package dev.canopy.consent.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** What onboarding grants Canopy's app (whose id and secret are {@code canopy.azure.client-id/-secret}). */
@ConfigMapping(prefix = "canopy.consent")
public interface ConsentConfig {

    /**
     * Encrypts quarkus-oidc's state cookie (with the PKCE verifier) and its session cookie; at least 32 characters.
     * Read by quarkus-oidc through {@code quarkus.oidc.consent.*}, declared here so it is one typed Canopy setting.
     */
    String stateSecret();

    /** Also assign Cost Management Reader: Tag Contributor cannot read spend (DESIGN "Onboarding", step 3). */
    @WithDefault("true")
    boolean costManagementReader();

    /** Microsoft Partner Network id to link with Canopy's own service principal in each tenant; none = no link. */
    Optional<String> partnerId();

    /** How long an onboarding session waits for its consent. */
    @WithDefault("PT30M")
    Duration sessionLifetime();
}

package dev.canopy.emulator;

import dev.canopy.emulator.entra.PlatformIssuerApi;
import dev.canopy.emulator.entra.TokenService;
import dev.canopy.emulator.world.Application;
import dev.canopy.emulator.world.PlatformUser;
import dev.canopy.emulator.world.ServicePrincipal;
import dev.canopy.emulator.world.User;
import dev.canopy.emulator.world.World;
import dev.canopy.emulator.world.WorldBuilder;

import java.time.Duration;
import java.util.List;

/**
 * Tokens for tests without an HTTP round trip: the same JWTs the token endpoints issue (ARM v1.0 app-only and
 * delegated tokens, platform tokens), with lifetime and audience under the test's control.
 */
public final class EmulatorTokens {

    private final World world;
    private final TokenService tokens;
    private final String baseUrl;

    EmulatorTokens(World world, TokenService tokens, String baseUrl) {
        this.world = world;
        this.tokens = tokens;
        this.baseUrl = baseUrl;
    }

    /** An app-only ARM token of Canopy's service principal in {@code tenantId} (it must exist: consent first). */
    public String appToken(String tenantId) {
        return appToken(tenantId, WorldBuilder.CANOPY_APP_ID, TokenService.ARM_AUDIENCE, tokens.randomLifetime());
    }

    /**
     * An app-only token of {@code appId}'s service principal in {@code tenantId}.
     *
     * @param lifetime negative for an already expired token
     */
    public String appToken(String tenantId, String appId, String audience, Duration lifetime) {
        ServicePrincipal sp = world.servicePrincipal(tenantId, appId).orElseThrow(() -> new IllegalStateException(
                "app " + appId + " has no service principal in tenant " + tenantId + " (no consent yet)"));
        return tokens.armAppToken(sp, audience, lifetime);
    }

    /** A delegated ARM token for a user (by UPN) through Canopy's app. */
    public String userToken(String upn) {
        return userToken(upn, TokenService.ARM_AUDIENCE, tokens.randomLifetime());
    }

    public String userToken(String upn, String audience, Duration lifetime) {
        User user = world.userByUpn(upn).orElseThrow(() -> new IllegalArgumentException("unknown user " + upn));
        Application app = world.application(WorldBuilder.CANOPY_APP_ID).orElseThrow();
        return tokens.armUserToken(user, app, true, audience, lifetime);
    }

    /** A platform token of a platform user of the world. */
    public String platformToken(String username) {
        PlatformUser user = world.platformUser(username).orElseThrow(() -> new IllegalArgumentException(
                "unknown platform user " + username));
        return tokens.platformToken(PlatformIssuerApi.issuer(baseUrl), PlatformIssuerApi.DEFAULT_AUDIENCE, user);
    }

    /** A platform token for anyone with any roles (e.g. {@code "admin:<tenantId>"}, {@code "ops"}). */
    public String platformToken(String username, List<String> roles, Duration lifetime) {
        return tokens.platformToken(PlatformIssuerApi.issuer(baseUrl), PlatformIssuerApi.DEFAULT_AUDIENCE, username,
                username, roles, lifetime);
    }
}

package dev.canopy.emulator.entra;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.canopy.emulator.server.Json;
import dev.canopy.emulator.server.Request;
import dev.canopy.emulator.server.Response;
import dev.canopy.emulator.server.Route;
import dev.canopy.emulator.world.PlatformUser;
import dev.canopy.emulator.world.World;

import java.util.List;
import java.util.Map;

/**
 * The second issuer: Canopy's own platform users (not Azure). Issuer {@code {base}/canopy-platform}, discovery at
 * {@code /canopy-platform/.well-known/openid-configuration}, JWKS at {@code /canopy-platform/keys}, token endpoint
 * {@code /canopy-platform/token} (grant types {@code password} for the world's platform users).
 *
 * <p>Tokens carry {@code canopy_roles}: a JSON array of {@code "<role>:<customer tenant id>"} for the per-tenant
 * roles {@code admin}, {@code tag-editor} and {@code viewer}, and the bare {@code "ops"} for cross-tenant read.
 * Other claims: {@code iss}, {@code aud} (default {@value #DEFAULT_AUDIENCE}), {@code sub} (stable per username),
 * {@code preferred_username}, {@code name}, {@code iat}, {@code nbf}, {@code exp} (one hour), {@code jti}.
 * With quarkus-oidc: {@code quarkus.oidc.auth-server-url={base}/canopy-platform},
 * {@code quarkus.oidc.roles.role-claim-path=canopy_roles}.
 */
public final class PlatformIssuerApi {

    /** The path prefix of the platform issuer. */
    public static final String PREFIX = "/canopy-platform";
    /** The audience platform tokens carry unless asked otherwise. */
    public static final String DEFAULT_AUDIENCE = "canopy-api";

    private final World world;
    private final TokenService tokens;

    public PlatformIssuerApi(World world, TokenService tokens) {
        this.world = world;
        this.tokens = tokens;
    }

    public static String issuer(String baseUrl) {
        return baseUrl + PREFIX;
    }

    public List<Route> routes() {
        Route.Kind k = Route.Kind.PLATFORM;
        return List.of(
                Route.of("platform.discovery", "GET", PREFIX + "/\\.well-known/openid-configuration", k, this::discovery),
                Route.of("platform.keys", "GET", PREFIX + "/keys", k,
                        r -> Response.json(200, tokens.platformKey().jwks(null))),
                Route.of("platform.token", "POST", PREFIX + "/token", k, this::token));
    }

    private Response discovery(Request r) {
        String issuer = issuer(r.baseUrl());
        ObjectNode d = Json.object();
        d.put("issuer", issuer);
        d.put("token_endpoint", issuer + "/token");
        d.put("jwks_uri", issuer + "/keys");
        d.putArray("grant_types_supported").add("password");
        d.putArray("response_types_supported").add("token");
        d.putArray("subject_types_supported").add("public");
        d.putArray("id_token_signing_alg_values_supported").add("RS256");
        d.putArray("claims_supported").add("sub").add("iss").add("aud").add("exp").add("iat").add("preferred_username")
                .add("name").add("canopy_roles");
        return Response.json(200, d);
    }

    private Response token(Request r) {
        Map<String, String> form = r.form();
        if (!"password".equals(form.get("grant_type"))) {
            throw EntraException.badRequest("unsupported_grant_type", 70003,
                    "The platform issuer supports grant_type=password only.");
        }
        PlatformUser user = world.platformUser(form.getOrDefault("username", ""))
                .filter(u -> u.password() != null && u.password().equals(form.get("password")))
                .orElseThrow(() -> EntraException.badRequest("invalid_grant", 50126,
                        "Error validating credentials due to invalid username or password."));
        String audience = form.getOrDefault("audience", DEFAULT_AUDIENCE);
        String token = tokens.platformToken(issuer(r.baseUrl()), audience, user);
        ObjectNode body = Json.object().put("token_type", "Bearer").put("expires_in", 3600).put("access_token", token);
        return Response.json(200, body);
    }
}

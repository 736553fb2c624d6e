package dev.canopy.emulator.entra;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.canopy.emulator.server.Json;
import dev.canopy.emulator.server.Request;
import dev.canopy.emulator.server.Response;
import dev.canopy.emulator.server.Route;
import dev.canopy.emulator.world.Application;
import dev.canopy.emulator.world.EmulatorClock;
import dev.canopy.emulator.world.ServicePrincipal;
import dev.canopy.emulator.world.Tenant;
import dev.canopy.emulator.world.User;
import dev.canopy.emulator.world.World;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Entra ID per tenant: OIDC discovery (v1 and v2), JWKS, instance discovery, the authorize endpoint with a sign-in +
 * consent page (auth code + PKCE), admin consent (v2 and v1 style) and the token endpoint (authorization_code,
 * refresh_token, client_credentials). Consent creates the app's service principal in the consenting tenant.
 *
 * <p>The page is a plain HTML form, so tests drive it without a browser: GET the authorize URL, then POST
 * {@code request_id}, {@code login}, {@code password} and {@code consent=accept|cancel} back to the same path.
 */
public final class EntraApi {

    private static final String TENANT = "(?<tenant>[^/_][^/]*)";
    private static final Set<String> OIDC_SCOPES = Set.of("openid", "profile", "email", "offline_access");
    private static final Duration CODE_LIFETIME = Duration.ofMinutes(10);
    /** ARM's first-party app (Windows Azure Service Management API); its app id is also accepted as a resource. */
    public static final String ARM_APP_ID = "797f4846-ba00-4fd7-ba43-dac1f8f63013";

    private final World world;
    private final TokenService tokens;
    private final EmulatorClock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Map<String, AuthCode> codes = new ConcurrentHashMap<>();
    private final Map<String, Grant> refreshTokens = new ConcurrentHashMap<>();

    /** What a sign-in page was opened for. */
    private enum Flow { AUTHORIZE, ADMIN_CONSENT_V2, ADMIN_CONSENT_V1 }

    private record Pending(Flow flow, String tenantSegment, Map<String, String> params) {
    }

    /** What a code or refresh token stands for. */
    private record Grant(String appId, String redirectUri, String userId, String tenantId, List<String> scopes,
                         String resource, String nonce) {
    }

    private record AuthCode(Grant grant, String challenge, String challengeMethod, Instant expires) {
    }

    public EntraApi(World world, TokenService tokens, EmulatorClock clock) {
        this.world = world;
        this.tokens = tokens;
        this.clock = clock;
    }

    public List<Route> routes() {
        Route.Kind k = Route.Kind.ENTRA;
        return List.of(
                Route.of("entra.instance-discovery", "GET", "/common/discovery/instance", k, this::instanceDiscovery),
                Route.of("entra.discovery.v2", "GET", "/" + TENANT + "/v2\\.0/\\.well-known/openid-configuration", k, r -> discovery(r, true)),
                Route.of("entra.discovery.v1", "GET", "/" + TENANT + "/\\.well-known/openid-configuration", k, r -> discovery(r, false)),
                Route.of("entra.keys.v2", "GET", "/" + TENANT + "/discovery/v2\\.0/keys", k, r -> keys(r, true)),
                Route.of("entra.keys.v1", "GET", "/" + TENANT + "/discovery/keys", k, r -> keys(r, false)),
                Route.of("entra.authorize", "GET", "/" + TENANT + "/oauth2/v2\\.0/authorize", k, this::authorize),
                Route.of("entra.authorize.submit", "POST", "/" + TENANT + "/oauth2/v2\\.0/authorize", k, this::submit),
                Route.of("entra.adminconsent.v2", "GET", "/" + TENANT + "/v2\\.0/adminconsent", k, r -> adminConsent(r, Flow.ADMIN_CONSENT_V2)),
                Route.of("entra.adminconsent.v2.submit", "POST", "/" + TENANT + "/v2\\.0/adminconsent", k, this::submit),
                Route.of("entra.adminconsent.v1", "GET", "/" + TENANT + "/adminconsent", k, r -> adminConsent(r, Flow.ADMIN_CONSENT_V1)),
                Route.of("entra.adminconsent.v1.submit", "POST", "/" + TENANT + "/adminconsent", k, this::submit),
                Route.of("entra.token", "POST", "/" + TENANT + "/oauth2/v2\\.0/token", k, this::token));
    }

    // ---- discovery ---------------------------------------------------------------------------------------------

    private String tenantIdForDiscovery(String segment) {
        if (isMultiTenant(segment)) {
            return "{tenantid}";
        }
        return tenantOrThrow(segment).tenantId();
    }

    private Response discovery(Request r, boolean v2) {
        String base = r.baseUrl();
        String tid = tenantIdForDiscovery(r.group("tenant"));
        ObjectNode d = Json.object();
        String authority = base + "/" + tid;
        d.put("token_endpoint", authority + "/oauth2/v2.0/token");
        d.putArray("token_endpoint_auth_methods_supported").add("client_secret_post").add("private_key_jwt").add("client_secret_basic");
        d.put("jwks_uri", authority + (v2 ? "/discovery/v2.0/keys" : "/discovery/keys"));
        d.putArray("response_modes_supported").add("query").add("fragment").add("form_post");
        d.putArray("subject_types_supported").add("pairwise");
        d.putArray("id_token_signing_alg_values_supported").add("RS256");
        d.putArray("response_types_supported").add("code").add("id_token").add("code id_token").add("id_token token");
        d.putArray("scopes_supported").add("openid").add("profile").add("email").add("offline_access");
        d.put("issuer", v2 ? authority + "/v2.0" : TokenService.v1Issuer(tid));
        d.put("request_uri_parameter_supported", false);
        d.put("userinfo_endpoint", "https://graph.microsoft.com/oidc/userinfo");
        d.put("authorization_endpoint", authority + "/oauth2/v2.0/authorize");
        d.put("device_authorization_endpoint", authority + "/oauth2/v2.0/devicecode");
        d.put("http_logout_supported", true);
        d.put("frontchannel_logout_supported", true);
        d.put("end_session_endpoint", authority + "/oauth2/v2.0/logout");
        d.putArray("claims_supported").add("sub").add("iss").add("cloud_instance_name").add("cloud_instance_host_name")
                .add("cloud_graph_host_name").add("msgraph_host").add("aud").add("exp").add("iat").add("auth_time")
                .add("acr").add("nonce").add("preferred_username").add("name").add("tid").add("ver").add("at_hash")
                .add("c_hash").add("email");
        d.put("kerberos_endpoint", authority + "/kerberos");
        d.put("tenant_region_scope", "EU");
        d.put("cloud_instance_name", "microsoftonline.com");
        d.put("cloud_graph_host_name", "graph.windows.net");
        d.put("msgraph_host", "graph.microsoft.com");
        d.put("rbac_url", "https://pas.windows.net");
        return Response.json(200, d).header("Cache-Control", "max-age=86400, private");
    }

    private Response keys(Request r, boolean v2) {
        return Response.json(200, tokens.entraKey().jwks(v2 ? r.baseUrl() + "/{tenantid}/v2.0" : null))
                .header("Cache-Control", "max-age=86400, private");
    }

    private Response instanceDiscovery(Request r) {
        String host = r.baseUrl().replaceFirst("^https://", "");
        ObjectNode d = Json.object();
        d.put("tenant_discovery_endpoint", r.baseUrl() + "/common/v2.0/.well-known/openid-configuration");
        d.put("api-version", "1.1");
        ObjectNode meta = d.putArray("metadata").addObject();
        meta.put("preferred_network", host).put("preferred_cache", host);
        meta.putArray("aliases").add(host);
        return Response.json(200, d);
    }

    // ---- authorize and consent pages ---------------------------------------------------------------------------

    private Response authorize(Request r) {
        Map<String, String> p = params(r);
        Application app = appForPage(r.group("tenant"), p);
        if (!"code".equals(p.get("response_type"))) {
            return redirectError(p, "unsupported_response_type",
                    "AADSTS700054: response_type '" + p.get("response_type") + "' is not enabled for the application.");
        }
        if (blank(p.get("scope"))) {
            return redirectError(p, "invalid_request", "AADSTS900144: The request body must contain the following parameter: 'scope'.");
        }
        String method = p.getOrDefault("code_challenge_method", "plain");
        if (p.get("code_challenge") != null && !method.equals("S256") && !method.equals("plain")) {
            return redirectError(p, "invalid_request", "AADSTS501491: Invalid code_challenge_method.");
        }
        Scopes scopes = Scopes.parse(p.get("scope"));
        if (scopes.resource != null && resourceAudience(scopes.resource).isEmpty()) {
            return redirectError(p, "invalid_resource", "AADSTS500011: The resource principal named " + scopes.resource
                    + " was not found in the tenant.");
        }
        String id = newToken(16);
        pending.put(id, new Pending(Flow.AUTHORIZE, r.group("tenant"), p));
        return Response.html(200, ConsentPage.render(r.path(), id, app, permissions(scopes), p.get("login_hint"), null,
                "consent".equals(p.get("prompt"))));
    }

    private Response adminConsent(Request r, Flow flow) {
        Map<String, String> p = params(r);
        String tenantSegment = r.group("tenant");
        if (flow == Flow.ADMIN_CONSENT_V2 && "common".equalsIgnoreCase(tenantSegment)) {
            return errorPage("AADSTS90014: The v2.0 admin consent endpoint does not accept 'common'; use a tenant id, a domain or 'organizations'.");
        }
        Application app = appForPage(tenantSegment, p);
        if (flow == Flow.ADMIN_CONSENT_V2 && blank(p.get("scope"))) {
            return redirectError(p, "invalid_request", "AADSTS900144: The request body must contain the following parameter: 'scope'.");
        }
        String id = newToken(16);
        pending.put(id, new Pending(flow, tenantSegment, p));
        List<String> perms = flow == Flow.ADMIN_CONSENT_V1
                ? List.of("Access Azure Service Management as organization users (user_impersonation)")
                : permissions(Scopes.parse(p.get("scope")));
        return Response.html(200, ConsentPage.render(r.path(), id, app, perms, null, null, true));
    }

    private Response submit(Request r) {
        Map<String, String> form = r.form();
        Pending pend = pending.get(form.getOrDefault("request_id", ""));
        if (pend == null) {
            return errorPage("AADSTS90015: The sign-in request expired or was already used. Start the sign-in again.");
        }
        Map<String, String> p = pend.params();
        Application app = appForPage(pend.tenantSegment(), p);
        if (!"accept".equalsIgnoreCase(form.get("consent"))) {
            pending.remove(form.get("request_id"));
            return pend.flow() == Flow.ADMIN_CONSENT_V1
                    ? redirect(p, Map.of("error", "permission_denied", "error_description", "The admin canceled the request"))
                    : redirectError(p, "access_denied", "AADSTS65004: User declined to consent to access the app.");
        }
        List<String> perms = pend.flow() == Flow.AUTHORIZE || pend.flow() == Flow.ADMIN_CONSENT_V2
                ? permissions(Scopes.parse(p.get("scope")))
                : List.of("Access Azure Service Management as organization users (user_impersonation)");
        Optional<User> user = world.userByUpn(form.getOrDefault("login", ""))
                .filter(u -> u.password() != null && u.password().equals(form.get("password")));
        if (user.isEmpty()) {
            return Response.html(200, ConsentPage.render(r.path(), form.get("request_id"), app, perms, form.get("login"),
                    "AADSTS50126: Error validating credentials due to invalid username or password.", pend.flow() != Flow.AUTHORIZE));
        }
        User u = user.get();
        if (!isMultiTenant(pend.tenantSegment()) && !tenantOrThrow(pend.tenantSegment()).tenantId().equalsIgnoreCase(u.tenantId())) {
            return Response.html(200, ConsentPage.render(r.path(), form.get("request_id"), app, perms, form.get("login"),
                    "AADSTS50020: User account '" + u.userPrincipalName() + "' does not exist in tenant '"
                            + tenantOrThrow(pend.tenantSegment()).displayName() + "'.", pend.flow() != Flow.AUTHORIZE));
        }
        if (pend.flow() != Flow.AUTHORIZE && !u.admin()) {
            return Response.html(200, ConsentPage.render(r.path(), form.get("request_id"), app, perms, form.get("login"),
                    "AADSTS90094: Need admin approval. Granting permissions for the whole organization requires an administrator.", true));
        }
        pending.remove(form.get("request_id"));
        // Consent: the multi-tenant app gets its service principal in the user's tenant.
        world.ensureServicePrincipal(u.tenantId(), app);
        return switch (pend.flow()) {
            case AUTHORIZE -> issueCode(p, app, u);
            case ADMIN_CONSENT_V2 -> redirect(p, ordered("admin_consent", "True", "tenant", u.tenantId(),
                    "scope", p.get("scope")));
            case ADMIN_CONSENT_V1 -> redirect(p, ordered("tenant", u.tenantId(), "admin_consent", "True"));
        };
    }

    private Response issueCode(Map<String, String> p, Application app, User user) {
        Scopes scopes = Scopes.parse(p.get("scope"));
        String code = newToken(48);
        String challenge = p.get("code_challenge");
        codes.put(code, new AuthCode(new Grant(app.appId(), p.get("redirect_uri"), user.objectId(), user.tenantId(),
                scopes.all, scopes.resource, p.get("nonce")), challenge,
                challenge == null ? null : p.getOrDefault("code_challenge_method", "plain"), clock.instant().plus(CODE_LIFETIME)));
        Map<String, String> result = new LinkedHashMap<>();
        result.put("code", code);
        if (p.get("state") != null) {
            result.put("state", p.get("state"));
        }
        result.put("session_state", newToken(8));
        if ("form_post".equals(p.get("response_mode"))) {
            return Response.html(200, ConsentPage.formPost(p.get("redirect_uri"), result));
        }
        return redirect(p, result);
    }

    private Application appForPage(String tenantSegment, Map<String, String> p) {
        if (!isMultiTenant(tenantSegment)) {
            tenantOrThrow(tenantSegment);
        }
        Application app = world.application(p.getOrDefault("client_id", "")).orElseThrow(() -> new PageError(
                "AADSTS700016: Application with identifier '" + p.get("client_id") + "' was not found in the directory '"
                        + tenantSegment + "'."));
        String redirectUri = p.get("redirect_uri");
        if (redirectUri == null || !app.redirectUris().contains(redirectUri)) {
            throw new PageError("AADSTS50011: The redirect URI '" + redirectUri + "' specified in the request does not match "
                    + "the redirect URIs configured for the application '" + app.appId() + "'.");
        }
        return app;
    }

    private static List<String> permissions(Scopes scopes) {
        List<String> list = new ArrayList<>();
        if (scopes.resource != null) {
            list.add(scopes.resourcePermissions.stream().map(s -> s.equals(".default")
                    ? "All permissions the app is configured for on " + scopes.resource
                    : "Access Azure Service Management as you (" + s + ")").collect(Collectors.joining("; ")));
        }
        if (scopes.oidc.contains("openid")) {
            list.add("Sign you in (openid)");
        }
        if (scopes.oidc.contains("profile") || scopes.oidc.contains("email")) {
            list.add("View your basic profile (profile, email)");
        }
        if (scopes.oidc.contains("offline_access")) {
            list.add("Maintain access to data you have given it access to (offline_access)");
        }
        return list;
    }

    // ---- token endpoint ----------------------------------------------------------------------------------------

    private Response token(Request r) {
        Map<String, String> form = r.form();
        String[] basic = basicAuth(r.header("Authorization"));
        String clientId = form.getOrDefault("client_id", basic == null ? null : basic[0]);
        String secret = form.getOrDefault("client_secret", basic == null ? null : basic[1]);
        String grantType = form.get("grant_type");
        if (blank(grantType)) {
            throw EntraException.badRequest("invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'.");
        }
        if (blank(clientId)) {
            throw EntraException.badRequest("invalid_request", 900144, "The request body must contain the following parameter: 'client_id'.");
        }
        String segment = r.group("tenant");
        Application app = world.application(clientId).orElseThrow(() -> EntraException.badRequest("unauthorized_client",
                700016, "Application with identifier '" + clientId + "' was not found in the directory '" + segment + "'."));
        return switch (grantType) {
            case "client_credentials" -> clientCredentials(segment, app, secret, form);
            case "authorization_code" -> authorizationCode(segment, app, secret, form, r.baseUrl());
            case "refresh_token" -> refresh(app, secret, form, r.baseUrl());
            default -> throw EntraException.badRequest("unsupported_grant_type", 70003,
                    "The app requested an unsupported grant type '" + grantType + "'.");
        };
    }

    private Response clientCredentials(String segment, Application app, String secret, Map<String, String> form) {
        if (isMultiTenant(segment)) {
            throw EntraException.badRequest("invalid_request", 50059,
                    "No tenant-identifying information found in either the request or implied by any provided credentials.");
        }
        Tenant tenant = tenantForToken(segment);
        requireSecret(app, secret, true);
        String requested = form.get("scope");
        if (blank(requested)) {
            throw EntraException.badRequest("invalid_request", 900144, "The request body must contain the following parameter: 'scope'.");
        }
        // MSAL adds "openid profile offline_access" to every request; Entra ignores them for client credentials.
        Scopes parsed = Scopes.parse(requested);
        String scope = String.join(" ", parsed.all.stream().filter(s -> !OIDC_SCOPES.contains(s)).toList());
        if (!scope.endsWith("/.default") || scope.contains(" ")) {
            throw EntraException.badRequest("invalid_scope", 1002012, "The provided value for scope " + requested
                    + " is not valid. Client credential flows must have a scope value with /.default suffixed to the "
                    + "resource identifier (application ID URI).");
        }
        String resource = scope.substring(0, scope.length() - "/.default".length());
        String audience = resourceAudience(resource).orElseThrow(() -> EntraException.badRequest("invalid_resource",
                500011, "The resource principal named " + resource + " was not found in the tenant named "
                        + tenant.displayName() + ". This can happen if the application has not been installed by the "
                        + "administrator of the tenant or consented to by any user in the tenant."));
        ServicePrincipal sp = world.servicePrincipal(tenant.tenantId(), app.appId()).orElseThrow(() ->
                EntraException.badRequest("unauthorized_client", 700016, "Application with identifier '" + app.appId()
                        + "' was not found in the directory '" + tenant.displayName() + "'. This can happen if the "
                        + "application has not been installed by the administrator of the tenant or consented to by "
                        + "any user in the tenant. You may have sent your authentication request to the wrong tenant."));
        Duration lifetime = tokens.randomLifetime();
        return tokenResponse(tokens.armAppToken(sp, audience, lifetime), lifetime, null, null, null);
    }

    private Response authorizationCode(String segment, Application app, String secret, Map<String, String> form, String baseUrl) {
        String code = form.get("code");
        if (blank(code)) {
            throw EntraException.badRequest("invalid_request", 900144, "The request body must contain the following parameter: 'code'.");
        }
        AuthCode authCode = codes.remove(code);
        if (authCode == null) {
            throw EntraException.badRequest("invalid_grant", 54005, "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.");
        }
        Grant grant = authCode.grant();
        if (!clock.instant().isBefore(authCode.expires())) {
            throw EntraException.badRequest("invalid_grant", 70008, "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.");
        }
        if (!grant.appId().equalsIgnoreCase(app.appId())) {
            throw EntraException.badRequest("invalid_grant", 70000, "The provided authorization code was issued to another client.");
        }
        if (!isMultiTenant(segment) && !tenantForToken(segment).tenantId().equalsIgnoreCase(grant.tenantId())) {
            throw EntraException.badRequest("invalid_grant", 50148, "The authorization code was issued for another tenant.");
        }
        if (!grant.redirectUri().equals(form.get("redirect_uri"))) {
            throw EntraException.badRequest("invalid_grant", 500117, "The reply uri specified in the request does not match the reply uri configured for the application.");
        }
        if (authCode.challenge() != null) {
            String verifier = form.get("code_verifier");
            if (blank(verifier)) {
                throw EntraException.badRequest("invalid_request", 900144, "The request body must contain the following parameter: 'code_verifier'.");
            }
            String computed = "S256".equals(authCode.challengeMethod()) ? s256(verifier) : verifier;
            if (!computed.equals(authCode.challenge())) {
                throw EntraException.badRequest("invalid_grant", 501481, "The Code_Verifier does not match the code_challenge supplied in the authorization request.");
            }
        }
        boolean confidential = requireSecret(app, secret, false);
        return userTokens(grant, app, confidential, baseUrl);
    }

    private Response refresh(Application app, String secret, Map<String, String> form, String baseUrl) {
        Grant grant = refreshTokens.remove(form.getOrDefault("refresh_token", ""));
        if (grant == null || !grant.appId().equalsIgnoreCase(app.appId())) {
            throw EntraException.badRequest("invalid_grant", 9002313, "Invalid request. Request is malformed or invalid.");
        }
        boolean confidential = requireSecret(app, secret, false);
        return userTokens(grant, app, confidential, baseUrl);
    }

    private Response userTokens(Grant grant, Application app, boolean confidential, String baseUrl) {
        User user = world.user(grant.userId()).orElseThrow(() -> EntraException.badRequest("invalid_grant", 50034,
                "The user account does not exist in the directory."));
        Duration lifetime = tokens.randomLifetime();
        String audience = grant.resource() == null ? "https://graph.microsoft.com" : resourceAudience(grant.resource()).orElseThrow();
        String access = tokens.armUserToken(user, app, confidential, audience, lifetime);
        String refresh = null;
        if (grant.scopes().contains("offline_access")) {
            refresh = newToken(64);
            refreshTokens.put(refresh, grant);
        }
        String idToken = grant.scopes().contains("openid") ? tokens.idToken(user, app, baseUrl, grant.nonce()) : null;
        return tokenResponse(access, lifetime, String.join(" ", grant.scopes()), refresh, idToken);
    }

    private Response tokenResponse(String accessToken, Duration lifetime, String scope, String refresh, String idToken) {
        ObjectNode body = Json.object();
        body.put("token_type", "Bearer");
        if (scope != null) {
            body.put("scope", scope);
        }
        body.put("expires_in", lifetime.toSeconds());
        body.put("ext_expires_in", lifetime.toSeconds());
        body.put("access_token", accessToken);
        if (refresh != null) {
            body.put("refresh_token", refresh);
        }
        if (idToken != null) {
            body.put("id_token", idToken);
        }
        return Response.json(200, body).header("Cache-Control", "no-store, no-cache").header("Pragma", "no-cache");
    }

    /** @return whether the client authenticated with a secret (a confidential client) */
    private static boolean requireSecret(Application app, String secret, boolean always) {
        if (app.secrets().isEmpty() && !always) {
            return false;
        }
        if (blank(secret)) {
            throw new EntraException(401, "invalid_client", 7000218,
                    "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
        }
        if (!app.secrets().contains(secret)) {
            throw new EntraException(401, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret "
                    + "being sent in the request is the client secret value, not the client secret ID, for a secret added to app '"
                    + app.appId() + "'.");
        }
        return true;
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    /** The requested scopes split into one resource (with its permissions) and OIDC scopes. */
    private static final class Scopes {
        final List<String> all = new ArrayList<>();
        final Set<String> oidc = new LinkedHashSet<>();
        final List<String> resourcePermissions = new ArrayList<>();
        String resource;

        static Scopes parse(String scope) {
            Scopes s = new Scopes();
            for (String item : scope == null ? new String[0] : scope.trim().split("\\s+")) {
                if (item.isEmpty()) {
                    continue;
                }
                s.all.add(item);
                if (OIDC_SCOPES.contains(item)) {
                    s.oidc.add(item);
                } else {
                    int slash = item.lastIndexOf('/');
                    String resource = slash < 0 ? item : item.substring(0, slash);
                    if (s.resource == null) {
                        s.resource = resource;
                    }
                    s.resourcePermissions.add(slash < 0 ? "user_impersonation" : item.substring(slash + 1));
                }
            }
            return s;
        }
    }

    /** @return the {@code aud} a v1 token for this resource carries, if Entra knows the resource */
    static Optional<String> resourceAudience(String resource) {
        String r = resource.toLowerCase(Locale.ROOT).replaceAll("/+$", "");
        return switch (r) {
            case "https://management.azure.com", ARM_APP_ID -> Optional.of("https://management.azure.com/");
            case "https://management.core.windows.net" -> Optional.of("https://management.core.windows.net/");
            case "https://graph.microsoft.com", "00000003-0000-0000-c000-000000000000" -> Optional.of("https://graph.microsoft.com");
            default -> Optional.empty();
        };
    }

    private static boolean isMultiTenant(String segment) {
        return segment.equalsIgnoreCase("common") || segment.equalsIgnoreCase("organizations");
    }

    private Tenant tenantOrThrow(String segment) {
        return world.tenant(segment).orElseThrow(() -> new PageError("AADSTS90002: Tenant '" + segment
                + "' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud."));
    }

    private Tenant tenantForToken(String segment) {
        return world.tenant(segment).orElseThrow(() -> EntraException.badRequest("invalid_request", 90002,
                "Tenant '" + segment + "' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud."));
    }

    private static Map<String, String> params(Request r) {
        Map<String, String> p = new LinkedHashMap<>();
        r.queryParameters().forEach((k, v) -> p.put(k, v.get(0)));
        return p;
    }

    private static Response redirectError(Map<String, String> p, String error, String description) {
        return redirect(p, ordered("error", error, "error_description", description));
    }

    /** Redirects to the request's redirect_uri with {@code values} (plus the state) in the query. */
    private static Response redirect(Map<String, String> p, Map<String, String> values) {
        Map<String, String> all = new LinkedHashMap<>(values);
        if (p.get("state") != null) {
            all.putIfAbsent("state", p.get("state"));
        }
        String query = all.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        String uri = p.get("redirect_uri");
        if ("fragment".equals(p.get("response_mode"))) {
            return Response.redirect(uri + "#" + query);
        }
        return Response.redirect(uri + (uri.contains("?") ? "&" : "?") + query);
    }

    private static Map<String, String> ordered(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] != null) {
                m.put(kv[i], kv[i + 1]);
            }
        }
        return m;
    }

    private static Response errorPage(String message) {
        return Response.html(400, ConsentPage.error(message));
    }

    private static String[] basicAuth(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        return colon < 0 ? null : new String[]{decoded.substring(0, colon), decoded.substring(colon + 1)};
    }

    static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String newToken(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** An error Entra shows as a page (bad client id, reply URL mismatch) rather than redirecting. */
    static final class PageError extends dev.canopy.emulator.server.HttpError {
        PageError(String message) {
            super(message);
        }

        @Override
        public Response toResponse() {
            return errorPage(getMessage());
        }
    }
}

package dev.canopy.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.canopy.emulator.world.SampleWorld;
import dev.canopy.emulator.world.WorldBuilder;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Entra ID: discovery, JWKS, client credentials, auth code + PKCE with the consent page, admin consent, platform issuer. */
class EntraTest {

    static AzureEmulator emulator;
    static EmulatorClient client;
    static final String TREY = SampleWorld.TREY_TENANT_ID;
    static final String APP = WorldBuilder.CANOPY_APP_ID;
    static final String REDIRECT = "https://canopy.test/callback";

    @BeforeAll
    static void start() {
        emulator = AzureEmulator.start();
        client = new EmulatorClient(emulator);
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @BeforeEach
    void reset() {
        emulator.reset();
    }

    private static EmulatorClient.Reply clientCredentials(String tenant, String secret, String scope) {
        return client.form("/" + tenant + "/oauth2/v2.0/token", Map.of("grant_type", "client_credentials",
                "client_id", APP, "client_secret", secret, "scope", scope));
    }

    private static JwtClaims verified(String token, String jwksPath) throws Exception {
        JsonWebKeySet jwks = new JsonWebKeySet(client.get(jwksPath, null).body());
        return new JwtConsumerBuilder().setVerificationKeyResolver(new JwksVerificationKeyResolver(jwks.getJsonWebKeys()))
                .setSkipDefaultAudienceValidation().setRequireExpirationTime().build().processToClaims(token);
    }

    @Test
    void discoveryDocumentsNameTheEmulatorsEndpointsAndIssuers() {
        JsonNode v2 = client.get("/" + TREY + "/v2.0/.well-known/openid-configuration", null).json();
        assertThat(v2.path("issuer").asText()).isEqualTo(emulator.baseUrl() + "/" + TREY + "/v2.0");
        assertThat(v2.path("token_endpoint").asText()).isEqualTo(emulator.baseUrl() + "/" + TREY + "/oauth2/v2.0/token");
        assertThat(v2.path("jwks_uri").asText()).isEqualTo(emulator.baseUrl() + "/" + TREY + "/discovery/v2.0/keys");
        assertThat(v2.path("id_token_signing_alg_values_supported").toString()).isEqualTo("[\"RS256\"]");
        JsonNode v1 = client.get("/" + TREY + "/.well-known/openid-configuration", null).json();
        assertThat(v1.path("issuer").asText()).isEqualTo("https://sts.windows.net/" + TREY + "/");
        JsonNode keys = client.get("/" + TREY + "/discovery/v2.0/keys", null).json().path("keys").get(0);
        assertThat(keys.path("kty").asText()).isEqualTo("RSA");
        assertThat(keys.path("kid").asText()).isEqualTo(keys.path("x5t").asText());
        assertThat(keys.path("x5c").size()).isEqualTo(1);
        assertThat(client.get("/nosuchtenant.example/v2.0/.well-known/openid-configuration", null).status()).isEqualTo(400);
    }

    @Test
    void clientCredentialsIssueAnArmAppTokenForTheServicePrincipalOfThatTenant() throws Exception {
        EmulatorClient.Reply reply = clientCredentials(WorldBuilder.CANOPY_TENANT_ID, WorldBuilder.CANOPY_APP_SECRET,
                "https://management.azure.com/.default");
        assertThat(reply.status()).isEqualTo(200);
        JsonNode body = reply.json();
        assertThat(body.path("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.path("expires_in").asLong()).isBetween(3600L, 5400L);
        assertThat(body.has("refresh_token")).isFalse();
        JwtClaims claims = verified(body.path("access_token").asText(), "/common/discovery/keys");
        String sp = emulator.world().servicePrincipal(WorldBuilder.CANOPY_TENANT_ID, APP).orElseThrow().objectId();
        assertThat(claims.getAudience()).containsExactly("https://management.azure.com/");
        assertThat(claims.getIssuer()).isEqualTo("https://sts.windows.net/" + WorldBuilder.CANOPY_TENANT_ID + "/");
        assertThat(claims.getClaimValue("oid")).isEqualTo(sp);
        assertThat(claims.getSubject()).isEqualTo(sp);
        assertThat(claims.getClaimValue("appid")).isEqualTo(APP);
        assertThat(claims.getClaimValue("idtyp")).isEqualTo("app");
        assertThat(claims.getClaimValue("ver")).isEqualTo("1.0");
        assertThat(claims.hasClaim("scp")).isFalse();
        long lifetime = claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue();
        assertThat(lifetime).isBetween(3600L, 5400L);
    }

    @Test
    void tokenEndpointRefusesLikeEntra() {
        EmulatorClient.Reply badSecret = clientCredentials(WorldBuilder.CANOPY_TENANT_ID, "wrong", "https://management.azure.com/.default");
        assertThat(badSecret.status()).isEqualTo(401);
        assertThat(badSecret.json().path("error").asText()).isEqualTo("invalid_client");
        assertThat(badSecret.json().path("error_codes").get(0).asInt()).isEqualTo(7000215);
        assertThat(badSecret.json().path("error_description").asText()).startsWith("AADSTS7000215:").contains("Trace ID:");

        EmulatorClient.Reply noDefault = clientCredentials(WorldBuilder.CANOPY_TENANT_ID, WorldBuilder.CANOPY_APP_SECRET,
                "https://management.azure.com/user_impersonation");
        assertThat(noDefault.json().path("error").asText()).isEqualTo("invalid_scope");

        // No consent in Trey yet: the app has no service principal there.
        EmulatorClient.Reply notConsented = clientCredentials(TREY, WorldBuilder.CANOPY_APP_SECRET, "https://management.azure.com/.default");
        assertThat(notConsented.status()).isEqualTo(400);
        assertThat(notConsented.json().path("error").asText()).isEqualTo("unauthorized_client");
        assertThat(notConsented.json().path("error_codes").get(0).asInt()).isEqualTo(700016);
    }

    static String verifier() {
        return "verifier-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ";
    }

    static String challenge(String verifier) throws Exception {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    }

    static String authorizeUrl(String tenant, String challenge) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("client_id", APP);
        q.put("response_type", "code");
        q.put("redirect_uri", REDIRECT);
        q.put("scope", "https://management.azure.com/user_impersonation offline_access openid profile");
        q.put("state", "state-42");
        q.put("prompt", "consent");
        q.put("code_challenge", challenge);
        q.put("code_challenge_method", "S256");
        StringBuilder sb = new StringBuilder(emulator.baseUrl() + "/" + tenant + "/oauth2/v2.0/authorize?");
        q.forEach((k, v) -> sb.append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)).append('&'));
        return sb.toString();
    }

    static Map<String, String> query(URI uri) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            map.put(kv[0], java.net.URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return map;
    }

    @Test
    void consentPageListsThePermissionsAndAcceptIssuesACodeRedeemedWithPkce() throws Exception {
        String page = client.get(authorizeUrl("organizations", challenge(verifier())), null).body();
        assertThat(page).contains("Access Azure Service Management as you (user_impersonation)")
                .contains("Accept").contains("Cancel").contains("Canopy");

        URI callback = emulator.browser().consent(authorizeUrl("organizations", challenge(verifier())),
                SampleWorld.DEMO_ADMIN, SampleWorld.DEMO_ADMIN_PASSWORD);
        assertThat(callback.toString()).startsWith(REDIRECT + "?");
        Map<String, String> q = query(callback);
        assertThat(q.get("state")).isEqualTo("state-42");
        // Consent created Canopy's service principal in Trey, with an object id of its own.
        String sp = emulator.world().servicePrincipal(TREY, APP).orElseThrow().objectId();
        assertThat(sp).isNotEqualTo(APP);

        Map<String, String> redeem = new LinkedHashMap<>(Map.of("grant_type", "authorization_code", "client_id", APP,
                "client_secret", WorldBuilder.CANOPY_APP_SECRET, "code", q.get("code"), "redirect_uri", REDIRECT,
                "code_verifier", "wrong-verifier-wrong-verifier-wrong-verifier"));
        EmulatorClient.Reply wrongVerifier = client.form("/" + TREY + "/oauth2/v2.0/token", redeem);
        assertThat(wrongVerifier.json().path("error").asText()).isEqualTo("invalid_grant");

        // A failed redemption burns the code, as Entra does: start over.
        URI again = emulator.browser().consent(authorizeUrl(TREY, challenge(verifier())), SampleWorld.DEMO_ADMIN,
                SampleWorld.DEMO_ADMIN_PASSWORD);
        redeem.put("code", query(again).get("code"));
        redeem.put("code_verifier", verifier());
        EmulatorClient.Reply tokens = client.form("/" + TREY + "/oauth2/v2.0/token", redeem);
        assertThat(tokens.status()).isEqualTo(200);
        JwtClaims access = verified(tokens.json().path("access_token").asText(), "/" + TREY + "/discovery/keys");
        assertThat(access.getClaimValue("scp")).isEqualTo("user_impersonation");
        assertThat(access.getClaimValue("upn")).isEqualTo(SampleWorld.DEMO_ADMIN);
        assertThat(access.getClaimValue("oid")).isEqualTo(SampleWorld.DEMO_ADMIN_ID);
        assertThat(access.getClaimValue("tid")).isEqualTo(TREY);
        assertThat(access.getClaimValue("idtyp")).isEqualTo("user");
        assertThat(tokens.json().path("refresh_token").asText()).isNotEmpty();
        JwtClaims id = verified(tokens.json().path("id_token").asText(), "/" + TREY + "/discovery/v2.0/keys");
        assertThat(id.getIssuer()).isEqualTo(emulator.baseUrl() + "/" + TREY + "/v2.0");
        assertThat(id.getAudience()).containsExactly(APP);

        EmulatorClient.Reply reused = client.form("/" + TREY + "/oauth2/v2.0/token", redeem);
        assertThat(reused.json().path("error").asText()).isEqualTo("invalid_grant");

        EmulatorClient.Reply refreshed = client.form("/" + TREY + "/oauth2/v2.0/token", Map.of("grant_type", "refresh_token",
                "client_id", APP, "client_secret", WorldBuilder.CANOPY_APP_SECRET, "refresh_token",
                tokens.json().path("refresh_token").asText(), "scope", "https://management.azure.com/user_impersonation offline_access"));
        assertThat(refreshed.status()).isEqualTo(200);

        // After consent, client credentials work in Trey and the token's oid is the new service principal.
        JsonNode app = clientCredentials(TREY, WorldBuilder.CANOPY_APP_SECRET, "https://management.azure.com/.default").json();
        assertThat(verified(app.path("access_token").asText(), "/common/discovery/keys").getClaimValue("oid")).isEqualTo(sp);
    }

    @Test
    void cancelWrongPasswordAndForeignUsersAreRefused() throws Exception {
        URI cancelled = emulator.browser().cancel(authorizeUrl(TREY, challenge(verifier())), SampleWorld.DEMO_ADMIN,
                SampleWorld.DEMO_ADMIN_PASSWORD);
        assertThat(query(cancelled)).containsEntry("error", "access_denied").containsEntry("state", "state-42");
        assertThat(emulator.world().servicePrincipal(TREY, APP)).isEmpty();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> emulator.browser().consent(
                        authorizeUrl(TREY, challenge(verifier())), SampleWorld.DEMO_ADMIN, "wrong"))
                .hasMessageContaining("AADSTS50126");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> emulator.browser().consent(
                        authorizeUrl(TREY, challenge(verifier())), SampleWorld.CONTOSO_ADMIN, SampleWorld.CONTOSO_ADMIN_PASSWORD))
                .hasMessageContaining("AADSTS50020");
        String badRedirect = authorizeUrl(TREY, "x").replace(URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8), "https%3A%2F%2Fevil.example%2F");
        assertThat(client.get(badRedirect, null).body()).contains("AADSTS50011");
    }

    @Test
    void adminConsentNeedsAnAdministratorAndRedirectsWithTheTenant() {
        String url = emulator.baseUrl() + "/organizations/v2.0/adminconsent?client_id=" + APP + "&scope="
                + URLEncoder.encode("https://management.azure.com/.default", StandardCharsets.UTF_8)
                + "&redirect_uri=" + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8) + "&state=s1";
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> emulator.browser().consent(url,
                SampleWorld.TREY_VIEWER, SampleWorld.TREY_VIEWER_PASSWORD)).hasMessageContaining("AADSTS90094");
        Map<String, String> q = query(emulator.browser().consent(url, SampleWorld.DEMO_ADMIN, SampleWorld.DEMO_ADMIN_PASSWORD));
        assertThat(q).containsEntry("admin_consent", "True").containsEntry("tenant", TREY).containsEntry("state", "s1")
                .containsEntry("scope", "https://management.azure.com/.default");
        assertThat(emulator.world().servicePrincipal(TREY, APP)).isPresent();
    }

    @Test
    void platformIssuerSignsTokensWithRolesPerCustomerTenant() throws Exception {
        JsonNode discovery = client.get("/canopy-platform/.well-known/openid-configuration", null).json();
        assertThat(discovery.path("issuer").asText()).isEqualTo(emulator.platformIssuer());
        EmulatorClient.Reply reply = client.form("/canopy-platform/token", Map.of("grant_type", "password",
                "username", "alice@canopy.example", "password", "alice-pw"));
        assertThat(reply.status()).isEqualTo(200);
        JwtClaims claims = verified(reply.json().path("access_token").asText(), "/canopy-platform/keys");
        assertThat(claims.getIssuer()).isEqualTo(emulator.platformIssuer());
        assertThat(claims.getAudience()).containsExactly("canopy-api");
        assertThat(claims.getStringListClaimValue("canopy_roles"))
                .containsExactly("admin:" + TREY, "viewer:" + SampleWorld.CONTOSO_TENANT_ID);
        assertThat(client.form("/canopy-platform/token", Map.of("grant_type", "password", "username", "alice@canopy.example",
                "password", "nope")).status()).isEqualTo(400);
        JwtClaims minted = verified(emulator.tokens().platformToken("x@y", List.of("ops"), java.time.Duration.ofMinutes(5)),
                "/canopy-platform/keys");
        assertThat(minted.getStringListClaimValue("canopy_roles")).containsExactly("ops");
    }
}

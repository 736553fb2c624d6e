package dev.canopy.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.canopy.emulator.arm.Rbac;
import dev.canopy.emulator.entra.TokenService;
import dev.canopy.emulator.limits.LimitSettings;
import dev.canopy.emulator.world.Application;
import dev.canopy.emulator.world.CostEntry;
import dev.canopy.emulator.world.Resource;
import dev.canopy.emulator.world.SampleWorld;
import dev.canopy.emulator.world.ServicePrincipal;
import dev.canopy.emulator.world.WorldBuilder;
import dev.canopy.emulator.world.WorldSpec;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A skeptical reviewer's probes: each checks a place where a lenient emulator would let Canopy pass and fail in Azure. */
class AdversarialReviewTest extends ArmTestBase {

    static final String RESOURCES = "/subscriptions/" + RND + "/resources?" + RES;
    static final String TAGS = "/providers/Microsoft.Resources/tags/default?api-version=2025-04-01";
    static final String QUERY = "/subscriptions/" + RND + "/providers/Microsoft.CostManagement/query?" + COST;

    private static void assertArm401(EmulatorClient.Reply reply, String code) {
        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.errorCode()).isEqualTo(code);
        assertThat(reply.header("WWW-Authenticate")).startsWith("Bearer authorization_uri=");
    }

    private static String assignments(String sub) {
        return "/subscriptions/" + sub + "/providers/Microsoft.Authorization/roleAssignments";
    }

    private static Map<String, Object> assignment(String role, String principal, String type) {
        return Map.of("properties", Map.of("roleDefinitionId", "/providers/Microsoft.Authorization/roleDefinitions/" + role,
                "principalId", principal, "principalType", type));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** A v1 ARM token with every claim right, signed with {@code alg} by a key the emulator never published. */
    private static String forged(String alg) throws Exception {
        JwtClaims claims = new JwtClaims();
        long now = emulator.clock().instant().getEpochSecond();
        claims.setAudience(TokenService.ARM_AUDIENCE);
        claims.setIssuer(TokenService.v1Issuer(TREY));
        claims.setClaim("tid", TREY);
        claims.setClaim("oid", SampleWorld.DEMO_ADMIN_ID);
        claims.setClaim("scp", "user_impersonation");
        claims.setClaim("ver", "1.0");
        claims.setIssuedAt(NumericDate.fromSeconds(now));
        claims.setNotBefore(NumericDate.fromSeconds(now - 60));
        claims.setExpirationTime(NumericDate.fromSeconds(now + 3600));
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(alg);
        if (AlgorithmIdentifiers.NONE.equals(alg)) {
            jws.setAlgorithmConstraints(org.jose4j.jwa.AlgorithmConstraints.NO_CONSTRAINTS);
        } else {
            jws.setKey(RsaJwkGenerator.generateJwk(2048).getPrivateKey());
        }
        return jws.getCompactSerialization();
    }

    // ---- tokens ------------------------------------------------------------------------------------------------

    @Test
    void forgedUnsignedIdAndV2TokensAreRefusedWith401() throws Exception {
        assertArm401(client.get(RESOURCES, forged(AlgorithmIdentifiers.RSA_USING_SHA256)), "InvalidAuthenticationToken");
        assertArm401(client.get(RESOURCES, forged(AlgorithmIdentifiers.NONE)), "InvalidAuthenticationToken");
        assertArm401(client.send("GET", RESOURCES, "", null), "AuthenticationFailed");

        // An id token (v2: iss .../v2.0, aud = the client id) is signed by Entra's key but is not an ARM token.
        assertArm401(client.get(RESOURCES, idToken()), "InvalidAuthenticationToken");

        // A v1 token minted for the client's own app id (what a v2 access token's aud looks like).
        String forClient = emulator.tokens().userToken(SampleWorld.DEMO_ADMIN, WorldBuilder.CANOPY_APP_ID, Duration.ofHours(1));
        assertArm401(client.get(RESOURCES, forClient), "InvalidAuthenticationToken");

        // The same ARM token is refused the second it expires on the emulator's clock.
        String valid = emulator.tokens().userToken(SampleWorld.DEMO_ADMIN, TokenService.ARM_AUDIENCE, Duration.ofMinutes(60));
        assertThat(client.get(RESOURCES, valid).status()).isEqualTo(200);
        emulator.clock().advance(Duration.ofMinutes(60));
        EmulatorClient.Reply expired = client.get(RESOURCES, valid);
        assertArm401(expired, "ExpiredAuthenticationToken");
        assertThat(expired.json().path("error").path("message").asText()).contains("is earlier than current UTC time");
    }

    private static String authorizeUrl(String challenge) {
        return emulator.baseUrl() + "/" + TREY + "/oauth2/v2.0/authorize?client_id=" + WorldBuilder.CANOPY_APP_ID
                + "&response_type=code&redirect_uri=" + enc(EntraTest.REDIRECT)
                + "&scope=" + enc("https://management.azure.com/user_impersonation openid offline_access")
                + "&code_challenge=" + challenge + "&code_challenge_method=S256&state=s";
    }

    /** Signs the demo admin in and returns the code Entra redirected back with. */
    private static String signInCode(String verifier) throws Exception {
        java.net.URI callback = emulator.browser().consent(authorizeUrl(EntraTest.challenge(verifier)),
                SampleWorld.DEMO_ADMIN, SampleWorld.DEMO_ADMIN_PASSWORD);
        return EntraTest.query(callback).get("code");
    }

    private static EmulatorClient.Reply redeem(String code, String verifier, String redirectUri) {
        return client.form("/" + TREY + "/oauth2/v2.0/token", Map.of("grant_type", "authorization_code",
                "client_id", WorldBuilder.CANOPY_APP_ID, "client_secret", WorldBuilder.CANOPY_APP_SECRET,
                "code", code, "redirect_uri", redirectUri, "code_verifier", verifier));
    }

    /** Signs the demo admin in through the token endpoint and returns the id token. */
    private static String idToken() throws Exception {
        String verifier = EntraTest.verifier();
        EmulatorClient.Reply tokens = redeem(signInCode(verifier), verifier, EntraTest.REDIRECT);
        assertThat(tokens.status()).isEqualTo(200);
        return tokens.json().path("id_token").asText();
    }

    @Test
    void anExpiredOrMisdirectedCodeIsInvalidGrantInEntrasShape() throws Exception {
        String verifier = EntraTest.verifier();
        String code = signInCode(verifier);
        emulator.clock().advance(Duration.ofMinutes(10));
        EmulatorClient.Reply expired = redeem(code, verifier, EntraTest.REDIRECT);
        assertThat(expired.status()).isEqualTo(400);
        assertThat(expired.json().path("error").asText()).isEqualTo("invalid_grant");
        assertThat(expired.json().path("error_codes").get(0).asInt()).isEqualTo(70008);
        assertThat(expired.json().path("error_description").asText()).startsWith("AADSTS70008:").contains("Correlation ID:");
        assertThat(expired.json().path("trace_id").asText()).isNotBlank();

        EmulatorClient.Reply otherRedirect = redeem(signInCode(verifier), verifier, "https://canopy.test/other");
        assertThat(otherRedirect.json().path("error").asText()).isEqualTo("invalid_grant");

        EmulatorClient.Reply noVerifier = client.form("/" + TREY + "/oauth2/v2.0/token", Map.of("grant_type", "authorization_code",
                "client_id", WorldBuilder.CANOPY_APP_ID, "client_secret", WorldBuilder.CANOPY_APP_SECRET,
                "code", signInCode(verifier), "redirect_uri", EntraTest.REDIRECT));
        assertThat(noVerifier.status()).isEqualTo(400);

        EmulatorClient.Reply wrongSecret = client.form("/" + TREY + "/oauth2/v2.0/token", Map.of("grant_type", "authorization_code",
                "client_id", WorldBuilder.CANOPY_APP_ID, "client_secret", "nope", "code", signInCode(verifier),
                "redirect_uri", EntraTest.REDIRECT, "code_verifier", verifier));
        assertThat(wrongSecret.status()).isEqualTo(401);
        assertThat(wrongSecret.json().path("error").asText()).isEqualTo("invalid_client");
    }

    @Test
    void aTokenOfAnotherTenantIsRefusedOnEverySubscriptionScopedApi() {
        String contoso = emulator.tokens().userToken(SampleWorld.CONTOSO_ADMIN);
        EmulatorClient.Reply tags = client.get("/subscriptions/" + RND + TAGS, contoso);
        assertArm401(tags, "InvalidAuthenticationTokenTenant");
        assertThat(tags.json().path("error").path("message").asText()).contains("wrong issuer");
        assertArm401(client.get(assignments(RND) + "?" + AUTHZ, contoso), "InvalidAuthenticationTokenTenant");
        assertArm401(client.send("POST", QUERY, contoso, CostAndPartnerTest.query("ActualCost", "None", List.of())),
                "InvalidAuthenticationTokenTenant");
        JsonNode subs = client.get("/subscriptions?api-version=2022-12-01", contoso).json().path("value");
        subs.forEach(s -> assertThat(s.path("tenantId").asText()).isEqualTo(SampleWorld.CONTOSO_TENANT_ID));
    }

    // ---- RBAC --------------------------------------------------------------------------------------------------

    @Test
    void tagContributorOnOneSubscriptionSeesNothingOfAnother() {
        Fixtures.canopyWithRole(emulator.world(), TREY, RND, Fixtures.TAG_CONTRIBUTOR);
        String sp = emulator.tokens().appToken(TREY);
        JsonNode subs = client.get("/subscriptions?api-version=2022-12-01", sp).json().path("value");
        assertThat(subs.size()).isEqualTo(1);
        assertThat(subs.get(0).path("subscriptionId").asText()).isEqualTo(RND);
        String finance = SampleWorld.SUB_FINANCE;
        assertThat(client.get("/subscriptions/" + finance + "?api-version=2022-12-01", sp).errorCode()).isEqualTo("AuthorizationFailed");
        assertThat(client.get("/subscriptions/" + finance + "/resourcegroups?" + RES, sp).errorCode()).isEqualTo("AuthorizationFailed");
        assertThat(client.get("/subscriptions/" + finance + TAGS, sp).errorCode()).isEqualTo("AuthorizationFailed");
        assertThat(client.get(assignments(finance) + "?" + AUTHZ, sp).errorCode()).isEqualTo("AuthorizationFailed");

        // Tag Contributor may tag but not write anything else, and the 403 names the action and the scope.
        EmulatorClient.Reply cost = client.send("POST", QUERY, sp, CostAndPartnerTest.query("ActualCost", "None", List.of()));
        String oid = emulator.world().servicePrincipal(TREY, WorldBuilder.CANOPY_APP_ID).orElseThrow().objectId();
        assertThat(cost.json().path("error").path("message").asText()).isEqualTo("The client '" + oid + "' with object id '"
                + oid + "' does not have authorization to perform action 'Microsoft.CostManagement/query/read' over scope '/subscriptions/"
                + RND + "' or the scope is invalid. If access was recently granted, please refresh your credentials.");
    }

    @Test
    void anOwnerInheritedThroughAGroupMayAssignButAnRgOwnerIsNoSubscriptionOwner() {
        String viewer = WorldBuilder.stableId("user|" + SampleWorld.TREY_VIEWER);
        String finops = WorldBuilder.stableId("group|trey-finops");
        String viewerToken = emulator.tokens().userToken(SampleWorld.TREY_VIEWER);
        ServicePrincipal sp = emulator.world().ensureServicePrincipal(TREY,
                emulator.world().application(WorldBuilder.CANOPY_APP_ID).orElseThrow());
        String rg = emulator.world().resourceGroups(SampleWorld.SUB_CORPORATE).get(0).id();

        Fixtures.grant(emulator.world(), rg, Rbac.OWNER, viewer, "User");
        EmulatorClient.Reply atSub = client.send("PUT", assignments(SampleWorld.SUB_CORPORATE) + "/" + UUID.randomUUID() + "?" + AUTHZ,
                viewerToken, assignment(Rbac.TAG_CONTRIBUTOR, sp.objectId(), "ServicePrincipal"));
        assertThat(atSub.status()).isEqualTo(403);
        assertThat(atSub.errorCode()).isEqualTo("AuthorizationFailed");
        String ownerFilter = "?" + AUTHZ + "&$filter=" + enc("atScope() and assignedTo('" + viewer + "')");
        assertThat(client.get(assignments(SampleWorld.SUB_CORPORATE) + ownerFilter, viewerToken).json().path("value")).isEmpty();

        Fixtures.grant(emulator.world(), "/subscriptions/" + SampleWorld.SUB_CORPORATE, Rbac.OWNER, finops, "Group");
        assertThat(client.send("PUT", assignments(SampleWorld.SUB_CORPORATE) + "/" + UUID.randomUUID() + "?" + AUTHZ,
                viewerToken, assignment(Rbac.TAG_CONTRIBUTOR, sp.objectId(), "ServicePrincipal")).status()).isEqualTo(201);

        // assignedTo() takes users and service principals, not groups.
        EmulatorClient.Reply group = client.get(assignments(SampleWorld.SUB_CORPORATE) + "?" + AUTHZ + "&$filter="
                + enc("assignedTo('" + finops + "')"), admin());
        assertThat(group.status()).isEqualTo(400);
    }

    @Test
    void theTenantLevelAssignmentListNeverShowsAnotherTenantsAssignments() {
        String contoso = emulator.tokens().userToken(SampleWorld.CONTOSO_ADMIN);
        EmulatorClient.Reply reply = client.get("/providers/Microsoft.Authorization/roleAssignments?" + AUTHZ, contoso);
        assertThat(reply.status()).isEqualTo(200);
        List<String> scopes = new ArrayList<>();
        reply.json().path("value").forEach(a -> scopes.add(a.path("properties").path("scope").asText()));
        assertThat(scopes).isNotEmpty().allSatisfy(s -> assertThat(s).startsWithIgnoringCase("/subscriptions/" + SampleWorld.CONTOSO_SUB));

        // Within the tenant, only what the caller may read: the admin has no role on Cost Management Research.
        String viewer = WorldBuilder.stableId("user|" + SampleWorld.TREY_VIEWER);
        Fixtures.grant(emulator.world(), "/subscriptions/" + SampleWorld.SUB_COST_RESEARCH, Rbac.READER, viewer, "User");
        List<String> adminSees = new ArrayList<>();
        client.get("/providers/Microsoft.Authorization/roleAssignments?" + AUTHZ, admin()).json().path("value")
                .forEach(a -> adminSees.add(a.path("properties").path("scope").asText().toLowerCase()));
        assertThat(adminSees).contains("/subscriptions/" + RND)
                .noneMatch(s -> s.contains(SampleWorld.SUB_COST_RESEARCH) || s.contains(SampleWorld.CONTOSO_SUB));
    }

    // ---- role assignments --------------------------------------------------------------------------------------

    @Test
    void aPrincipalTypeThatDoesNotMatchTheDirectoryIsRefused() {
        ServicePrincipal sp = emulator.world().ensureServicePrincipal(TREY,
                emulator.world().application(WorldBuilder.CANOPY_APP_ID).orElseThrow());
        EmulatorClient.Reply wrong = client.send("PUT", assignments(RND) + "/" + UUID.randomUUID() + "?" + AUTHZ, admin(),
                assignment(Rbac.TAG_CONTRIBUTOR, sp.objectId(), "User"));
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.errorCode()).isEqualTo("UnmatchedPrincipalType");
        assertThat(wrong.json().path("error").path("message").asText()).contains(sp.objectId()).contains("'ServicePrincipal'")
                .contains("'User'");
        assertThat(client.send("PUT", assignments(RND) + "/" + UUID.randomUUID() + "?" + AUTHZ, admin(),
                assignment(Rbac.TAG_CONTRIBUTOR, SampleWorld.DEMO_ADMIN_ID, "ServicePrincipal")).errorCode())
                .isEqualTo("UnmatchedPrincipalType");
    }

    // ---- paging ------------------------------------------------------------------------------------------------

    @Test
    void aSkipTokenTheEmulatorDidNotIssueIs400() {
        String first = RESOURCES + "&$top=2";
        String next = client.get(first, admin()).json().path("nextLink").asText();
        assertThat(next).contains("%24skiptoken=");
        // A well-formed base64 token that names a position ARM never handed out.
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString("/subscriptions/zzz".getBytes(StandardCharsets.UTF_8));
        EmulatorClient.Reply tampered = client.get(first + "&$skiptoken=" + forged, admin());
        assertThat(tampered.status()).isEqualTo(400);
        assertThat(tampered.errorCode()).isNotBlank();
        String token = next.substring(next.indexOf("%24skiptoken=") + "%24skiptoken=".length());
        String flipped = (token.charAt(0) == 'A' ? "B" : "A") + token.substring(1);
        assertThat(client.get(next.replace(token, flipped), admin()).status()).isEqualTo(400);
        assertThat(client.get(next, admin()).status()).isEqualTo(200);

        // The cost query's nextLink token is checked as well; a forged offset is a 400, never a 500.
        String costForged = Base64.getUrlEncoder().withoutPadding().encodeToString("99999".getBytes(StandardCharsets.UTF_8));
        EmulatorClient.Reply cost = client.send("POST", QUERY + "&$skiptoken=" + costForged, admin(),
                CostAndPartnerTest.query("ActualCost", "Daily", List.of(Map.of("type", "Dimension", "name", "ResourceId"))));
        assertThat(cost.status()).isEqualTo(400);
    }

    @Test
    void pagesKeepTheFilterAndTheOrderAndTheLastHasNoNextLink() {
        String filter = "&$filter=" + enc("substringof('a', name)") + "&$top=2";
        List<String> ids = new ArrayList<>();
        String next = RESOURCES + filter;
        JsonNode last = null;
        for (int i = 0; i < 1000 && next != null; i++) {
            last = client.get(next, admin()).json();
            last.path("value").forEach(r -> ids.add(r.path("id").asText()));
            next = last.hasNonNull("nextLink") ? last.path("nextLink").asText() : null;
        }
        assertThat(last.has("nextLink")).isFalse();
        List<String> expected = emulator.world().resources(RND).stream().map(Resource::id)
                .filter(id -> id.substring(id.lastIndexOf('/') + 1).toLowerCase().contains("a")).toList();
        assertThat(ids).isEqualTo(expected);
        assertThat(client.get(RESOURCES + "&$top=1001", admin()).errorCode()).isEqualTo("InvalidTopInQueryString");
    }

    // ---- tags --------------------------------------------------------------------------------------------------

    private static Resource resource(String id, Map<String, String> tags) {
        Instant now = Instant.now();
        return emulator.world().putResource(new Resource(id, "westeurope", tags, null, null, null, null, now, now));
    }

    private static EmulatorClient.Reply patch(String scope, Object body) {
        return client.send("PATCH", scope + TAGS, admin(), body);
    }

    private static Map<String, Object> op(String operation, Map<String, String> tags) {
        return Map.of("operation", operation, "properties", Map.of("tags", tags));
    }

    @Test
    void tagLimitsPerTypeAndLength() {
        String rg = "/subscriptions/" + RND + "/resourceGroups/probe-rg/providers/";
        String vm = rg + "Microsoft.Compute/virtualMachines/probe-vm";
        String storage = rg + "Microsoft.Storage/storageAccounts/probestore";
        String automation = rg + "Microsoft.Automation/automationAccounts/probe-auto";
        Map<String, String> fifteen = new LinkedHashMap<>();
        for (int i = 0; i < 15; i++) {
            fifteen.put("t" + i, "v");
        }
        resource(vm, Map.of());
        resource(storage, Map.of());
        resource(automation, fifteen);

        assertThat(patch(automation, op("Merge", Map.of("t15", "v"))).errorCode()).isEqualTo("InvalidTags");
        assertThat(patch(vm, op("Merge", Map.of("n".repeat(513), "v"))).status()).isEqualTo(400);
        assertThat(patch(vm, op("Merge", Map.of("n".repeat(512), "v"))).status()).isEqualTo(200);
        assertThat(patch(vm, op("Merge", Map.of("long", "v".repeat(257)))).status()).isEqualTo(400);
        assertThat(patch(vm, op("Merge", Map.of("long", "v".repeat(256)))).status()).isEqualTo(200);
        assertThat(patch(storage, op("Merge", Map.of("n".repeat(129), "v"))).status()).isEqualTo(400);
        assertThat(patch(storage, op("Merge", Map.of("n".repeat(128), "v"))).status()).isEqualTo(200);
        for (String bad : List.of("a<b", "a>b", "a%b", "a&b", "a\\b", "a?b")) {
            assertThat(patch(vm, op("Merge", Map.of(bad, "v"))).errorCode()).as(bad).isEqualTo("InvalidTagNameCharacters");
        }
        // Values may hold the characters names may not.
        assertThat(patch(vm, op("Merge", Map.of("url", "https://x/?a=1&b=2%"))).status()).isEqualTo(200);
        // A refused write changes nothing.
        assertThat(emulator.world().resource(automation).orElseThrow().tags()).isEqualTo(fifteen);
    }

    @Test
    void patchSemanticsAndMalformedBodies() {
        String vm = "/subscriptions/" + RND + "/resourceGroups/probe-rg/providers/Microsoft.Compute/virtualMachines/sem-vm";
        Map<String, String> initial = new LinkedHashMap<>();
        initial.put("CostCenter", "42");
        initial.put("env", "Prod");
        resource(vm, initial);
        // Delete with a value that is not the held one leaves the tag; values are case-sensitive.
        assertThat(patch(vm, op("Delete", Map.of("ENV", "prod"))).json().path("properties").path("tags").has("env")).isTrue();
        assertThat(patch(vm, op("Delete", Map.of("ENV", "Prod"))).json().path("properties").path("tags").has("env")).isFalse();
        assertThat(patch(vm, op("Merge", Map.of("costcenter", "43"))).json().path("properties").path("tags").toString())
                .isEqualTo("{\"CostCenter\":\"43\"}");

        assertThat(patch(vm, Map.of("properties", Map.of("tags", Map.of("a", "b")))).status()).isEqualTo(400);
        assertThat(patch(vm, op("Upsert", Map.of("a", "b"))).errorCode()).isEqualTo("InvalidTagOperation");
        assertThat(patch(vm, Map.of("operation", "Merge")).errorCode()).isEqualTo("InvalidRequestContent");
        assertThat(patch(vm, "{not json").errorCode()).isEqualTo("InvalidRequestContent");
        assertThat(emulator.world().resource(vm).orElseThrow().tags()).containsExactly(Map.entry("CostCenter", "43"));

        // Subscription tags are their own set: tagging the subscription leaves the resource group alone.
        String rg = "/subscriptions/" + RND + "/resourceGroups/probe-rg";
        patch("/subscriptions/" + RND, op("Replace", Map.of("scope", "sub")));
        assertThat(client.get(rg + TAGS, admin()).json().path("properties").path("tags").size()).isZero();
        String viewer = emulator.tokens().userToken(SampleWorld.TREY_VIEWER);
        assertThat(client.send("PATCH", rg + TAGS, viewer, op("Merge", Map.of("a", "b"))).errorCode()).isEqualTo("AuthorizationFailed");
    }

    @Test
    void armBodiesMustBeDeclaredAsJson() throws Exception {
        String rg = emulator.world().resourceGroups(RND).get(0).id();
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().sslContext(emulator.sslContext()).build();
        java.net.http.HttpResponse<String> plain = http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(emulator.baseUrl() + rg + TAGS))
                .header("Authorization", "Bearer " + admin()).header("Content-Type", "text/plain")
                .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"operation\":\"Merge\",\"properties\":{\"tags\":{\"a\":\"b\"}}}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(plain.statusCode()).isEqualTo(415);
        assertThat(plain.body()).contains("\"UnsupportedMediaType\"");
        assertThat(emulator.world().resourceGroups(RND).get(0).tags()).isNull();
    }

    @Test
    void everyArmAreaChecksItsApiVersion() {
        String tags = "/subscriptions/" + RND + "/providers/Microsoft.Resources/tags/default";
        for (String path : List.of(assignments(RND), "/subscriptions", tags, "/subscriptions/" + RND + "/resourcegroups")) {
            assertThat(client.get(path, admin()).errorCode()).as(path).isEqualTo("MissingApiVersionParameter");
            // An api-version of another area is as unknown as a made-up one.
            assertThat(client.get(path + "?api-version=2018-02-01", admin()).errorCode()).as(path).isEqualTo("InvalidApiVersionParameter");
        }
        assertThat(client.send("POST", "/subscriptions/" + RND + "/providers/Microsoft.CostManagement/query?" + RES, admin(),
                CostAndPartnerTest.query("ActualCost", "None", List.of())).errorCode()).isEqualTo("InvalidApiVersionParameter");
    }

    // ---- cost --------------------------------------------------------------------------------------------------

    @Test
    void costQueriesAreCheckedAndCurrenciesNeverAdded() {
        Map<String, Object> three = CostAndPartnerTest.query("ActualCost", "None", List.of(
                Map.of("type", "Dimension", "name", "ResourceId"), Map.of("type", "Dimension", "name", "ServiceName"),
                Map.of("type", "Dimension", "name", "ResourceGroupName")));
        assertThat(client.send("POST", QUERY, admin(), three).status()).isEqualTo(400);
        Map<String, Object> thirtyTwoDays = Map.of("type", "ActualCost", "timeframe", "Custom",
                "timePeriod", Map.of("from", "2024-09-01T00:00:00Z", "to", "2024-10-02T00:00:00Z"), "dataset", Map.of("granularity", "Daily"));
        assertThat(client.send("POST", QUERY, admin(), thirtyTwoDays).status()).isEqualTo(400);

        // Add one EUR entry to a subscription that bills in USD: the day then has two rows, one per currency.
        CostEntry usd = emulator.world().costs(RND).stream().filter(c -> c.costType().equals("ActualCost"))
                .filter(c -> c.date().getMonthValue() == 9 && c.date().getYear() == 2024).findFirst().orElseThrow();
        CostEntry eur = new CostEntry(usd.date(), usd.subscriptionId(), usd.resourceGroup(), usd.resourceId(), usd.resourceType(),
                usd.location(), usd.serviceName(), usd.meterCategory(), usd.chargeType(), usd.pricingModel(), "ActualCost",
                new BigDecimal("1000"), "EUR", usd.tags());
        WorldSpec spec = emulator.world().snapshot();
        List<CostEntry> costs = new ArrayList<>(spec.costs());
        costs.add(eur);
        emulator.loadWorld(new WorldSpec(spec.tenants(), spec.users(), spec.groups(), spec.applications(),
                spec.servicePrincipals(), spec.subscriptions(), spec.roleAssignments(), spec.resourceGroups(), spec.resources(),
                costs, spec.platformUsers(), spec.partnerLinks()));
        JsonNode body = client.send("POST", QUERY, admin(), CostAndPartnerTest.query("ActualCost", "None", List.of())).json();
        JsonNode rows = body.path("properties").path("rows");
        assertThat(rows.size()).isEqualTo(2);
        assertThat(rows).anySatisfy(r -> {
            assertThat(r.get(1).asText()).isEqualTo("EUR");
            assertThat(r.get(0).asDouble()).isEqualTo(1000.0);
        });
    }

    // ---- throttling --------------------------------------------------------------------------------------------

    @Test
    void theSubscriptionWideBucketThrottlesManyPrincipalsTogether() {
        // Per principal: 1 read and (almost) no refill, so the subscription-wide bucket holds 15 reads for all principals.
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            Application app = new Application(UUID.randomUUID().toString(), "probe-" + i, TREY, List.of("s"), List.of());
            emulator.world().putApplication(app);
            ServicePrincipal sp = emulator.world().ensureServicePrincipal(TREY, app);
            Fixtures.grant(emulator.world(), "/subscriptions/" + RND, Rbac.READER, sp.objectId(), "ServicePrincipal");
            tokens.add(emulator.tokens().appToken(TREY, app.appId(), TokenService.ARM_AUDIENCE, Duration.ofHours(1)));
        }
        emulator.limits().configure(new LimitSettings(true, 1, 0.001, 200, 10, 200, 10, 12, 60, 600, 4));
        for (int i = 0; i < 15; i++) {
            EmulatorClient.Reply ok = client.get("/subscriptions/" + RND + "/resourcegroups?" + RES, tokens.get(i));
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.header("x-ms-ratelimit-remaining-subscription-global-reads")).isEqualTo(String.valueOf(14 - i));
        }
        EmulatorClient.Reply throttled = client.get("/subscriptions/" + RND + "/resourcegroups?" + RES, tokens.get(15));
        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.errorCode()).isEqualTo("SubscriptionRequestsThrottled");
        assertThat(Long.parseLong(throttled.header("Retry-After"))).isPositive();
    }
}

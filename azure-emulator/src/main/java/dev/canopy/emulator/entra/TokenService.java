package dev.canopy.emulator.entra;

import dev.canopy.emulator.server.ArmException;
import dev.canopy.emulator.world.Application;
import dev.canopy.emulator.world.EmulatorClock;
import dev.canopy.emulator.world.PlatformUser;
import dev.canopy.emulator.world.ServicePrincipal;
import dev.canopy.emulator.world.User;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.lang.JoseException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;

/**
 * Mints and checks tokens: Entra's v1.0 ARM access tokens (AZURE-CONTRACTS §1.5), v2.0 id tokens, and the
 * platform issuer's tokens for Canopy's own users.
 *
 * <p>ARM tokens are checked the way ARM does and refused with ARM's 401 codes: {@code AuthenticationFailed} (no
 * header), {@code InvalidAuthenticationToken} (bad signature, issuer or audience), {@code ExpiredAuthenticationToken}.
 */
public final class TokenService {

    /** The audiences ARM accepts. */
    public static final List<String> ARM_AUDIENCES = List.of("https://management.core.windows.net/",
            "https://management.core.windows.net", "https://management.azure.com/", "https://management.azure.com");

    /** The audience {@link #armAppToken} and {@link #armUserToken} use by default. */
    public static final String ARM_AUDIENCE = "https://management.azure.com/";

    /** Object id of Entra's Global Administrator role template (the {@code wids} claim of admins). */
    private static final String GLOBAL_ADMIN_ROLE = "62e90394-69f5-4237-9190-012177145e10";

    private static final DateTimeFormatter ARM_TIME = DateTimeFormatter.ofPattern("M/d/yyyy h:mm:ss a", Locale.US)
            .withZone(ZoneOffset.UTC);

    private final SigningKey entraKey;
    private final SigningKey platformKey;
    private final EmulatorClock clock;
    private final Random lifetimes;

    public TokenService(SigningKey entraKey, SigningKey platformKey, EmulatorClock clock, long seed) {
        this.entraKey = entraKey;
        this.platformKey = platformKey;
        this.clock = clock;
        this.lifetimes = new Random(seed);
    }

    public SigningKey entraKey() {
        return entraKey;
    }

    public SigningKey platformKey() {
        return platformKey;
    }

    /** @return Entra's random access-token lifetime: 60 to 90 minutes */
    public synchronized Duration randomLifetime() {
        return Duration.ofMinutes(60).plusSeconds(lifetimes.nextInt(30 * 60 + 1));
    }

    public static String v1Issuer(String tenantId) {
        return "https://sts.windows.net/" + tenantId + "/";
    }

    /** An app-only (client credentials) v1.0 token for ARM or another resource. */
    public String armAppToken(ServicePrincipal sp, String audience, Duration lifetime) {
        JwtClaims claims = common(sp.tenantId(), audience, lifetime);
        claims.setClaim("aio", opaque());
        claims.setClaim("appid", sp.appId());
        claims.setClaim("appidacr", "1");
        claims.setClaim("idp", v1Issuer(sp.tenantId()));
        claims.setClaim("idtyp", "app");
        claims.setClaim("oid", sp.objectId());
        claims.setClaim("rh", opaque());
        claims.setSubject(sp.objectId());
        claims.setClaim("uti", opaque());
        claims.setClaim("ver", "1.0");
        return sign(claims, entraKey, true);
    }

    /** A delegated (user) v1.0 token with {@code scp=user_impersonation}. */
    public String armUserToken(User user, Application app, boolean confidentialClient, String audience, Duration lifetime) {
        JwtClaims claims = common(user.tenantId(), audience, lifetime);
        String[] names = user.displayName() == null ? new String[]{"", ""} : user.displayName().split(" ", 2);
        claims.setClaim("acr", "1");
        claims.setClaim("aio", opaque());
        claims.setStringListClaim("amr", List.of("pwd"));
        claims.setClaim("appid", app.appId());
        claims.setClaim("appidacr", confidentialClient ? "1" : "0");
        claims.setClaim("family_name", names.length > 1 ? names[1] : "");
        claims.setClaim("given_name", names[0]);
        claims.setClaim("idtyp", "user");
        claims.setClaim("ipaddr", "127.0.0.1");
        claims.setClaim("name", user.displayName());
        claims.setClaim("oid", user.objectId());
        claims.setClaim("rh", opaque());
        claims.setClaim("scp", "user_impersonation");
        // Entra's sub is pairwise: stable for one user and one app, different across apps.
        claims.setSubject(pairwise(user.objectId(), app.appId()));
        claims.setClaim("unique_name", user.userPrincipalName());
        claims.setClaim("upn", user.userPrincipalName());
        claims.setClaim("uti", opaque());
        claims.setClaim("ver", "1.0");
        if (user.admin()) {
            claims.setStringListClaim("wids", List.of(GLOBAL_ADMIN_ROLE));
        }
        return sign(claims, entraKey, true);
    }

    /** A v2.0 id token for an OIDC sign-in ({@code iss} = the emulator's {@code /{tid}/v2.0}). */
    public String idToken(User user, Application app, String baseUrl, String nonce) {
        JwtClaims claims = new JwtClaims();
        Instant now = clock.instant();
        claims.setIssuer(baseUrl + "/" + user.tenantId() + "/v2.0");
        claims.setAudience(app.appId());
        claims.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
        claims.setNotBefore(NumericDate.fromSeconds(now.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(now.plus(Duration.ofHours(1)).getEpochSecond()));
        claims.setClaim("name", user.displayName());
        claims.setClaim("oid", user.objectId());
        claims.setClaim("preferred_username", user.userPrincipalName());
        claims.setClaim("email", user.userPrincipalName());
        claims.setSubject(pairwise(user.objectId(), app.appId()));
        claims.setClaim("tid", user.tenantId());
        claims.setClaim("ver", "2.0");
        if (nonce != null) {
            claims.setClaim("nonce", nonce);
        }
        return sign(claims, entraKey, false);
    }

    /**
     * A token of the platform issuer (Canopy's own users).
     *
     * @param issuer the platform issuer URL ({@code {base}/canopy-platform})
     */
    public String platformToken(String issuer, String audience, String username, String displayName, List<String> roles,
                                Duration lifetime) {
        JwtClaims claims = new JwtClaims();
        Instant now = clock.instant();
        claims.setIssuer(issuer);
        claims.setAudience(audience);
        claims.setSubject(UUID.nameUUIDFromBytes(("platform|" + username.toLowerCase(Locale.ROOT))
                .getBytes(StandardCharsets.UTF_8)).toString());
        claims.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
        claims.setNotBefore(NumericDate.fromSeconds(now.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(now.plus(lifetime).getEpochSecond()));
        claims.setClaim("preferred_username", username);
        claims.setClaim("name", displayName);
        claims.setStringListClaim("canopy_roles", roles);
        claims.setJwtId(UUID.randomUUID().toString());
        return sign(claims, platformKey, false);
    }

    /** The platform token of a known platform user. */
    public String platformToken(String issuer, String audience, PlatformUser user) {
        return platformToken(issuer, audience, user.username(), user.displayName(), user.roles(), Duration.ofHours(1));
    }

    /**
     * Checks an ARM request's {@code Authorization} header like ARM does.
     *
     * @return the caller
     * @throws ArmException 401 with ARM's code and message
     */
    public Caller verifyArm(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw unauthorized("AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.");
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw unauthorized("AuthenticationFailed",
                    "Authentication failed. The 'Authorization' header is provided in an invalid format.");
        }
        JwtClaims claims;
        try {
            JwtConsumer consumer = new JwtConsumerBuilder()
                    .setVerificationKey(entraKey.publicKey())
                    .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.RSA_USING_SHA256)
                    // Claims are checked below so each failure gets ARM's own code and message.
                    .setSkipAllValidators()
                    .build();
            claims = consumer.processToClaims(authorization.substring(7).trim());
        } catch (InvalidJwtException e) {
            throw unauthorized("InvalidAuthenticationToken", "The access token is invalid.");
        }
        try {
            String tid = claims.getStringClaimValue("tid");
            String issuer = claims.getIssuer();
            if (tid == null || !v1Issuer(tid).equals(issuer)) {
                throw unauthorized("InvalidAuthenticationToken", "The access token has been obtained from wrong issuer '"
                        + issuer + "'. It must match the tenant associated with this subscription.");
            }
            List<String> audiences = claims.getAudience();
            String aud = audiences.isEmpty() ? "" : audiences.get(0);
            if (!ARM_AUDIENCES.contains(aud)) {
                throw unauthorized("InvalidAuthenticationToken", "The access token has been obtained for wrong audience or resource '"
                        + aud + "'. It should exactly match with one of the allowed audiences "
                        + "'https://management.core.windows.net/','https://management.core.windows.net',"
                        + "'https://management.azure.com/','https://management.azure.com'.");
            }
            Instant now = clock.instant();
            NumericDate exp = claims.getExpirationTime();
            if (exp == null || !now.isBefore(Instant.ofEpochSecond(exp.getValue()))) {
                String expText = exp == null ? "(none)" : ARM_TIME.format(Instant.ofEpochSecond(exp.getValue()));
                throw unauthorized("ExpiredAuthenticationToken", "The access token expiry UTC time '" + expText
                        + "' is earlier than current UTC time '" + ARM_TIME.format(now) + "'.");
            }
            NumericDate nbf = claims.getNotBefore();
            if (nbf != null && now.isBefore(Instant.ofEpochSecond(nbf.getValue()))) {
                throw unauthorized("InvalidAuthenticationToken", "The access token is not yet valid.");
            }
            boolean app = "app".equals(claims.getStringClaimValue("idtyp")) || claims.getClaimValue("scp") == null;
            return new Caller(tid, claims.getStringClaimValue("oid"), claims.getStringClaimValue("appid"), app,
                    claims.getStringClaimValue("upn"));
        } catch (MalformedClaimException e) {
            throw unauthorized("InvalidAuthenticationToken", "The access token is invalid.");
        }
    }

    /** An ARM 401 with the {@code WWW-Authenticate} challenge ARM sends. */
    public static ArmException unauthorized(String code, String message) {
        return new ArmException(401, code, message).header("WWW-Authenticate",
                "Bearer authorization_uri=\"https://login.windows.net/\", error=\"invalid_token\", error_description=\""
                        + message.replace("\"", "'") + "\"");
    }

    private JwtClaims common(String tenantId, String audience, Duration lifetime) {
        JwtClaims claims = new JwtClaims();
        Instant now = clock.instant();
        claims.setAudience(audience);
        claims.setIssuer(v1Issuer(tenantId));
        claims.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
        // Entra backdates nbf by five minutes for clock skew.
        claims.setNotBefore(NumericDate.fromSeconds(now.minus(Duration.ofMinutes(5)).getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(now.plus(lifetime).getEpochSecond()));
        claims.setClaim("tid", tenantId);
        return claims;
    }

    private static String sign(JwtClaims claims, SigningKey key, boolean v1) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.privateKey());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setHeader("typ", "JWT");
        jws.setKeyIdHeaderValue(key.keyId());
        if (v1) {
            jws.setX509CertSha1ThumbprintHeaderValue(key.keyId());
        }
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("cannot sign token", e);
        }
    }

    private static String pairwise(String objectId, String appId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(UUID.nameUUIDFromBytes(
                (objectId + "|" + appId).getBytes(StandardCharsets.UTF_8)).toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String opaque() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(UUID.randomUUID().toString()
                .getBytes(StandardCharsets.UTF_8)).substring(0, 22);
    }
}

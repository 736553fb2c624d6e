package dev.canopy.consent.rest;

import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.jwt.JsonWebToken;

import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import dev.canopy.consent.config.ConsentConfig;
import dev.canopy.consent.service.OnboardingRunner;
import dev.canopy.consent.service.OnboardingService;
import dev.canopy.consent.service.SessionView;
import dev.canopy.platform.problem.ProblemException;
import dev.canopy.platform.problem.ProblemResponses;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.IdToken;
import io.quarkus.oidc.OidcSession;

/**
 * The browser's side of onboarding. {@code /onboarding/consent/{id}} (public) ties the browser to the session with
 * a cookie and sends it on to {@code /onboarding/callback}, which belongs to the {@code consent} OIDC tenant:
 * quarkus-oidc runs the authorization-code flow with PKCE and state against Entra ID there, and only a completed
 * flow reaches {@link #callback}. {@code /onboarding/consent-failed} is where quarkus-oidc sends Entra's errors.
 */
@Path("/onboarding")
@Produces(MediaType.APPLICATION_JSON)
public class ConsentFlowResource {

    /** The cookie that carries the onboarding session id through Microsoft's pages. */
    static final String SESSION_COOKIE = "canopy_onboarding";

    private final OnboardingService onboarding;
    private final OnboardingRunner runner;
    private final ConsentConfig config;

    // Request-scoped beans of the consent tenant's code flow; only touched on the callback.
    @Inject
    @IdToken
    JsonWebToken idToken;

    @Inject
    AccessTokenCredential accessToken;

    @Inject
    OidcSession oidcSession;

    public ConsentFlowResource(OnboardingService onboarding, OnboardingRunner runner, ConsentConfig config) {
        this.onboarding = onboarding;
        this.runner = runner;
        this.config = config;
    }

    /** The consent URL: remembers the session in the browser and starts the code flow. */
    @GET
    @Path("/consent/{sessionId}")
    @APIResponse(responseCode = "303", description = "On to the callback, which starts the sign-in at Entra ID")
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "409", ref = ProblemResponses.CONFLICT)
    public Response start(@PathParam("sessionId") UUID sessionId, @Context UriInfo uri) {
        onboarding.requireAwaitingConsent(sessionId);
        return Response.seeOther(uri.getBaseUriBuilder().path("onboarding/callback").build())
                .cookie(sessionCookie(uri, sessionId.toString(), config.sessionLifetime())).build();
    }

    /**
     * Reached only after quarkus-oidc completed the code flow (state and PKCE checked, id token verified). The
     * tenant is the id token's {@code tid}; any {@code tenant} in the query is Microsoft's informational echo, or
     * forged, and is ignored.
     */
    @GET
    @Path("/callback")
    @APIResponse(responseCode = "202", description = "Consent given; the session goes on in the background")
    @APIResponse(responseCode = "400", ref = ProblemResponses.INVALID)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "409", ref = ProblemResponses.CONFLICT)
    public Response callback(@CookieParam(SESSION_COOKIE) String sessionCookie, @Context UriInfo uri) {
        try {
            UUID sessionId = sessionId(sessionCookie);
            String token = accessToken == null ? null : accessToken.getToken();
            if (token == null || token.isBlank()) {
                throw ProblemException.conflict("no fresh consent in this request; open the consent URL again");
            }
            SessionView session = onboarding.consented(sessionId, idToken.getClaim("tid"), uri.getBaseUri());
            runner.start(sessionId, session.tenantId(), idToken.getClaim("oid"), token);
            return Response.accepted(session).cookie(sessionCookie(uri, "", Duration.ZERO)).build();
        } finally {
            // The local OIDC session is of no further use: drop its cookie whatever the outcome.
            oidcSession.logout().await().atMost(Duration.ofSeconds(5));
        }
    }

    /** Entra ID answered with an error (e.g. the admin cancelled): the session fails with Microsoft's reason. */
    @GET
    @Path("/consent-failed")
    @APIResponse(responseCode = "400", description = "Recorded: the session failed with Entra ID's reason (no body)")
    public Response consentFailed(@CookieParam(SESSION_COOKIE) String sessionCookie,
            @QueryParam("error") String error, @QueryParam("error_description") String description) {
        onboarding.consentRefused(sessionId(sessionCookie), error == null ? "unknown_error" : error, description);
        return Response.status(Response.Status.BAD_REQUEST).build();
    }

    private static UUID sessionId(String cookie) {
        try {
            return UUID.fromString(cookie);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ProblemException.invalid("cookie " + SESSION_COOKIE, "required",
                    "this browser has no onboarding session; open the consent URL of a session first");
        }
    }

    private static NewCookie sessionCookie(UriInfo uri, String value, Duration maxAge) {
        return new NewCookie.Builder(SESSION_COOKIE).value(value).path("/onboarding").httpOnly(true)
                .secure("https".equals(uri.getBaseUri().getScheme())).sameSite(NewCookie.SameSite.LAX)
                .maxAge((int) maxAge.toSeconds()).build();
    }
}

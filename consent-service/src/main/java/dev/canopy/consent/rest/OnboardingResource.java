package dev.canopy.consent.rest;

import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import dev.canopy.consent.service.OnboardingService;
import dev.canopy.consent.service.SessionView;
import dev.canopy.platform.problem.NoBody;
import dev.canopy.platform.problem.ProblemResponses;

/** Onboarding sessions for platform admins (bearer token): open one, follow its progress. */
@Path("/onboarding/sessions")
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHENTICATED)
public class OnboardingResource {

    private final OnboardingService onboarding;

    public OnboardingResource(OnboardingService onboarding) {
        this.onboarding = onboarding;
    }

    /**
     * Opens a session; {@code consentUrl} is where the admin's browser goes next. Takes no body; one sent anyway must be
     * JSON: malformed JSON is a 400, not ignored.
     */
    @POST
    @APIResponse(responseCode = "201", description = "The session, at its Location")
    @APIResponse(responseCode = "400", ref = ProblemResponses.INVALID)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    public Response open(@Context UriInfo uri,
            @RequestBody(description = NoBody.DESCRIPTION) String body) {
        NoBody.check(body);
        SessionView session = onboarding.openOnboarding(uri.getBaseUri());
        return Response.status(Response.Status.CREATED)
                .location(uri.getAbsolutePathBuilder().path(session.id().toString()).build()).entity(session).build();
    }

    /** The session's progress and, once done, its result per subscription. */
    @GET
    @Path("/{sessionId}")
    @APIResponse(responseCode = "200", description = "The session")
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    public SessionView get(@PathParam("sessionId") UUID sessionId, @Context UriInfo uri) {
        return onboarding.view(sessionId, uri.getBaseUri());
    }
}

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

import dev.canopy.consent.service.OnboardingService;
import dev.canopy.consent.service.SessionView;

/** Onboarding sessions for platform admins (bearer token): open one, follow its progress. */
@Path("/onboarding/sessions")
@Produces(MediaType.APPLICATION_JSON)
public class OnboardingResource {

    private final OnboardingService onboarding;

    public OnboardingResource(OnboardingService onboarding) {
        this.onboarding = onboarding;
    }

    /** Opens a session; {@code consentUrl} is where the admin's browser goes next. */
    @POST
    public Response open(@Context UriInfo uri) {
        SessionView session = onboarding.openOnboarding(uri.getBaseUri());
        return Response.status(Response.Status.CREATED)
                .location(uri.getAbsolutePathBuilder().path(session.id().toString()).build()).entity(session).build();
    }

    /** The session's progress and, once done, its result per subscription. */
    @GET
    @Path("/{sessionId}")
    public SessionView get(@PathParam("sessionId") UUID sessionId, @Context UriInfo uri) {
        return onboarding.view(sessionId, uri.getBaseUri());
    }
}

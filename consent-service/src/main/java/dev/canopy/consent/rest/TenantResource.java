package dev.canopy.consent.rest;

import java.util.List;

import jakarta.ws.rs.DELETE;
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

import dev.canopy.consent.service.OffboardingView;
import dev.canopy.consent.service.OnboardingService;
import dev.canopy.consent.service.SessionView;
import dev.canopy.consent.service.TenantService;
import dev.canopy.consent.service.TenantView;
import dev.canopy.platform.problem.NoBody;
import dev.canopy.platform.problem.ProblemResponses;

/** Tenants: list and show (any role; ops sees all), add subscriptions and offboard ({@code admin}). */
@Path("/tenants")
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHENTICATED)
public class TenantResource {

    private final TenantService tenants;
    private final OnboardingService onboarding;

    public TenantResource(TenantService tenants, OnboardingService onboarding) {
        this.tenants = tenants;
        this.onboarding = onboarding;
    }

    /** The tenants the caller may see, with their subscriptions' states and policies. */
    @GET
    @APIResponse(responseCode = "200", description = "The tenants")
    public List<TenantView> list() {
        return tenants.list();
    }

    /** One tenant. */
    @GET
    @Path("/{tenantId}")
    @APIResponse(responseCode = "200", description = "The tenant")
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    public TenantView get(@PathParam("tenantId") String tenantId) {
        return tenants.get(tenantId);
    }

    /**
     * Opens a consent session that adds the subscriptions the admin owns now; answers with its consent URL. Takes no
     * body; malformed JSON sent anyway is a 400.
     */
    @POST
    @Path("/{tenantId}/subscriptions")
    @APIResponse(responseCode = "201", description = "The session, at its Location")
    @APIResponse(responseCode = "400", ref = ProblemResponses.INVALID)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "409", ref = ProblemResponses.CONFLICT)
    public Response addSubscriptions(@PathParam("tenantId") String tenantId, @Context UriInfo uri,
            @RequestBody(description = NoBody.DESCRIPTION) String body) {
        NoBody.check(body);
        SessionView session = onboarding.openAddSubscriptions(tenantId, uri.getBaseUri());
        return Response.status(Response.Status.CREATED)
                .location(uri.getBaseUriBuilder().path("onboarding/sessions/{id}").build(session.id()))
                .entity(session).build();
    }

    /**
     * Offboards the tenant; Canopy's role assignments stay in Azure for the customer to remove. Takes no body;
     * malformed JSON sent anyway is a 400 and offboards nothing.
     */
    @DELETE
    @Path("/{tenantId}")
    @APIResponse(responseCode = "200", description = "The tenant is offboarded (again: the same answer)")
    @APIResponse(responseCode = "400", ref = ProblemResponses.INVALID)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    public OffboardingView offboard(@PathParam("tenantId") String tenantId,
            @RequestBody(description = NoBody.DESCRIPTION) String body) {
        NoBody.check(body);
        return tenants.offboard(tenantId);
    }
}

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

import dev.canopy.consent.service.OffboardingView;
import dev.canopy.consent.service.OnboardingService;
import dev.canopy.consent.service.SessionView;
import dev.canopy.consent.service.TenantService;
import dev.canopy.consent.service.TenantView;

/** Tenants: list and show (any role; ops sees all), add subscriptions and offboard ({@code admin}). */
@Path("/tenants")
@Produces(MediaType.APPLICATION_JSON)
public class TenantResource {

    private final TenantService tenants;
    private final OnboardingService onboarding;

    public TenantResource(TenantService tenants, OnboardingService onboarding) {
        this.tenants = tenants;
        this.onboarding = onboarding;
    }

    /** The tenants the caller may see, with their subscriptions' states and policies. */
    @GET
    public List<TenantView> list() {
        return tenants.list();
    }

    /** One tenant. */
    @GET
    @Path("/{tenantId}")
    public TenantView get(@PathParam("tenantId") String tenantId) {
        return tenants.get(tenantId);
    }

    /** Opens a consent session that adds the subscriptions the admin owns now; answers with its consent URL. */
    @POST
    @Path("/{tenantId}/subscriptions")
    public Response addSubscriptions(@PathParam("tenantId") String tenantId, @Context UriInfo uri) {
        SessionView session = onboarding.openAddSubscriptions(tenantId, uri.getBaseUri());
        return Response.status(Response.Status.CREATED)
                .location(uri.getBaseUriBuilder().path("onboarding/sessions/{id}").build(session.id()))
                .entity(session).build();
    }

    /** Offboards the tenant; Canopy's role assignments stay in Azure for the customer to remove. */
    @DELETE
    @Path("/{tenantId}")
    public OffboardingView offboard(@PathParam("tenantId") String tenantId) {
        return tenants.offboard(tenantId);
    }
}

package dev.canopy.collector.rest;

import java.util.List;

import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import dev.canopy.collector.repository.RegisteredSubscription;
import dev.canopy.collector.repository.RegistryRepository;
import dev.canopy.collector.service.CollectionStatusService;
import dev.canopy.platform.problem.NoBody;
import dev.canopy.platform.problem.ProblemException;
import dev.canopy.platform.problem.ProblemResponses;
import dev.canopy.platform.security.PlatformRole;
import dev.canopy.platform.security.TenantAccess;

/** Collection status per subscription, and on-demand runs. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHENTICATED)
public class CollectionResource {

    private final TenantAccess access;
    private final RegistryRepository registry;
    private final CollectionStatusService status;

    public CollectionResource(TenantAccess access, RegistryRepository registry, CollectionStatusService status) {
        this.access = access;
        this.registry = registry;
        this.status = status;
    }

    /** Per subscription the caller may see: last run, duration, counts, state and next run. */
    @GET
    @Path("collections")
    @APIResponse(responseCode = "200", description = "The collection status of each subscription the caller sees")
    public List<CollectionStatusResponse> collections() {
        return status.statuses(access.readsAllTenants() ? null : access.tenants());
    }

    /**
     * Asks for a run of the subscription as soon as a worker of its collector instance is free (after its run going
     * on, if one is): admin of its tenant, or ops. Takes no body; malformed JSON sent anyway is a 400.
     */
    @POST
    @Path("subscriptions/{subscriptionId}/collect")
    @Transactional
    @APIResponse(responseCode = "202", description = "The run is requested",
            content = @Content(schema = @Schema(implementation = CollectRequestedResponse.class)))
    @APIResponse(responseCode = "400", ref = ProblemResponses.INVALID)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "409", ref = ProblemResponses.CONFLICT)
    public Response collect(@PathParam("subscriptionId") String subscriptionId,
            @RequestBody(description = NoBody.DESCRIPTION) String body) {
        NoBody.check(body);
        RegisteredSubscription sub = registry.findById(subscriptionId.toLowerCase(java.util.Locale.ROOT));
        String what = "subscription " + subscriptionId;
        if (sub == null) {
            throw ProblemException.notFound(what + " was not found");
        }
        if (!access.readsAllTenants()) {
            access.require(sub.tenantId, PlatformRole.ADMIN, what);
        }
        if (!sub.active || sub.policy == null) {
            throw ProblemException.conflict(what + (sub.active ? " has no sync policy yet" : " is not onboarded"));
        }
        sub.runRequested = true;
        return Response.accepted(new CollectRequestedResponse(sub.subscriptionId, true)).build();
    }
}

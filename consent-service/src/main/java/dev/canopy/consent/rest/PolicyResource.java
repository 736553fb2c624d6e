package dev.canopy.consent.rest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import dev.canopy.consent.service.PolicyService;
import dev.canopy.consent.service.PolicyView;
import dev.canopy.platform.problem.ProblemException;
import dev.canopy.platform.problem.ProblemResponses;

/** Sync policies per subscription (role {@code admin} in the subscription's tenant). */
@Path("/subscriptions/{subscriptionId}/policy")
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHENTICATED)
@APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
public class PolicyResource {

    private final PolicyService policies;

    public PolicyResource(PolicyService policies) {
        this.policies = policies;
    }

    /** The policy in force. */
    @GET
    @APIResponse(responseCode = "200", description = "The policy in force")
    public PolicyView get(@PathParam("subscriptionId") String subscriptionId) {
        return policies.get(subscriptionId);
    }

    /** Changes the policy; answers once Kafka has acknowledged the SubscriptionPolicyChanged event. */
    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "200", description = "The policy now in force")
    @APIResponse(responseCode = "400", ref = ProblemResponses.INVALID)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @APIResponse(responseCode = "409", ref = ProblemResponses.CONFLICT)
    public PolicyView put(@PathParam("subscriptionId") String subscriptionId, PolicyRequest request) {
        if (request == null) {
            throw ProblemException.invalid("policy", "required", "a JSON body with 'policy' is required");
        }
        return policies.change(subscriptionId, request.policy());
    }
}

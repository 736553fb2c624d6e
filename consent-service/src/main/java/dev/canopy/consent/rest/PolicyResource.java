package dev.canopy.consent.rest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.canopy.consent.service.PolicyService;
import dev.canopy.consent.service.PolicyView;
import dev.canopy.platform.problem.ProblemException;

/** Sync policies per subscription (role {@code admin} in the subscription's tenant). */
@Path("/subscriptions/{subscriptionId}/policy")
@Produces(MediaType.APPLICATION_JSON)
public class PolicyResource {

    private final PolicyService policies;

    public PolicyResource(PolicyService policies) {
        this.policies = policies;
    }

    /** The policy in force. */
    @GET
    public PolicyView get(@PathParam("subscriptionId") String subscriptionId) {
        return policies.get(subscriptionId);
    }

    /** Changes the policy; answers once Kafka has acknowledged the SubscriptionPolicyChanged event. */
    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public PolicyView put(@PathParam("subscriptionId") String subscriptionId, PolicyRequest request) {
        if (request == null) {
            throw ProblemException.invalid("policy", "required", "a JSON body with 'policy' is required");
        }
        return policies.change(subscriptionId, request.policy());
    }
}

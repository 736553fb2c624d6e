package dev.canopy.consent.azure;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;

import com.azure.core.credential.TokenCredential;
import com.azure.core.util.Context;
import com.azure.resourcemanager.authorization.AuthorizationManager;
import com.azure.resourcemanager.authorization.fluent.models.RoleAssignmentInner;
import com.azure.resourcemanager.resources.models.Subscription;

/**
 * Reads, as the consenting admin, which subscriptions the admin can see and on which the admin is Owner. Reads only.
 */
@ApplicationScoped
public class SubscriptionOwnership {

    private final AzureClients clients;

    public SubscriptionOwnership(AzureClients clients) {
        this.clients = clients;
    }

    /** Every subscription the admin sees in the tenant, each with its Owner verdict, by id. */
    public List<CandidateSubscription> candidates(TokenCredential admin, String tenantId, String adminObjectId) {
        AuthorizationManager authorization = clients.authorization(admin, tenantId);
        List<CandidateSubscription> result = new ArrayList<>();
        for (Subscription subscription : clients.resources(admin, tenantId).subscriptions().list()) {
            String id = subscription.subscriptionId().toLowerCase(Locale.ROOT);
            result.add(verdict(authorization, id, subscription.displayName(), adminObjectId));
        }
        result.sort(java.util.Comparator.comparing(CandidateSubscription::subscriptionId));
        return result;
    }

    private static CandidateSubscription verdict(AuthorizationManager authorization, String subscriptionId,
            String displayName, String adminObjectId) {
        String scope = "/subscriptions/" + subscriptionId;
        // assignedTo() includes assignments inherited through groups; atScope() keeps the subscription and above
        // (management groups, root), since an Owner on one resource group cannot grant at subscription scope.
        String filter = "atScope() and assignedTo('" + adminObjectId + "')";
        // The SDK sends $filter as given (an "encoded" query parameter), so it must be URL-encoded here.
        String encodedFilter = URLEncoder.encode(filter, StandardCharsets.UTF_8).replace("+", "%20");
        Set<String> roles = new TreeSet<>();
        boolean owner = false;
        for (RoleAssignmentInner assignment : authorization.roleServiceClient().getRoleAssignments()
                .listForScope(scope, encodedFilter, null, null, Context.NONE)) {
            String role = AzureRoles.guidOf(assignment.roleDefinitionId());
            roles.add(role);
            // A condition can restrict which roles an Owner may grant; Canopy does not try to evaluate it.
            owner |= AzureRoles.OWNER.equals(role) && (assignment.condition() == null || assignment.condition().isBlank());
        }
        String reason = owner ? null : "not an Owner: the consenting admin holds no unconditional Owner assignment at "
                + "subscription scope or above" + (roles.isEmpty() ? "" : " (holds role definitions " + roles + ")");
        return new CandidateSubscription(subscriptionId, displayName, owner, reason);
    }
}

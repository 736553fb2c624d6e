package dev.canopy.consent.azure;

import java.nio.charset.StandardCharsets;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.Retry;

import com.azure.core.credential.TokenCredential;
import com.azure.core.management.exception.ManagementException;
import com.azure.resourcemanager.authorization.models.PrincipalType;
import com.azure.resourcemanager.authorization.models.RoleAssignmentCreateParameters;

import io.quarkus.logging.Log;
import io.smallrye.faulttolerance.api.ExponentialBackoff;

/**
 * The only role-assignment write in Canopy: gives Canopy's service principal one role on one subscription, as the
 * consenting admin. Idempotent — the assignment's name is derived from scope, principal and role, so a re-run finds
 * its own assignment (200) and a look-alike made elsewhere answers RoleAssignmentExists (409), both success.
 */
@ApplicationScoped
public class RoleAssignmentWriter {

    private final AzureClients clients;

    public RoleAssignmentWriter(AzureClients clients) {
        this.clients = clients;
    }

    /**
     * Assigns the role. PrincipalNotFound (the service principal made by the consent has not replicated yet) is
     * retried with exponential backoff, bounded well inside the delegated token's hour.
     *
     * @throws AzureCallFailedException when Azure refuses for good
     */
    @Retry(retryOn = PrincipalNotReplicatedException.class, maxRetries = 12, delay = 2, delayUnit = ChronoUnit.SECONDS,
            maxDuration = 40, durationUnit = ChronoUnit.MINUTES, jitter = 0)
    @ExponentialBackoff(factor = 2, maxDelay = 5, maxDelayUnit = ChronoUnit.MINUTES)
    public void assign(TokenCredential admin, String tenantId, String subscriptionId, String principalId,
            String roleId) {
        String scope = "/subscriptions/" + subscriptionId;
        RoleAssignmentCreateParameters parameters = new RoleAssignmentCreateParameters()
                .withRoleDefinitionId(scope + "/providers/Microsoft.Authorization/roleDefinitions/" + roleId)
                .withPrincipalId(principalId)
                // Declaring the type lets ARM skip the directory lookup that fails right after consent.
                .withPrincipalType(PrincipalType.SERVICE_PRINCIPAL);
        try {
            clients.authorization(admin, tenantId).roleServiceClient().getRoleAssignments()
                    .create(scope, assignmentName(scope, principalId, roleId), parameters);
        } catch (ManagementException e) {
            String code = e.getValue() == null ? "Unknown" : e.getValue().getCode();
            if ("RoleAssignmentExists".equals(code)) {
                Log.debugf("role %s already assigned on %s", roleId, subscriptionId);
                return;
            }
            if ("PrincipalNotFound".equals(code)) {
                Log.infof("principal %s not replicated yet on %s; retrying with backoff", principalId, subscriptionId);
                throw new PrincipalNotReplicatedException(e.getValue().getMessage(), e);
            }
            throw new AzureCallFailedException(code, e.getValue() == null ? e.getMessage() : e.getValue().getMessage(), e);
        }
    }

    /** The deterministic assignment name: a name-based UUID of scope, principal and role. */
    static String assignmentName(String scope, String principalId, String roleId) {
        String seed = (scope + "|" + principalId + "|" + roleId).toLowerCase(Locale.ROOT);
        return UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString();
    }
}

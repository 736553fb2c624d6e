package dev.canopy.consent.azure;

import jakarta.enterprise.context.ApplicationScoped;

import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;

import com.azure.core.credential.TokenRequestContext;

/**
 * Finds Canopy's service principal object id in a customer tenant: the {@code oid} of an app-only token obtained
 * for that tenant (it differs per tenant and from the app id).
 */
@ApplicationScoped
public class ServicePrincipalIdentity {

    private final AzureClients clients;

    public ServicePrincipalIdentity(AzureClients clients) {
        this.clients = clients;
    }

    /** The object id of Canopy's service principal in the tenant. */
    public String objectId(String tenantId) {
        String token = clients.servicePrincipal(tenantId)
                .getTokenSync(new TokenRequestContext().addScopes(AzureClients.ARM_DEFAULT_SCOPE)).getToken();
        try {
            // The token came straight from Entra ID's token endpoint over TLS, so its claims are read, not verified
            // (OpenID Connect Core 3.1.3.7 allows that for a token received directly from the issuer).
            JwtClaims claims = new JwtConsumerBuilder().setSkipAllValidators().setDisableRequireSignature()
                    .setSkipSignatureVerification().build().processToClaims(token);
            return claims.getStringClaimValue("oid");
        } catch (InvalidJwtException | MalformedClaimException e) {
            throw new IllegalStateException("Entra ID's app-only token for tenant " + tenantId + " has no readable oid", e);
        }
    }
}

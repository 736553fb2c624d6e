package dev.canopy.consent.azure;

import jakarta.enterprise.context.ApplicationScoped;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.resourcemanager.authorization.AuthorizationManager;
import com.azure.resourcemanager.resources.ResourceManager;

import dev.canopy.azure.AzureConnection;

/** The Azure SDK clients onboarding needs, for one tenant and one credential (the admin's or Canopy's own). */
@ApplicationScoped
public class AzureClients {

    /** The scope of an app-only ARM token. */
    public static final String ARM_DEFAULT_SCOPE = AzureConnection.ARM_SCOPE;

    private final AzureConnection azure;

    public AzureClients(AzureConnection azure) {
        this.azure = azure;
    }

    /** The shared HTTP client. */
    public HttpClient httpClient() {
        return azure.httpClient();
    }

    /** The ARM base URL, ending in a slash. */
    public String armEndpoint() {
        return azure.armEndpoint();
    }

    /** Subscriptions, as the credential's identity sees them in its tenant. */
    public ResourceManager.Authenticated resources(TokenCredential credential, String tenantId) {
        return ResourceManager.configure().withHttpClient(azure.httpClient())
                .authenticate(credential, azure.profile(tenantId, null));
    }

    /** Role assignments, as the credential's identity. */
    public AuthorizationManager authorization(TokenCredential credential, String tenantId) {
        return AuthorizationManager.configure().withHttpClient(azure.httpClient())
                .authenticate(credential, azure.profile(tenantId, null));
    }

    /** Canopy's own service principal in a customer tenant (client credentials). */
    public TokenCredential servicePrincipal(String tenantId) {
        return azure.servicePrincipal(tenantId);
    }
}

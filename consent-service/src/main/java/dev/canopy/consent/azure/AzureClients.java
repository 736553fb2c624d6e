package dev.canopy.consent.azure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import jakarta.enterprise.context.ApplicationScoped;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.profile.AzureProfile;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.resourcemanager.authorization.AuthorizationManager;
import com.azure.resourcemanager.resources.ResourceManager;

import dev.canopy.consent.config.AzureConfig;
import dev.canopy.consent.config.ConsentConfig;

/**
 * Builds the Azure SDK clients for one tenant and one credential: the JDK HTTP client (with the configured trust),
 * and an environment that is Azure's public cloud with only the resource-manager URL replaced (BUILD-NOTES).
 */
@ApplicationScoped
public class AzureClients {

    /** The scope of an app-only ARM token. */
    public static final String ARM_DEFAULT_SCOPE = "https://management.azure.com/.default";

    private final AzureConfig azure;
    private final ConsentConfig consent;
    private final HttpClient httpClient;
    private final AzureEnvironment environment;

    public AzureClients(AzureConfig azure, ConsentConfig consent) {
        this.azure = azure;
        this.consent = consent;
        java.net.http.HttpClient.Builder jdk = java.net.http.HttpClient.newBuilder();
        azure.trustStore().ifPresent(path -> jdk.sslContext(sslContext(path, azure.trustStorePassword().orElse(""))));
        this.httpClient = new JdkHttpClientBuilder(jdk).build();
        // A hand-built endpoint map threw NullPointerExceptions in the SDK; a copy with one URL replaced does not.
        Map<String, String> endpoints = new HashMap<>(AzureEnvironment.AZURE.getEndpoints());
        endpoints.put("resourceManagerEndpointUrl", azure.armEndpoint());
        this.environment = new AzureEnvironment(endpoints);
    }

    /** The shared HTTP client. */
    public HttpClient httpClient() {
        return httpClient;
    }

    /** The ARM base URL, ending in a slash. */
    public String armEndpoint() {
        String endpoint = azure.armEndpoint();
        return endpoint.endsWith("/") ? endpoint : endpoint + "/";
    }

    /** Subscriptions, as the credential's identity sees them in its tenant. */
    public ResourceManager.Authenticated resources(TokenCredential credential, String tenantId) {
        return ResourceManager.configure().withHttpClient(httpClient).authenticate(credential, profile(tenantId));
    }

    /** Role assignments, as the credential's identity. */
    public AuthorizationManager authorization(TokenCredential credential, String tenantId) {
        return AuthorizationManager.configure().withHttpClient(httpClient).authenticate(credential, profile(tenantId));
    }

    /** Canopy's own service principal in a customer tenant (client credentials). */
    public TokenCredential servicePrincipal(String tenantId) {
        ClientSecretCredentialBuilder builder = new ClientSecretCredentialBuilder().tenantId(tenantId)
                .clientId(consent.clientId()).clientSecret(consent.clientSecret())
                .authorityHost(azure.authorityHost()).httpClient(httpClient);
        if (!azure.instanceDiscovery()) {
            builder.disableInstanceDiscovery();
        }
        return builder.build();
    }

    private AzureProfile profile(String tenantId) {
        return new AzureProfile(tenantId, null, environment);
    }

    private static SSLContext sslContext(java.nio.file.Path path, String password) {
        try (InputStream in = Files.newInputStream(path)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the Azure trust store " + path, e);
        }
    }
}

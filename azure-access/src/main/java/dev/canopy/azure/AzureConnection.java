package dev.canopy.azure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import jakarta.enterprise.context.ApplicationScoped;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.profile.AzureProfile;
import com.azure.identity.ClientSecretCredentialBuilder;

/**
 * The pieces every Azure SDK client of Canopy is built from: the JDK HTTP client with the configured trust, an
 * environment that is Azure's public cloud with only the resource-manager URL replaced (BUILD-NOTES), profiles per
 * tenant, and Canopy's own service-principal credential per customer tenant.
 */
@ApplicationScoped
public class AzureConnection {

    /** The scope of an app-only ARM token. */
    public static final String ARM_SCOPE = "https://management.azure.com/.default";

    private final AzureConfig config;
    private final HttpClient httpClient;
    private final AzureEnvironment environment;
    // A client-credentials credential caches its token until shortly before it expires: keep one per tenant.
    private final Map<String, TokenCredential> servicePrincipals = new ConcurrentHashMap<>();

    public AzureConnection(AzureConfig config) {
        this.config = config;
        java.net.http.HttpClient.Builder jdk = java.net.http.HttpClient.newBuilder();
        config.trustStore().ifPresent(path -> jdk.sslContext(sslContext(path, config.trustStorePassword().orElse(""))));
        this.httpClient = new JdkHttpClientBuilder(jdk).build();
        // A hand-built endpoint map threw NullPointerExceptions in the SDK; a copy with one URL replaced does not.
        Map<String, String> endpoints = new HashMap<>(AzureEnvironment.AZURE.getEndpoints());
        endpoints.put("resourceManagerEndpointUrl", armEndpoint());
        this.environment = new AzureEnvironment(endpoints);
    }

    /** The shared HTTP client. */
    public HttpClient httpClient() {
        return httpClient;
    }

    /** The ARM base URL, ending in a slash. */
    public String armEndpoint() {
        String endpoint = config.armEndpoint();
        return endpoint.endsWith("/") ? endpoint : endpoint + "/";
    }

    /** A profile for a tenant, and a subscription when the client works in one (else null). */
    public AzureProfile profile(String tenantId, String subscriptionId) {
        return new AzureProfile(tenantId, subscriptionId, environment);
    }

    /** Canopy's own service principal in a customer tenant (client credentials), one per tenant. */
    public TokenCredential servicePrincipal(String tenantId) {
        return servicePrincipals.computeIfAbsent(tenantId, id -> {
            ClientSecretCredentialBuilder builder = new ClientSecretCredentialBuilder().tenantId(id)
                    .clientId(config.clientId()).clientSecret(config.clientSecret())
                    .authorityHost(config.authorityHost()).httpClient(httpClient);
            if (!config.instanceDiscovery()) {
                builder.disableInstanceDiscovery();
            }
            return builder.build();
        });
    }

    private static SSLContext sslContext(Path path, String password) {
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

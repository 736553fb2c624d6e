package dev.canopy.collector.azure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import jakarta.enterprise.context.ApplicationScoped;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.policy.BearerTokenAuthenticationPolicy;
import com.azure.core.http.policy.ExponentialBackoff;
import com.azure.core.http.policy.RetryPolicy;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.profile.AzureProfile;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.resourcemanager.resources.ResourceManager;

import dev.canopy.collector.config.AzureConfig;
import dev.canopy.collector.config.CollectorConfig;

/**
 * Builds the Azure SDK clients Canopy's service principal uses in a customer tenant: one client-credentials
 * credential per tenant (it caches its token), the JDK HTTP client with the configured trust, and pipelines with
 * bounded 5xx retries plus the throttling policy paced per subscription (ARM) or per tenant (Cost Management).
 */
@ApplicationScoped
public class AzureClients {

    static final String ARM_SCOPE = "https://management.azure.com/.default";

    private final AzureConfig azure;
    private final CollectorConfig collector;
    private final HttpClient httpClient;
    private final AzureEnvironment environment;
    private final Map<String, TokenCredential> credentials = new ConcurrentHashMap<>();
    private final Map<String, Pacer> armPacers = new ConcurrentHashMap<>();
    private final Map<String, Pacer> costPacers = new ConcurrentHashMap<>();

    public AzureClients(AzureConfig azure, CollectorConfig collector) {
        this.azure = azure;
        this.collector = collector;
        java.net.http.HttpClient.Builder jdk = java.net.http.HttpClient.newBuilder();
        azure.trustStore().ifPresent(path -> jdk.sslContext(sslContext(path, azure.trustStorePassword().orElse(""))));
        this.httpClient = new JdkHttpClientBuilder(jdk).build();
        // A hand-built endpoint map threw NullPointerExceptions in the SDK; a copy with one URL replaced does not.
        Map<String, String> endpoints = new HashMap<>(AzureEnvironment.AZURE.getEndpoints());
        endpoints.put("resourceManagerEndpointUrl", armEndpoint());
        this.environment = new AzureEnvironment(endpoints);
    }

    /** The ARM base URL, ending in a slash. */
    public String armEndpoint() {
        String endpoint = azure.armEndpoint();
        return endpoint.endsWith("/") ? endpoint : endpoint + "/";
    }

    /** ARM for one subscription of a tenant, paced per subscription. */
    public ResourceManager.Authenticated arm(String tenantId, String subscriptionId, ThrottleCounter counter) {
        Pacer pacer = armPacers.computeIfAbsent(subscriptionId, id -> new Pacer(Duration.ZERO,
                Duration.ofNanos((long) (1_000_000_000L / collector.armReadsPerSecond())), collector.remainingLowWater()));
        return ResourceManager.configure()
                .withHttpClient(httpClient)
                .withRetryPolicy(retryPolicy())
                .withPolicy(new ThrottlePolicy(pacer, "x-ms-ratelimit-remaining-subscription-reads",
                        collector.maxThrottleWait(), counter))
                .authenticate(credential(tenantId), new AzureProfile(tenantId, subscriptionId, environment));
    }

    /** An authenticated pipeline for Cost Management in a tenant (the SDK has no client for its query API). */
    public HttpPipeline costManagement(String tenantId, ThrottleCounter counter) {
        Pacer pacer = costPacers.computeIfAbsent(tenantId, id -> new Pacer(
                Duration.ofMillis(10_000L / collector.costQueriesPer10Seconds()), Duration.ofSeconds(10), 1));
        return new HttpPipelineBuilder().httpClient(httpClient)
                .policies(retryPolicy(), new BearerTokenAuthenticationPolicy(credential(tenantId), ARM_SCOPE),
                        new ThrottlePolicy(pacer, "x-ms-ratelimit-microsoft.costmanagement-qpu-remaining",
                                collector.maxThrottleWait(), counter))
                .build();
    }

    private RetryPolicy retryPolicy() {
        return new RetryPolicy(new ExponentialBackoff(collector.maxRetries(), collector.retryBaseDelay(),
                collector.retryBaseDelay().multipliedBy(16)));
    }

    private TokenCredential credential(String tenantId) {
        return credentials.computeIfAbsent(tenantId, id -> {
            ClientSecretCredentialBuilder builder = new ClientSecretCredentialBuilder().tenantId(id)
                    .clientId(azure.clientId()).clientSecret(azure.clientSecret())
                    .authorityHost(azure.authorityHost()).httpClient(httpClient);
            if (!azure.instanceDiscovery()) {
                builder.disableInstanceDiscovery();
            }
            return builder.build();
        });
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

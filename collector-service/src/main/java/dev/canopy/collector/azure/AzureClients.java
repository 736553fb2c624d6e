package dev.canopy.collector.azure;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.policy.BearerTokenAuthenticationPolicy;
import com.azure.core.http.policy.ExponentialBackoff;
import com.azure.core.http.policy.RetryPolicy;
import com.azure.resourcemanager.resources.ResourceManager;

import dev.canopy.azure.AzureConnection;
import dev.canopy.collector.config.CollectorConfig;

/**
 * Builds the Azure SDK clients Canopy's service principal collects with (on {@link AzureConnection}): pipelines with
 * bounded 5xx retries plus the throttling policy paced per subscription (ARM) or per tenant (Cost Management).
 */
@ApplicationScoped
public class AzureClients {

    private final AzureConnection azure;
    private final CollectorConfig collector;
    private final Map<String, Pacer> armPacers = new ConcurrentHashMap<>();
    private final Map<String, Pacer> costPacers = new ConcurrentHashMap<>();

    public AzureClients(AzureConnection azure, CollectorConfig collector) {
        this.azure = azure;
        this.collector = collector;
    }

    /** The ARM base URL, ending in a slash. */
    public String armEndpoint() {
        return azure.armEndpoint();
    }

    /** ARM for one subscription of a tenant, paced per subscription. */
    public ResourceManager.Authenticated arm(String tenantId, String subscriptionId, ThrottleCounter counter) {
        Pacer pacer = armPacers.computeIfAbsent(subscriptionId, id -> new Pacer(Duration.ZERO,
                Duration.ofNanos((long) (1_000_000_000L / collector.armReadsPerSecond())), collector.remainingLowWater()));
        return ResourceManager.configure()
                .withHttpClient(azure.httpClient())
                .withRetryPolicy(retryPolicy())
                .withPolicy(new ThrottlePolicy(pacer, "x-ms-ratelimit-remaining-subscription-reads",
                        collector.maxThrottleWait(), counter))
                .authenticate(azure.servicePrincipal(tenantId), azure.profile(tenantId, subscriptionId));
    }

    /** An authenticated pipeline for Cost Management in a tenant (the SDK has no client for its query API). */
    public HttpPipeline costManagement(String tenantId, ThrottleCounter counter) {
        Pacer pacer = costPacers.computeIfAbsent(tenantId, id -> new Pacer(
                Duration.ofMillis(10_000L / collector.costQueriesPer10Seconds()), Duration.ofSeconds(10), 1));
        return new HttpPipelineBuilder().httpClient(azure.httpClient())
                .policies(retryPolicy(),
                        new BearerTokenAuthenticationPolicy(azure.servicePrincipal(tenantId), AzureConnection.ARM_SCOPE),
                        new ThrottlePolicy(pacer, "x-ms-ratelimit-microsoft.costmanagement-qpu-remaining",
                                collector.maxThrottleWait(), counter))
                .build();
    }

    private RetryPolicy retryPolicy() {
        return new RetryPolicy(new ExponentialBackoff(collector.maxRetries(), collector.retryBaseDelay(),
                collector.retryBaseDelay().multipliedBy(16)));
    }
}

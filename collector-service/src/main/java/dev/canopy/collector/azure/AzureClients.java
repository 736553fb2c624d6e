package dev.canopy.collector.azure;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.policy.BearerTokenAuthenticationPolicy;
import com.azure.core.http.policy.RequestIdPolicy;
import com.azure.resourcemanager.resources.ResourceManager;

import dev.canopy.azure.AzureConnection;
import dev.canopy.azure.throttling.CostManagementQuota;
import dev.canopy.azure.throttling.ServerErrorRetry;
import dev.canopy.azure.throttling.Throttle;
import dev.canopy.azure.throttling.ThrottleBucket;
import dev.canopy.azure.throttling.ThrottlingPolicy;
import dev.canopy.collector.config.CollectorConfig;

/**
 * Builds the Azure SDK clients Canopy's service principal collects with (on {@link AzureConnection}): pipelines with
 * bounded 5xx retries ({@link ServerErrorRetry}) and Azure's throttling ({@link ThrottlingPolicy}), paced by ARM's
 * read bucket per subscription or by Cost Management's windows per tenant and scope, which live as long as the app.
 */
@ApplicationScoped
public class AzureClients {

    private static final String READS_REMAINING = "x-ms-ratelimit-remaining-subscription-reads";

    private final AzureConnection azure;
    private final CollectorConfig collector;
    private final Map<String, Throttle> armReads = new ConcurrentHashMap<>();
    private final Map<String, CostManagementQuota> costQuotas = new ConcurrentHashMap<>();

    public AzureClients(AzureConnection azure, CollectorConfig collector) {
        this.azure = azure;
        this.collector = collector;
    }

    /** The ARM base URL, ending in a slash. */
    public String armEndpoint() {
        return azure.armEndpoint();
    }

    /**
     * @param throttled told about every 429 the calls absorb
     * @return ARM for one subscription of a tenant, paced by the subscription's read bucket
     */
    public ResourceManager.Authenticated arm(String tenantId, String subscriptionId, ThrottlingPolicy.Listener throttled) {
        Throttle reads = armReads.computeIfAbsent(subscriptionId.toLowerCase(Locale.ROOT), id -> new ThrottlingPolicy.Pace(
                new ThrottleBucket(collector.armReadsBurst(), collector.armReadsPerSecond()), READS_REMAINING));
        // A pipeline of our own rather than ResourceManager.configure(): that one puts added policies after the token's.
        return ResourceManager.authenticate(pipeline(tenantId, reads, throttled), azure.profile(tenantId, subscriptionId));
    }

    /**
     * @param throttled told about every 429 the calls absorb
     * @return an authenticated pipeline for Cost Management queries at a subscription (the SDK has no client for its
     *     query API), paced by the tenant's and the subscription's query windows
     */
    public HttpPipeline costManagement(String tenantId, String subscriptionId, ThrottlingPolicy.Listener throttled) {
        CostManagementQuota quota = costQuotas.computeIfAbsent(tenantId.toLowerCase(Locale.ROOT), id ->
                new CostManagementQuota(new CostManagementQuota.Limits(collector.costQueriesPer10Seconds(),
                        collector.costQueriesPerMinute(), collector.costQueriesPerHour(),
                        collector.costQueriesPerScopePerMinute())));
        return pipeline(tenantId, quota.scope(subscriptionId), throttled);
    }

    private HttpPipeline pipeline(String tenantId, Throttle throttle, ThrottlingPolicy.Listener throttled) {
        return new HttpPipelineBuilder().httpClient(azure.httpClient())
                .policies(new RequestIdPolicy(),
                        ServerErrorRetry.policy(collector.maxRetries(), collector.retryBaseDelay()),
                        // Before the token policy: a call resent after a long throttle gets a fresh token.
                        new ThrottlingPolicy(request -> throttle, collector.maxThrottleWait(), throttled),
                        new BearerTokenAuthenticationPolicy(azure.servicePrincipal(tenantId), AzureConnection.ARM_SCOPE))
                .build();
    }
}

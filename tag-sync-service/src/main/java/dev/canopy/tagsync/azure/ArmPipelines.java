package dev.canopy.tagsync.azure;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.BearerTokenAuthenticationPolicy;
import com.azure.core.http.policy.RequestIdPolicy;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;

import dev.canopy.azure.AzureConnection;
import dev.canopy.azure.throttling.ServerErrorRetry;
import dev.canopy.azure.throttling.ThrottleBucket;
import dev.canopy.azure.throttling.ThrottlingPolicy;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The azure-core pipelines tag-sync reaches ARM through, one per customer tenant: bounded retries of 5xx and
 * dropped connections ({@link ServerErrorRetry}), Azure's throttling paced per subscription (writes through
 * {@link WritePacer}, reads through a reads bucket of their own), and Canopy's service principal of that tenant
 * (the SDK's bearer-token policy, which caches the token), with the caller's {@link SendGuard} asked right before a
 * write leaves. The pipelines stay inside this package, so whatever tag-sync
 * sends to Azure is sent from here: reads by {@link AzureTagsReader}, writes by {@link AzureTagsWriter} alone.
 */
@ApplicationScoped
public class ArmPipelines {

    private static final String READS_REMAINING = "x-ms-ratelimit-remaining-subscription-reads";

    private final AzureConnection azure;
    private final AzureWriteConfig config;
    private final WritePacer writes;
    private final MeterRegistry metrics;
    private final Map<String, HttpPipeline> byTenant = new ConcurrentHashMap<>();
    private final Map<String, ThrottlingPolicy.Pace> reads = new ConcurrentHashMap<>();

    public ArmPipelines(AzureConnection azure, AzureWriteConfig config, WritePacer writes, MeterRegistry metrics) {
        this.azure = azure;
        this.config = config;
        this.writes = writes;
        this.metrics = metrics;
    }

    /** @return the ARM base URL, ending in a slash */
    public String armEndpoint() {
        return azure.armEndpoint();
    }

    /**
     * @param tenantId the customer tenant whose resources are called
     * @return the pipeline acting as Canopy's service principal in that tenant
     */
    HttpPipeline pipeline(String tenantId) {
        return byTenant.computeIfAbsent(tenantId.toLowerCase(Locale.ROOT), tenant -> new HttpPipelineBuilder()
                .httpClient(azure.httpClient())
                .policies(new RequestIdPolicy(),
                        ServerErrorRetry.policy(config.maxRetries(), config.retryBaseDelay()),
                        // Before the token policy: a call resent after a long throttle gets a fresh token.
                        new ThrottlingPolicy(this::pace, config.maxThrottleWait(), (request, wait) ->
                                metrics.counter("canopy.tag-sync.azure.throttled", "method",
                                        request.getHttpMethod().name()).increment()),
                        // After every wait of the throttling policy: the caller's last word before a write leaves.
                        new SendGuardPolicy(),
                        new BearerTokenAuthenticationPolicy(azure.servicePrincipal(tenant), AzureConnection.ARM_SCOPE))
                .build());
    }

    /** Reads draw from the subscription's reads bucket, everything else from its writes bucket. */
    private ThrottlingPolicy.Pace pace(HttpRequest request) {
        String subscription = subscriptionOf(request.getUrl().getPath());
        if (subscription == null) {
            return null;
        }
        if (request.getHttpMethod() == HttpMethod.GET) {
            return reads.computeIfAbsent(subscription, id -> new ThrottlingPolicy.Pace(
                    new ThrottleBucket(config.readsBurst(), config.readsPerSecond()), READS_REMAINING));
        }
        return writes.pace(subscription);
    }

    /**
     * One answer of ARM, read whole so the connection goes back to the pool at once.
     *
     * @param status the HTTP status
     * @param headers the response headers
     * @param body the body as text, empty when there is none
     */
    record Answer(int status, HttpHeaders headers, String body) {

        /** Reads a response (the caller closes it). */
        static Answer of(HttpResponse response) {
            BinaryData data = response.getBodyAsBinaryData();
            return new Answer(response.getStatusCode(), response.getHeaders(), data == null ? "" : data.toString());
        }
    }

    /**
     * Sends a GET as Canopy's principal in a tenant. Reads only: {@link AzureTagsWriter} sends its writes itself.
     *
     * @param tenantId the customer tenant
     * @param url an ARM URL
     * @return Azure's answer, whatever its status
     * @throws AzureTagsException when no answer came after the pipeline's retries, or no token
     */
    Answer get(String tenantId, String url) {
        try (HttpResponse response = pipeline(tenantId).sendSync(new HttpRequest(HttpMethod.GET, url), Context.NONE)) {
            return Answer.of(response);
        } catch (RuntimeException e) {
            throw AzureTagsException.noAnswer(e);
        }
    }

    /** @return the lower-cased subscription id of an ARM path, or null outside a subscription */
    static String subscriptionOf(String path) {
        String[] segments = path.split("/");
        for (int i = 0; i + 1 < segments.length; i++) {
            if (segments[i].equalsIgnoreCase("subscriptions") && !segments[i + 1].isEmpty()) {
                return segments[i + 1].toLowerCase(Locale.ROOT);
            }
        }
        return null;
    }
}

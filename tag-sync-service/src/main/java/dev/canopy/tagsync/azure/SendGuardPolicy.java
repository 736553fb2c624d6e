package dev.canopy.tagsync.azure;

import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.util.Context;

import reactor.core.publisher.Mono;

/**
 * Hands a request that changes Azure to the call's {@link SendGuard} right before it leaves — after the throttling
 * policy's pacing and {@code Retry-After} waits, before every retry — so the decision to write is as late as it can be.
 */
final class SendGuardPolicy implements HttpPipelinePolicy {

    private static final String GUARD = "canopy-send-guard";

    /** The context that carries a guard to this policy. */
    static Context context(SendGuard guard) {
        return new Context(GUARD, guard);
    }

    @Override
    public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
        SendGuard guard = guardOf(context);
        return guard == null ? next.processSync() : guard.send(next::processSync);
    }

    @Override
    public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
        // A guard may hold a lock while its request is in flight, which needs the caller's thread: guarded writes are
        // sent with sendSync (AzureTagsWriter does), never through the reactive path.
        return guardOf(context) == null ? next.process()
                : Mono.error(new IllegalStateException("a guarded write must be sent synchronously"));
    }

    private static SendGuard guardOf(HttpPipelineCallContext context) {
        if (context.getHttpRequest().getHttpMethod() == HttpMethod.GET) {
            return null;
        }
        return (SendGuard) context.getData(GUARD).orElse(null);
    }
}

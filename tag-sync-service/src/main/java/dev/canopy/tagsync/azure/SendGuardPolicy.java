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
 * Asks the call's {@link SendGuard} right before a request that changes Azure leaves — after the throttling policy's
 * pacing and {@code Retry-After} waits, before every retry — so the decision to write is as late as it can be.
 */
final class SendGuardPolicy implements HttpPipelinePolicy {

    private static final String GUARD = "canopy-send-guard";

    /** The context that carries a guard to this policy. */
    static Context context(SendGuard guard) {
        return new Context(GUARD, guard);
    }

    @Override
    public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
        check(context);
        return next.processSync();
    }

    @Override
    public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
        return Mono.defer(() -> {
            check(context);
            return next.process();
        });
    }

    private static void check(HttpPipelineCallContext context) {
        if (context.getHttpRequest().getHttpMethod() != HttpMethod.GET) {
            context.getData(GUARD).ifPresent(guard -> ((SendGuard) guard).beforeSend());
        }
    }
}

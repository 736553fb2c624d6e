package dev.canopy.azure.throttling;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.function.Function;

import com.azure.core.http.HttpHeader;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpPipelinePosition;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;

import reactor.core.publisher.Mono;

/**
 * An azure-core pipeline policy that honours Azure's throttling: each call first waits for a token of the
 * {@link ThrottleBucket} it draws from, the {@code x-ms-ratelimit-remaining-*} header of every answer keeps that
 * bucket in step with Azure, and a 429 is answered by waiting its retry-after and sending again, for as long as the
 * retry-after time waited out stays under a bound (then the 429 goes back to the caller).
 *
 * <p>Place it after the SDK's {@code RetryPolicy} (it is {@link HttpPipelinePosition#PER_RETRY}) so that 429s never
 * use up the bounded retries meant for 5xx and dropped connections, and before the bearer-token policy so that a
 * call resent after a long wait still gets a fresh token.
 */
public final class ThrottlingPolicy implements HttpPipelinePolicy {

    /**
     * Which bucket a call draws from.
     *
     * @param bucket the bucket
     * @param remainingHeader the header in which Azure reports that bucket's remaining calls, e.g.
     *     {@code x-ms-ratelimit-remaining-subscription-writes}; its value is a number or, as Cost Management sends it,
     *     {@code Name:number} parts separated by commas (the smallest counts)
     */
    public record Pace(ThrottleBucket bucket, String remainingHeader) {
    }

    /** Told about every 429 the policy absorbs (for counters and log lines). */
    @FunctionalInterface
    public interface Listener {
        /**
         * @param request the throttled call
         * @param retryAfter how long Azure asked to wait
         */
        void throttled(HttpRequest request, Duration retryAfter);
    }

    // Cost Management sends several retry-after headers on one 429; the longest one counts (AZURE-CONTRACTS §3.4).
    private static final List<String> RETRY_AFTER_SECONDS = List.of("retry-after",
            "x-ms-ratelimit-microsoft.costmanagement-qpu-retry-after",
            "x-ms-ratelimit-microsoft.costmanagement-entity-retry-after",
            "x-ms-ratelimit-microsoft.costmanagement-tenant-retry-after",
            "x-ms-ratelimit-microsoft.costmanagement-clienttype-retry-after",
            "x-ms-ratelimit-microsoft.consumption-retry-after");
    private static final List<String> RETRY_AFTER_MILLIS = List.of("retry-after-ms", "x-ms-retry-after-ms");
    private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

    private final Function<HttpRequest, Pace> paceFor;
    private final Duration maxThrottledTime;
    private final Listener listener;

    /**
     * @param paceFor the bucket of a call, or null for a call that is not paced (its 429s are still honoured)
     * @param maxThrottledTime the most retry-after time one call waits out in total before its 429 is returned
     * @param listener told about each absorbed 429
     */
    public ThrottlingPolicy(Function<HttpRequest, Pace> paceFor, Duration maxThrottledTime, Listener listener) {
        this.paceFor = paceFor;
        this.maxThrottledTime = maxThrottledTime;
        this.listener = listener;
    }

    @Override
    public HttpPipelinePosition getPipelinePosition() {
        return HttpPipelinePosition.PER_RETRY;
    }

    @Override
    public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
        Pace pace = paceFor.apply(context.getHttpRequest());
        long waitedNanos = 0;
        while (true) {
            sleep(pace == null ? Duration.ZERO : pace.bucket().reserve());
            HttpResponse response = next.clone().processSync();
            Duration wait = absorb(context.getHttpRequest(), pace, response, waitedNanos);
            if (wait == null) {
                return response;
            }
            waitedNanos += wait.toNanos();
            if (pace == null) {
                sleep(wait);
            }
        }
    }

    @Override
    public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
        return attempt(context, next, paceFor.apply(context.getHttpRequest()), 0);
    }

    private Mono<HttpResponse> attempt(HttpPipelineCallContext context, HttpPipelineNextPolicy next, Pace pace,
                                       long waitedNanos) {
        return Mono.defer(() -> {
            Duration pause = pace == null ? Duration.ZERO : pace.bucket().reserve();
            Mono<HttpResponse> call = next.clone().process();
            return pause.isZero() ? call : Mono.delay(pause).then(call);
        }).flatMap(response -> {
            Duration wait = absorb(context.getHttpRequest(), pace, response, waitedNanos);
            if (wait == null) {
                return Mono.just(response);
            }
            Mono<HttpResponse> again = attempt(context, next, pace, waitedNanos + wait.toNanos());
            // A paced call waits in the bucket's reservation; an unpaced one waits here.
            return pace == null ? Mono.delay(wait).then(again) : again;
        });
    }

    /**
     * Reads the answer's throttling headers into the bucket and decides whether to send again.
     *
     * @param waitedNanos the retry-after time this call has already waited out
     * @return how long to wait before sending again, or null to hand the response to the caller
     */
    private Duration absorb(HttpRequest request, Pace pace, HttpResponse response, long waitedNanos) {
        if (pace != null) {
            remaining(response.getHeaders(), pace.remainingHeader()).ifPresent(pace.bucket()::remaining);
        }
        if (response.getStatusCode() != 429) {
            return null;
        }
        Duration wait = retryAfter(response.getHeaders());
        if (waitedNanos + wait.toNanos() > maxThrottledTime.toNanos()) {
            return null;
        }
        response.close();
        listener.throttled(request, wait);
        if (pace != null) {
            // The next reservation of this bucket, this call's included, lands after the wait.
            pace.bucket().throttled(wait);
        }
        return wait;
    }

    /**
     * @param headers an answer's headers
     * @param name the remaining-calls header
     * @return the smallest count in it, or empty if the header is absent or unreadable
     */
    public static OptionalLong remaining(HttpHeaders headers, String name) {
        String value = headers.getValue(name);
        if (value == null) {
            return OptionalLong.empty();
        }
        long least = Long.MAX_VALUE;
        // ARM: "199"; Cost Management: "QueriesPerHour:597,QueriesPerMin:57,QueriesPer10Sec:9".
        for (String part : value.split(",")) {
            String number = part.contains(":") ? part.substring(part.indexOf(':') + 1) : part;
            try {
                least = Math.min(least, Long.parseLong(number.trim()));
            } catch (NumberFormatException ignored) {
                // an unknown format says nothing about the bucket
            }
        }
        return least == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(least);
    }

    /**
     * @param headers an answer's headers
     * @return the longest retry-after among them (seconds or milliseconds headers); 1 s if there is none
     */
    public static Duration retryAfter(HttpHeaders headers) {
        long millis = 0;
        for (HttpHeader header : headers) {
            String name = header.getName().toLowerCase(Locale.ROOT);
            try {
                if (RETRY_AFTER_SECONDS.contains(name)) {
                    millis = Math.max(millis, (long) (Double.parseDouble(header.getValue().trim()) * 1000));
                } else if (RETRY_AFTER_MILLIS.contains(name)) {
                    millis = Math.max(millis, Long.parseLong(header.getValue().trim()));
                }
            } catch (NumberFormatException ignored) {
                // an HTTP-date Retry-After: fall back to the default below
            }
        }
        return millis > 0 ? Duration.ofMillis(millis) : DEFAULT_RETRY_AFTER;
    }

    private static void sleep(Duration pause) {
        if (pause.isZero() || pause.isNegative()) {
            return;
        }
        try {
            // Waiting is the point: synchronous SDK calls run on the caller's worker thread, never an event loop.
            Thread.sleep(pause.toMillis(), (int) (pause.toNanos() % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Azure's throttling", e);
        }
    }
}

package dev.canopy.azure.throttling;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * An azure-core pipeline policy that honours Azure's throttling: each call first waits for its place in the
 * {@link Throttle} it draws from (a {@link ThrottleBucket} through {@link Pace}, or Cost Management's windows through
 * {@link CostManagementQuota}), the {@code x-ms-ratelimit-*} headers of every answer keep that throttle in step with
 * Azure, and a 429 is answered by waiting its retry-after and sending again, for as long as the retry-after time
 * waited out stays under a bound (then the 429 goes back to the caller).
 *
 * <p>Place it after the SDK's {@code RetryPolicy} (it is {@link HttpPipelinePosition#PER_RETRY}) so that 429s never
 * use up the bounded retries meant for 5xx and dropped connections, and before the bearer-token policy so that a
 * call resent after a long wait still gets a fresh token.
 */
public final class ThrottlingPolicy implements HttpPipelinePolicy {

    /**
     * A token bucket as a throttle: a call waits for its token, and Azure's count and 429s pull the bucket down.
     *
     * @param bucket the bucket
     * @param remainingHeader the header in which Azure reports that bucket's remaining calls, e.g.
     *     {@code x-ms-ratelimit-remaining-subscription-writes}; its value is a number or, as Cost Management sends it,
     *     {@code Name:number} parts separated by commas (the smallest counts)
     */
    public record Pace(ThrottleBucket bucket, String remainingHeader) implements Throttle {

        @Override
        public Ticket reserve() {
            Duration delay = bucket.reserve();
            return new Ticket() {
                @Override
                public Duration delay() {
                    return delay;
                }

                @Override
                public void answered(HttpHeaders headers) {
                    remaining(headers, remainingHeader).ifPresent(bucket::remaining);
                }

                @Override
                public void throttled(HttpHeaders headers, Duration retryAfter) {
                    answered(headers);
                    // The next reservation of this bucket, a resent call's included, lands after the wait.
                    bucket.throttled(retryAfter);
                }
            };
        }
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
            CostManagementQuota.SCOPE_RETRY_AFTER, CostManagementQuota.QPU_RETRY_AFTER,
            CostManagementQuota.TENANT_RETRY_AFTER, CostManagementQuota.CLIENT_TYPE_RETRY_AFTER,
            CostManagementQuota.CONSUMPTION_RETRY_AFTER);
    private static final List<String> RETRY_AFTER_MILLIS = List.of("retry-after-ms", "x-ms-retry-after-ms");
    private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

    private final Function<HttpRequest, ? extends Throttle> paceFor;
    private final Duration maxThrottledTime;
    private final Listener listener;

    /**
     * @param paceFor the throttle a call draws from, or null for a call that is not paced (its 429s are still honoured)
     * @param maxThrottledTime the most retry-after time one call waits out in total before its 429 is returned
     * @param listener told about each absorbed 429
     */
    public ThrottlingPolicy(Function<HttpRequest, ? extends Throttle> paceFor, Duration maxThrottledTime,
                            Listener listener) {
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
        Throttle throttle = paceFor.apply(context.getHttpRequest());
        long waitedNanos = 0;
        while (true) {
            Throttle.Ticket ticket = throttle == null ? null : throttle.reserve();
            HttpResponse response;
            try {
                sleep(ticket == null ? Duration.ZERO : ticket.delay());
                response = next.clone().processSync();
            } catch (RuntimeException | Error e) {
                abandon(ticket);
                throw e;
            }
            Duration wait = absorb(context.getHttpRequest(), ticket, response, waitedNanos);
            if (wait == null) {
                return response;
            }
            waitedNanos += wait.toNanos();
            if (throttle == null) {
                sleep(wait);
            }
        }
    }

    @Override
    public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
        return attempt(context, next, paceFor.apply(context.getHttpRequest()), 0);
    }

    private Mono<HttpResponse> attempt(HttpPipelineCallContext context, HttpPipelineNextPolicy next, Throttle throttle,
                                       long waitedNanos) {
        return Mono.defer(() -> {
            Throttle.Ticket ticket = throttle == null ? null : throttle.reserve();
            Duration pause = ticket == null ? Duration.ZERO : ticket.delay();
            Mono<HttpResponse> call = next.clone().process();
            return (pause.isZero() ? call : Mono.delay(pause).then(call))
                    .doOnError(e -> abandon(ticket))
                    .flatMap(response -> {
                        Duration wait = absorb(context.getHttpRequest(), ticket, response, waitedNanos);
                        if (wait == null) {
                            return Mono.just(response);
                        }
                        Mono<HttpResponse> again = attempt(context, next, throttle, waitedNanos + wait.toNanos());
                        // A paced call waits in the throttle's reservation; an unpaced one waits here.
                        return throttle == null ? Mono.delay(wait).then(again) : again;
                    });
        });
    }

    /**
     * Reports the answer to the call's ticket and decides whether to send again.
     *
     * @param ticket the call's place in its throttle, null for an unpaced call
     * @param waitedNanos the retry-after time this call has already waited out
     * @return how long to wait before sending again, or null to hand the response to the caller
     */
    private Duration absorb(HttpRequest request, Throttle.Ticket ticket, HttpResponse response, long waitedNanos) {
        if (response.getStatusCode() != 429) {
            if (ticket != null) {
                ticket.answered(response.getHeaders());
            }
            return null;
        }
        Duration wait = retryAfter(response.getHeaders());
        if (ticket != null) {
            // Azure's word holds for every call of the scope, even when this one gives up.
            ticket.throttled(response.getHeaders(), wait);
        }
        if (waitedNanos + wait.toNanos() > maxThrottledTime.toNanos()) {
            return null;
        }
        response.close();
        listener.throttled(request, wait);
        return wait;
    }

    private static void abandon(Throttle.Ticket ticket) {
        if (ticket != null) {
            ticket.abandoned();
        }
    }

    /**
     * @param headers an answer's headers
     * @param name the remaining-calls header
     * @return the smallest count in it, or empty if the header is absent or unreadable
     */
    public static OptionalLong remaining(HttpHeaders headers, String name) {
        return remainingParts(headers, name).values().stream().mapToLong(Long::longValue).min();
    }

    /**
     * @param headers an answer's headers
     * @param name a remaining-calls header
     * @return its counts by name in the order sent — ARM's {@code 199} as {@code "" → 199}, Cost Management's
     *     {@code QueriesPerHour:597,QueriesPerMin:57,QueriesPer10Sec:9} as three entries — empty if the header is
     *     absent; parts that are not numbers are left out
     */
    public static Map<String, Long> remainingParts(HttpHeaders headers, String name) {
        Map<String, Long> parts = new LinkedHashMap<>();
        String value = headers.getValue(name);
        if (value == null) {
            return parts;
        }
        for (String part : value.split(",")) {
            int colon = part.indexOf(':');
            try {
                parts.put(colon < 0 ? "" : part.substring(0, colon).trim(),
                        Long.parseLong(part.substring(colon + 1).trim()));
            } catch (NumberFormatException ignored) {
                // an unknown format says nothing about the quota
            }
        }
        return parts;
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

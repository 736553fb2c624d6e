package dev.canopy.collector.azure;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import com.azure.core.http.HttpHeader;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpPipelinePosition;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;

import reactor.core.publisher.Mono;

/**
 * Honours Azure's throttling: paces calls through a {@link Pacer}, reads the {@code x-ms-ratelimit-remaining-*}
 * headers, and answers a 429 by waiting its retry-after and sending again — for as long as the total wait stays
 * under a bound. It sits after the SDK's retry policy, so 429s never use up the bounded retries meant for 5xx.
 */
public final class ThrottlePolicy implements HttpPipelinePolicy {

    private static final List<String> RETRY_AFTER_SECONDS = List.of("retry-after",
            "x-ms-ratelimit-microsoft.costmanagement-qpu-retry-after",
            "x-ms-ratelimit-microsoft.costmanagement-entity-retry-after",
            "x-ms-ratelimit-microsoft.costmanagement-tenant-retry-after",
            "x-ms-ratelimit-microsoft.costmanagement-clienttype-retry-after",
            "x-ms-ratelimit-microsoft.consumption-retry-after");

    private final Pacer pacer;
    private final String remainingHeader;
    private final Duration maxWait;
    private final ThrottleCounter counter;

    /**
     * @param remainingHeader the header whose value (or smallest {@code Name:value} part) is the requests left
     * @param counter counts 429s seen, for the run's log line
     */
    public ThrottlePolicy(Pacer pacer, String remainingHeader, Duration maxWait, ThrottleCounter counter) {
        this.pacer = pacer;
        this.remainingHeader = remainingHeader;
        this.maxWait = maxWait;
        this.counter = counter;
    }

    @Override
    public HttpPipelinePosition getPipelinePosition() {
        return HttpPipelinePosition.PER_RETRY;
    }

    @Override
    public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
        long waited = 0;
        while (true) {
            sleep(pacer.reserve());
            HttpResponse response = next.clone().processSync();
            observe(response.getHeaders());
            if (response.getStatusCode() != 429 || waited >= maxWait.toMillis()) {
                return response;
            }
            Duration wait = retryAfter(response.getHeaders());
            response.close();
            counter.throttled();
            pacer.throttled(wait);
            waited += wait.toMillis();
        }
    }

    @Override
    public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
        return attempt(next, 0);
    }

    private Mono<HttpResponse> attempt(HttpPipelineNextPolicy next, long waited) {
        return Mono.defer(() -> {
            Duration pause = pacer.reserve();
            Mono<HttpResponse> call = next.clone().process();
            return pause.isZero() ? call : Mono.delay(pause).then(call);
        }).flatMap(response -> {
            observe(response.getHeaders());
            if (response.getStatusCode() != 429 || waited >= maxWait.toMillis()) {
                return Mono.just(response);
            }
            Duration wait = retryAfter(response.getHeaders());
            response.close();
            counter.throttled();
            pacer.throttled(wait);
            return attempt(next, waited + wait.toMillis());
        });
    }

    private void observe(HttpHeaders headers) {
        String value = headers.getValue(remainingHeader);
        if (value == null) {
            return;
        }
        long least = Long.MAX_VALUE;
        // ARM: "249"; Cost Management: "QueriesPerHour:597,QueriesPerMin:57,QueriesPer10Sec:9".
        for (String part : value.split(",")) {
            String number = part.contains(":") ? part.substring(part.indexOf(':') + 1) : part;
            try {
                least = Math.min(least, Long.parseLong(number.trim()));
            } catch (NumberFormatException ignored) {
                // an unknown format says nothing about the bucket
            }
        }
        if (least != Long.MAX_VALUE) {
            pacer.remaining(least);
        }
    }

    /** The longest of all retry-after headers present (Cost Management sends several); 1 s if none. */
    static Duration retryAfter(HttpHeaders headers) {
        long millis = 0;
        for (HttpHeader header : headers) {
            String name = header.getName().toLowerCase(Locale.ROOT);
            try {
                if (RETRY_AFTER_SECONDS.contains(name)) {
                    millis = Math.max(millis, (long) (Double.parseDouble(header.getValue().trim()) * 1000));
                } else if (name.equals("retry-after-ms") || name.equals("x-ms-retry-after-ms")) {
                    millis = Math.max(millis, Long.parseLong(header.getValue().trim()));
                }
            } catch (NumberFormatException ignored) {
                // an HTTP-date Retry-After: fall back to the default below
            }
        }
        return Duration.ofMillis(millis > 0 ? millis : 1000);
    }

    private static void sleep(Duration pause) {
        if (pause.isZero() || pause.isNegative()) {
            return;
        }
        try {
            // Waiting is the point here: the SDK's synchronous calls run on the collector's worker thread.
            Thread.sleep(pause.toMillis(), (int) (pause.toNanos() % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Azure's throttling", e);
        }
    }
}

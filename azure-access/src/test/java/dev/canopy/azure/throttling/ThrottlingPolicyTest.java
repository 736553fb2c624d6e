package dev.canopy.azure.throttling;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.Context;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The policy against a scripted HTTP client: 429s waited out and resent, the bound, Azure's counts read. */
class ThrottlingPolicyTest {

    private static final String WRITES = "x-ms-ratelimit-remaining-subscription-writes";

    private final ScriptedClient azure = new ScriptedClient();
    private final List<Duration> throttles = new ArrayList<>();
    private final ThrottleBucket bucket = new ThrottleBucket(200, 10);

    @Test
    void a429IsWaitedOutAndSentAgainSyncAndAsync() {
        for (boolean sync : new boolean[]{true, false}) {
            azure.answer(429, Map.of("Retry-After-Ms", "30", WRITES, "0"));
            azure.answer(200, Map.of(WRITES, "7"));
            HttpPipeline pipeline = pipeline(Duration.ofMinutes(1));

            HttpResponse response = sync ? pipeline.sendSync(patch(), Context.NONE) : pipeline.send(patch()).block();

            assertThat(response.getStatusCode()).isEqualTo(200);
            assertThat(bucket.available()).isLessThanOrEqualTo(7.0);
        }
        assertThat(azure.sent).isEqualTo(4);
        assertThat(throttles).containsExactly(Duration.ofMillis(30), Duration.ofMillis(30));
    }

    @Test
    void theLongestRetryAfterCountsAndAMissingOneMeansOneSecond() {
        HttpHeaders costManagement = new HttpHeaders().set("Retry-After", "2")
                .set("x-ms-ratelimit-microsoft.costmanagement-qpu-retry-after", "7")
                .set("x-ms-ratelimit-microsoft.costmanagement-entity-retry-after", "not-a-number");

        assertThat(ThrottlingPolicy.retryAfter(costManagement)).isEqualTo(Duration.ofSeconds(7));
        assertThat(ThrottlingPolicy.retryAfter(new HttpHeaders())).isEqualTo(Duration.ofSeconds(1));
        assertThat(ThrottlingPolicy.remaining(new HttpHeaders().set("q", "QueriesPerHour:597,QueriesPerMin:57,QueriesPer10Sec:9"), "q"))
                .hasValue(9);
        assertThat(ThrottlingPolicy.remaining(new HttpHeaders(), "q")).isEmpty();
        assertThat(ThrottlingPolicy.remainingParts(new HttpHeaders().set("q", "QueriesPerHour:597,QueriesPerMin:x,QueriesPer10Sec:9"), "q"))
                .containsExactly(Map.entry("QueriesPerHour", 597L), Map.entry("QueriesPer10Sec", 9L));
        assertThat(ThrottlingPolicy.remainingParts(new HttpHeaders().set("q", "199"), "q")).containsExactly(Map.entry("", 199L));
    }

    @Test
    void aCallThrottledLongerThanTheBoundGetsThe429() {
        azure.answer(429, Map.of("Retry-After-Ms", "40"));
        azure.answer(429, Map.of("Retry-After-Ms", "40"));
        azure.answer(200, Map.of());

        HttpResponse response = pipeline(Duration.ofMillis(60)).sendSync(patch(), Context.NONE);

        assertThat(response.getStatusCode()).isEqualTo(429);
        assertThat(azure.sent).isEqualTo(2);
        assertThat(throttles).hasSize(1);
    }

    @Test
    void aLowCountFromAzureSlowsTheNextCall() {
        azure.answer(200, Map.of(WRITES, "0"));

        pipeline(Duration.ofMinutes(1)).sendSync(patch(), Context.NONE);

        assertThat(bucket.reserve()).isGreaterThan(Duration.ofMillis(50));
    }

    private HttpPipeline pipeline(Duration maxThrottled) {
        ThrottlingPolicy.Pace pace = new ThrottlingPolicy.Pace(bucket, WRITES);
        return new HttpPipelineBuilder().httpClient(azure)
                .policies(new ThrottlingPolicy(request -> pace, maxThrottled, (request, wait) -> throttles.add(wait)))
                .build();
    }

    private static HttpRequest patch() {
        return new HttpRequest(HttpMethod.PATCH, "https://management.example/subscriptions/s/providers/"
                + "Microsoft.Resources/tags/default?api-version=2021-04-01");
    }

    /** Answers with the scripted responses in order. */
    private static final class ScriptedClient implements HttpClient {
        private final Deque<Object[]> script = new ArrayDeque<>();
        int sent;

        void answer(int status, Map<String, String> headers) {
            script.add(new Object[]{status, headers});
        }

        @Override
        @SuppressWarnings("unchecked")
        public Mono<HttpResponse> send(HttpRequest request) {
            sent++;
            Object[] next = script.removeFirst();
            HttpHeaders headers = new HttpHeaders();
            ((Map<String, String>) next[1]).forEach(headers::set);
            return Mono.just(new Answer(request, (int) next[0], headers));
        }
    }

    /** A response with a status and headers and no body. */
    private static final class Answer extends HttpResponse {
        private final int status;
        private final HttpHeaders headers;

        Answer(HttpRequest request, int status, HttpHeaders headers) {
            super(request);
            this.status = status;
            this.headers = headers;
        }

        @Override
        public int getStatusCode() {
            return status;
        }

        @Override
        @Deprecated
        public String getHeaderValue(String name) {
            return headers.getValue(name);
        }

        @Override
        public HttpHeaders getHeaders() {
            return headers;
        }

        @Override
        public Flux<ByteBuffer> getBody() {
            return Flux.empty();
        }

        @Override
        public Mono<byte[]> getBodyAsByteArray() {
            return Mono.just(new byte[0]);
        }

        @Override
        public Mono<String> getBodyAsString() {
            return Mono.just("");
        }

        @Override
        public Mono<String> getBodyAsString(Charset charset) {
            return Mono.just("");
        }
    }
}

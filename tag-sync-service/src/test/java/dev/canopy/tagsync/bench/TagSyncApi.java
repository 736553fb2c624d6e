package dev.canopy.tagsync.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.canopy.events.azure.ArmResourceId;

/**
 * The benchmark's client of tag-sync's API, acting as one tenant's tag editor: bulk and single edits (each with the
 * moment the API answered 202), and whether any edit is still open.
 */
final class TagSyncApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CALL_TIMEOUT = Duration.ofMinutes(5);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final String token;

    /**
     * @param baseUrl the app's API, e.g. {@code http://127.0.0.1:40123}
     * @param token a platform token with {@code tag-editor:<tenant>}
     */
    TagSyncApi(String baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
    }

    /**
     * A bulk edit as the API accepted it.
     *
     * @param editIds edit id per accepted resource, keyed by the normalized resource id
     * @param acceptedAt when the 202 arrived: the edits exist for the writer from then on
     * @param took the POST's round trip (the intake of every edit in one transaction)
     */
    record Bulk(UUID batchId, Map<String, UUID> editIds, int rejected, Instant acceptedAt, Duration took) {
    }

    /** One edit as the API accepted it (normalized resource id); {@code acceptedAt} is when the 202 arrived. */
    record Single(String resourceId, UUID editId, Instant acceptedAt) {
    }

    /** {@code POST /tag-edits/bulk}: merges {@code tags} into every resource. */
    Bulk bulkMerge(Map<String, String> tags, List<String> resourceIds) {
        long start = System.nanoTime();
        HttpResponse<String> response = send(request("/tag-edits/bulk").POST(body(Map.of("operation", "merge",
                "tags", tags, "resourceIds", resourceIds))));
        Instant acceptedAt = Instant.now();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        JsonNode answer = accepted(response, "POST /tag-edits/bulk");
        Map<String, UUID> editIds = new LinkedHashMap<>();
        answer.path("accepted").forEach(a -> editIds.put(ArmResourceId.parse(a.path("resourceId").asText()).key(),
                UUID.fromString(a.path("editId").asText())));
        return new Bulk(UUID.fromString(answer.path("batchId").asText()), editIds, answer.path("rejectedCount").asInt(),
                acceptedAt, took);
    }

    /** {@code PATCH /resources/{id}/tags} without waiting: completes when the 202 arrived. */
    CompletableFuture<Single> mergeAsync(String resourceId, Map<String, String> tags) {
        HttpRequest request = request("/resources" + resourceId + "/tags")
                .method("PATCH", body(Map.of("operation", "merge", "tags", tags))).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
            Instant acceptedAt = Instant.now();
            JsonNode answer = accepted(response, "PATCH /resources/{id}/tags");
            return new Single(ArmResourceId.parse(resourceId).key(), UUID.fromString(answer.path("editId").asText()),
                    acceptedAt);
        });
    }

    /** True once the API answers for the subscription: tag-sync's views know it and its tenant. */
    boolean knows(String subscriptionId) {
        return send(request("/resources/subscriptions/" + subscriptionId + "/tags").GET()).statusCode() == 200;
    }

    /** True while any edit of the tenant has no terminal outcome yet (the audit trail's {@code state=open}). */
    boolean anyOpen() {
        HttpResponse<String> response = send(request("/tag-edits?state=open&limit=1").GET());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET /tag-edits?state=open answered " + response.statusCode() + ": "
                    + response.body());
        }
        return read(response.body()).path("items").size() > 0;
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(CALL_TIMEOUT)
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json");
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("tag-sync's API did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling tag-sync's API", e);
        }
    }

    private static JsonNode accepted(HttpResponse<String> response, String call) {
        if (response.statusCode() != 202) {
            throw new IllegalStateException(call + " answered " + response.statusCode() + ": " + response.body());
        }
        return read(response.body());
    }

    private static HttpRequest.BodyPublisher body(Object value) {
        try {
            return HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a request body", e);
        }
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("tag-sync answered with something that is not JSON: " + body, e);
        }
    }
}

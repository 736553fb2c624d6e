package dev.canopy.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.canopy.emulator.server.Json;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/** A small HTTPS client for tests: trusts the emulator, sends JSON or forms, returns status, headers and JSON. */
public final class EmulatorClient {

    /** One answer. */
    public record Reply(int status, java.net.http.HttpHeaders headers, String body) {
        public JsonNode json() {
            return body == null || body.isEmpty() ? MissingNode.getInstance() : Json.parse(body.getBytes(StandardCharsets.UTF_8));
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        /** @return the ARM error code of an error answer */
        public String errorCode() {
            return json().path("error").path("code").asText(null);
        }
    }

    private final AzureEmulator emulator;
    private final HttpClient http;

    public EmulatorClient(AzureEmulator emulator) {
        this.emulator = emulator;
        this.http = HttpClient.newBuilder().sslContext(emulator.sslContext()).version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** @param pathOrUrl a path on the emulator ("/subscriptions?...") or an absolute URL (a nextLink) */
    public Reply send(String method, String pathOrUrl, String token, Object jsonBody) {
        HttpRequest.BodyPublisher body = jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(jsonBody instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : Json.bytes(jsonBody));
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(pathOrUrl)).timeout(Duration.ofSeconds(30)).method(method, body);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (jsonBody != null) {
            b.header("Content-Type", "application/json");
        }
        return execute(b.build());
    }

    public Reply get(String pathOrUrl, String token) {
        return send("GET", pathOrUrl, token, null);
    }

    public Reply form(String path, Map<String, String> fields) {
        String body = fields.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return execute(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private URI uri(String pathOrUrl) {
        return URI.create(pathOrUrl.startsWith("https://") ? pathOrUrl : emulator.baseUrl() + pathOrUrl);
    }

    private Reply execute(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

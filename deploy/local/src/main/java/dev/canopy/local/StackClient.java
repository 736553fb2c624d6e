package dev.canopy.local;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import javax.net.ssl.SSLContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * A client of the local stack's HTTPS APIs as a platform user would be: a bearer token per call, JSON both ways, and
 * an answer other than the expected status fails with the method, URL, status and body.
 */
public final class StackClient {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http;

    public StackClient(SSLContext sslContext) {
        this.http = HttpClient.newBuilder().sslContext(sslContext).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** A platform token of a user of the sample world, by the platform issuer's password grant. */
    public String passwordToken(String emulatorUrl, String username, String password) {
        String form = "grant_type=password&username=" + URLEncoder.encode(username, StandardCharsets.UTF_8)
                + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(emulatorUrl + "/canopy-platform/token")).timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        return exchange(request, 200).path("access_token").asText();
    }

    /**
     * A platform token for anyone with any roles ({@code admin:<tenant>}, {@code tag-editor:<tenant>},
     * {@code viewer:<tenant>}, {@code ops}), minted by the emulator's control API; for API consumers of the local stack.
     */
    public String mintedToken(String emulatorUrl, String username, List<String> roles) {
        return send("POST", emulatorUrl + "/_emulator/tokens/platform", null,
                Map.of("username", username, "roles", roles), 200).path("access_token").asText();
    }

    public JsonNode get(String url, String token) {
        return send("GET", url, token, null, 200);
    }

    /** Sends {@code body} (null for none) as JSON and expects {@code expectedStatus}; an empty answer is a MissingNode. */
    public JsonNode send(String method, String url, String token, Object body, int expectedStatus) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
                .header("Accept", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json");
            request.method(method, HttpRequest.BodyPublishers.ofString(write(body)));
        }
        return exchange(request.build(), expectedStatus);
    }

    /** The URL with its query parameters encoded. */
    public static String url(String base, Map<String, String> query) {
        return base + "?" + query.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private JsonNode exchange(HttpRequest request, int expectedStatus) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expectedStatus) {
                throw new IllegalStateException(request.method() + " " + request.uri() + " answered "
                        + response.statusCode() + " (expected " + expectedStatus + "): " + response.body());
            }
            return response.body().isBlank() ? MissingNode.getInstance() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + request.uri(), e);
        }
    }

    private static String write(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write " + body + " as JSON", e);
        }
    }
}

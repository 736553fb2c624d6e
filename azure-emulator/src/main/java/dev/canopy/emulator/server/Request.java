package dev.canopy.emulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.Headers;
import dev.canopy.emulator.faults.Faults;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * One request as handlers see it: method, normalized path, decoded query, headers, body, the route's match, and
 * what the handlers learn on the way (the caller, extra response headers) for the request log.
 */
public final class Request {

    private final String method;
    private final String rawTarget;
    private final String path;
    private final Map<String, List<String>> query;
    private final Headers headers;
    private final byte[] body;
    private final String baseUrl;
    private final String requestId;
    private Matcher match;
    private Route route;
    private String principal;
    private Faults.Decision faults = Faults.Decision.NONE;
    private final Map<String, String> responseHeaders = new LinkedHashMap<>();

    public Request(String method, String rawTarget, Headers headers, byte[] body, String baseUrl, String requestId) {
        this.method = method;
        this.rawTarget = rawTarget;
        this.headers = headers;
        this.body = body;
        this.baseUrl = baseUrl;
        this.requestId = requestId;
        int q = rawTarget.indexOf('?');
        String rawPath = q < 0 ? rawTarget : rawTarget.substring(0, q);
        this.path = normalizePath(rawPath);
        this.query = parseQuery(q < 0 ? "" : rawTarget.substring(q + 1));
    }

    /**
     * Collapses repeated slashes (the Azure SDK sends {@code //subscriptions/...}), drops a trailing slash and
     * percent-decodes each segment.
     */
    static String normalizePath(String rawPath) {
        StringBuilder sb = new StringBuilder();
        for (String segment : rawPath.split("/")) {
            if (!segment.isEmpty()) {
                sb.append('/').append(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        return sb.length() == 0 ? "/" : sb.toString();
    }

    /** Parses a query string; names are matched case-insensitively ({@code $filter} and {@code $Filter} are one). */
    public static Map<String, List<String>> parseQuery(String raw) {
        Map<String, List<String>> result = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return result;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            result.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(value);
        }
        return result;
    }

    public String method() {
        return method;
    }

    /** @return the request target exactly as sent (path and query) */
    public String rawTarget() {
        return rawTarget;
    }

    public String path() {
        return path;
    }

    /** @return the first value of a query parameter, or null */
    public String query(String name) {
        List<String> values = query.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public Map<String, List<String>> queryParameters() {
        return query;
    }

    public String header(String name) {
        return headers.getFirst(name);
    }

    public byte[] body() {
        return body;
    }

    /** @return the body as JSON; a missing or malformed body is an ARM 400 */
    public JsonNode json() {
        if (route != null && route.kind() == Route.Kind.ARM) {
            // ARM refuses a body that is not declared as JSON before it reads it.
            String type = header("Content-Type");
            if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
                throw new ArmException(415, "UnsupportedMediaType", "The content media type '" + (type == null ? "" : type)
                        + "' is not supported. Only 'application/json' is supported.");
            }
        }
        if (body.length == 0) {
            throw ArmException.badRequest("InvalidRequestContent", "The request content was invalid and could not be deserialized: 'missing body'.");
        }
        try {
            return Json.MAPPER.readTree(body);
        } catch (Exception e) {
            throw ArmException.badRequest("InvalidRequestContent",
                    "The request content was invalid and could not be deserialized: '" + e.getMessage() + "'.");
        }
    }

    /** @return the body as an application/x-www-form-urlencoded form */
    public Map<String, String> form() {
        Map<String, String> form = new LinkedHashMap<>();
        parseQuery(new String(body, StandardCharsets.UTF_8)).forEach((k, v) -> form.put(k, v.get(0)));
        return form;
    }

    /** @return the base URL clients reach the emulator at, e.g. {@code https://127.0.0.1:8443} */
    public String baseUrl() {
        return baseUrl;
    }

    public String requestId() {
        return requestId;
    }

    public String group(String name) {
        return match.group(name);
    }

    void matched(Route route, Matcher match) {
        this.route = route;
        this.match = match;
    }

    void faults(Faults.Decision decision) {
        this.faults = decision;
    }

    /** @return the faults decided for this request (handlers use the async tag-write mode) */
    public Faults.Decision faults() {
        return faults;
    }

    public Route route() {
        return route;
    }

    /** Records who made the call (object id), for the request log. */
    public void principal(String principal) {
        this.principal = principal;
    }

    public String principal() {
        return principal;
    }

    /** Adds a header to whatever response this request ends with (success or error), e.g. rate-limit counters. */
    public void responseHeader(String name, String value) {
        responseHeaders.put(name, value);
    }

    Map<String, String> responseHeaders() {
        return responseHeaders;
    }
}

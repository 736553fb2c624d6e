package dev.canopy.emulator.control;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.canopy.emulator.faults.FaultRule;
import dev.canopy.emulator.faults.Faults;
import dev.canopy.emulator.limits.LimitSettings;
import dev.canopy.emulator.limits.RateLimiter;
import dev.canopy.emulator.server.ArmException;
import dev.canopy.emulator.server.Json;
import dev.canopy.emulator.server.Request;
import dev.canopy.emulator.server.RequestLog;
import dev.canopy.emulator.server.Response;
import dev.canopy.emulator.server.Route;
import dev.canopy.emulator.world.Application;
import dev.canopy.emulator.world.Resource;
import dev.canopy.emulator.world.World;
import dev.canopy.emulator.world.WorldFiles;
import dev.canopy.events.azure.ArmResourceId;
import dev.canopy.events.azure.AzureTagRules;
import dev.canopy.events.azure.TagViolation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The emulator's own endpoints, under {@value #PREFIX} (clearly not Azure; no token needed): reset, load or read
 * the world, change a resource or its tags as a person in the portal would, delete a resource, read the request
 * log, set limits and faults, advance the clock, add a reply URL, mint platform tokens.
 */
public final class ControlApi {

    public static final String PREFIX = "/_emulator";

    private final World world;
    private final RequestLog log;
    private final RateLimiter limiter;
    private final Faults faults;
    private final Runnable reset;
    private final Consumer<byte[]> load;
    private final PlatformTokenMinter minter;

    /** Mints platform tokens for the local stack's scripts. */
    @FunctionalInterface
    public interface PlatformTokenMinter {
        String mint(String username, List<String> roles);
    }

    public ControlApi(World world, RequestLog log, RateLimiter limiter, Faults faults, Runnable reset,
                      Consumer<byte[]> load, PlatformTokenMinter minter) {
        this.world = world;
        this.log = log;
        this.limiter = limiter;
        this.faults = faults;
        this.reset = reset;
        this.load = load;
        this.minter = minter;
    }

    public List<Route> routes() {
        Route.Kind k = Route.Kind.CONTROL;
        return List.of(
                Route.of("control.health", "GET", PREFIX + "/health", k, r -> Response.json(200, Json.object().put("status", "UP"))),
                Route.of("control.reset", "POST", PREFIX + "/reset", k, r -> {
                    reset.run();
                    return Response.empty(204);
                }),
                Route.of("control.world.get", "GET", PREFIX + "/world", k, r -> Response.json(200, Json.MAPPER.valueToTree(world.snapshot()))),
                Route.of("control.world.put", "PUT", PREFIX + "/world", k, r -> {
                    load.accept(r.body());
                    return Response.empty(204);
                }),
                Route.of("control.resources.put", "PUT", PREFIX + "/resources", k, this::putResource),
                Route.of("control.resources.delete", "DELETE", PREFIX + "/resources", k, this::deleteResource),
                Route.of("control.tags.put", "PUT", PREFIX + "/tags", k, this::putTags),
                Route.of("control.requests.get", "GET", PREFIX + "/requests", k, this::requests),
                Route.of("control.requests.delete", "DELETE", PREFIX + "/requests", k, r -> {
                    log.clear();
                    return Response.empty(204);
                }),
                Route.of("control.limits.get", "GET", PREFIX + "/limits", k, r -> Response.json(200, Json.MAPPER.valueToTree(limiter.settings()))),
                Route.of("control.limits.put", "PUT", PREFIX + "/limits", k, r -> {
                    limiter.configure(read(r, new TypeReference<LimitSettings>() { }));
                    return Response.empty(204);
                }),
                Route.of("control.faults.get", "GET", PREFIX + "/faults", k, r -> Response.json(200, Json.MAPPER.valueToTree(faults.rules()))),
                Route.of("control.faults.put", "PUT", PREFIX + "/faults", k, r -> {
                    List<FaultRule> rules = read(r, new TypeReference<List<FaultRule>>() { });
                    faults.clear();
                    rules.forEach(faults::add);
                    return Response.empty(204);
                }),
                Route.of("control.faults.delete", "DELETE", PREFIX + "/faults", k, r -> {
                    faults.clear();
                    return Response.empty(204);
                }),
                Route.of("control.clock.advance", "POST", PREFIX + "/clock/advance", k, r -> {
                    world.clock().advance(Duration.ofSeconds(Long.parseLong(r.query("seconds"))));
                    return Response.empty(204);
                }),
                Route.of("control.redirect-uris.post", "POST", PREFIX + "/applications/(?<app>[^/]+)/redirect-uris", k, this::addRedirectUri),
                Route.of("control.tokens.platform", "POST", PREFIX + "/tokens/platform", k, this::platformToken));
    }

    private static <T> T read(Request r, TypeReference<T> type) {
        try {
            return Json.MAPPER.readValue(r.body(), type);
        } catch (Exception e) {
            throw ArmException.badRequest("InvalidRequestContent", "Cannot read the body: " + e.getMessage());
        }
    }

    private Response putResource(Request r) {
        Resource resource = read(r, new TypeReference<Resource>() { });
        Resource old = world.resource(resource.id()).orElse(null);
        Resource stored = new Resource(resource.id(), resource.location(), resource.tags(), resource.kind(), resource.sku(),
                resource.plan(), resource.managedBy(),
                old != null ? old.createdTime() : world.clock().instant(), world.clock().instant());
        validate(stored.armId().resourceType(), stored.tags());
        world.putResource(stored);
        return Response.json(old == null ? 201 : 200, Json.MAPPER.valueToTree(stored));
    }

    private Response deleteResource(Request r) {
        String id = required(r, "id");
        return world.deleteResource(id) ? Response.empty(204)
                : ArmException.notFound("ResourceNotFound", "No resource " + id).toResponse();
    }

    /** Sets the whole tag set of a subscription, group or resource, as the portal's tag editor does. */
    private Response putTags(Request r) {
        ArmResourceId scope = ArmResourceId.parse(required(r, "scope"));
        JsonNode tags = r.json().path("tags");
        Map<String, String> next = new LinkedHashMap<>();
        tags.fields().forEachRemaining(e -> next.put(e.getKey(), e.getValue().asText()));
        String type = scope.scopeKind() == ArmResourceId.ScopeKind.RESOURCE
                ? world.resource(scope.displayId()).map(Resource::type).orElse(scope.resourceType()) : scope.resourceType();
        validate(type, next);
        return world.updateTags(scope, old -> next).map(t -> Response.json(200, Json.object().set("tags", Json.tags(t))))
                .orElseGet(() -> ArmException.notFound("ResourceNotFound", "No scope " + scope).toResponse());
    }

    private static void validate(String type, Map<String, String> tags) {
        List<TagViolation> violations = AzureTagRules.validate(type, tags);
        if (!violations.isEmpty()) {
            throw ArmException.badRequest(violations.get(0).azureErrorCode(),
                    violations.stream().map(TagViolation::message).collect(Collectors.joining("; ")));
        }
    }

    private Response requests(Request r) {
        ArrayNode list = Json.array();
        for (RequestLog.Entry e : log.entries()) {
            ObjectNode n = list.addObject();
            n.put("time", e.time().toString());
            n.put("received", e.received().toString());
            n.put("method", e.method());
            n.put("path", e.target());
            n.put("route", e.route());
            n.put("principal", e.principal());
            n.put("status", e.status());
            n.put("requestId", e.requestId());
        }
        return Response.json(200, list);
    }

    private Response addRedirectUri(Request r) {
        Application app = world.application(r.group("app")).orElseThrow(() ->
                ArmException.notFound("NotFound", "No application " + r.group("app")));
        String uri = r.json().path("redirectUri").asText();
        List<String> uris = new ArrayList<>(app.redirectUris());
        if (!uris.contains(uri)) {
            uris.add(uri);
        }
        world.putApplication(new Application(app.appId(), app.displayName(), app.homeTenantId(), app.secrets(), uris));
        return Response.empty(204);
    }

    private Response platformToken(Request r) {
        JsonNode body = r.json();
        List<String> roles = new ArrayList<>();
        body.path("roles").forEach(n -> roles.add(n.asText()));
        String username = body.path("username").asText();
        // Without roles the token carries the platform user's own, so there must be such a user: a caller's mistake,
        // answered 404 as ARM answers a missing resource.
        if (roles.isEmpty() && world.platformUser(username).isEmpty()) {
            throw ArmException.notFound("UnknownPlatformUser", "No platform user '" + username
                    + "' in the world (its users: " + world.platformUsernames()
                    + "); give roles to mint a token for anyone else.");
        }
        String token = minter.mint(username, roles.isEmpty() ? null : roles);
        return Response.json(200, Json.object().put("access_token", token).put("token_type", "Bearer"));
    }

    private static String required(Request r, String name) {
        String value = r.query(name);
        if (value == null || value.isBlank()) {
            throw ArmException.badRequest("MissingParameter", "Query parameter '" + name + "' is required.");
        }
        return value;
    }
}

package dev.canopy.emulator.arm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.canopy.emulator.entra.Caller;
import dev.canopy.emulator.faults.FaultRule;
import dev.canopy.emulator.limits.RateLimiter;
import dev.canopy.emulator.server.ArmException;
import dev.canopy.emulator.server.Json;
import dev.canopy.emulator.server.Request;
import dev.canopy.emulator.server.Response;
import dev.canopy.emulator.server.Route;
import dev.canopy.emulator.world.Resource;
import dev.canopy.events.azure.ArmResourceId;
import dev.canopy.events.azure.AzureTagRules;
import dev.canopy.events.azure.TagOperation;
import dev.canopy.events.azure.TagSetOperations;
import dev.canopy.events.azure.TagViolation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The Tags API at a scope ({@code /{scope}/providers/Microsoft.Resources/tags/default}) for subscriptions, resource
 * groups and resources: GET, PUT (replace the set), PATCH (Merge / Replace / Delete), DELETE. Tag semantics and
 * limits come from {@code events} ({@link TagSetOperations}, {@link AzureTagRules}). Under the async fault mode a
 * write answers 202 + {@code Location}, whose operation result then succeeds or fails.
 */
public final class TagsApi {

    private static final String SUFFIX = "/providers/Microsoft\\.Resources/tags/default";

    private final ArmGate gate;
    // Operation id -> final body (null = the operation failed).
    private final Map<String, Outcome> operations = new ConcurrentHashMap<>();

    private record Outcome(String subscriptionId, ObjectNode body) {
    }

    public TagsApi(ArmGate gate) {
        this.gate = gate;
    }

    public List<Route> routes() {
        Route.Kind k = Route.Kind.ARM;
        String path = "/(?<scope>subscriptions/.+)" + SUFFIX;
        return List.of(
                Route.of("arm.tags.get", "GET", path, k, this::get),
                Route.of("arm.tags.put", "PUT", path, k, this::put),
                Route.of("arm.tags.patch", "PATCH", path, k, this::patch),
                Route.of("arm.tags.delete", "DELETE", path, k, this::delete),
                Route.of("arm.operationresults.get", "GET", "/subscriptions/(?<sub>[^/]+)/operationresults/(?<op>[^/]+)", k,
                        this::operationResult));
    }

    /** The scope of a tags call, resolved to a stored entity. */
    private record Target(ArmResourceId scope, String canonicalId, String resourceType, Caller caller) {
    }

    private Target target(Request r, RateLimiter.Kind kind, String action) {
        ApiVersions.RESOURCES.require(r);
        ArmResourceId scope;
        try {
            scope = ArmResourceId.parse("/" + r.group("scope"));
        } catch (IllegalArgumentException e) {
            throw ArmException.badRequest("InvalidScope", "The scope '/" + r.group("scope") + "' is not valid for tags: " + e.getMessage());
        }
        Caller caller = gate.authenticate(r);
        gate.enter(r, scope.subscriptionId(), kind, caller);
        gate.require(caller, scope.displayId(), action);
        String canonical = gate.world().canonicalId(scope).orElseThrow(() -> notFound(scope));
        String type = scope.scopeKind() == ArmResourceId.ScopeKind.RESOURCE
                ? gate.world().resource(scope.displayId()).map(Resource::type).orElse(scope.resourceType())
                : scope.resourceType();
        return new Target(scope, canonical, type, caller);
    }

    private static ArmException notFound(ArmResourceId scope) {
        return switch (scope.scopeKind()) {
            case SUBSCRIPTION -> ArmException.notFound("SubscriptionNotFound", "The subscription '" + scope.subscriptionId() + "' could not be found.");
            case RESOURCE_GROUP -> ArmException.notFound("ResourceGroupNotFound", "Resource group '" + scope.resourceGroup() + "' could not be found.");
            case RESOURCE -> ArmException.notFound("ResourceNotFound", "The Resource '" + scope.resourceType() + "/"
                    + scope.name() + "' under resource group '" + scope.resourceGroup() + "' was not found.");
        };
    }

    private Response get(Request r) {
        Target t = target(r, RateLimiter.Kind.READS, "Microsoft.Resources/tags/read");
        return Response.json(200, body(t.canonicalId(), gate.world().tagsAt(t.scope()).orElseThrow()));
    }

    private Response put(Request r) {
        Target t = target(r, RateLimiter.Kind.WRITES, "Microsoft.Resources/tags/write");
        Map<String, String> tags = requestTags(r.json());
        return write(r, t, current -> TagSetOperations.replace(current, tags));
    }

    private Response patch(Request r) {
        Target t = target(r, RateLimiter.Kind.WRITES, "Microsoft.Resources/tags/write");
        JsonNode body = r.json();
        TagOperation operation;
        try {
            operation = TagOperation.fromArmName(body.path("operation").asText(null));
        } catch (IllegalArgumentException e) {
            throw ArmException.badRequest("InvalidTagOperation", e.getMessage());
        }
        Map<String, String> tags = requestTags(body);
        return write(r, t, current -> operation.apply(current, tags));
    }

    private Response delete(Request r) {
        Target t = target(r, RateLimiter.Kind.DELETES, "Microsoft.Resources/tags/delete");
        gate.world().updateTags(t.scope(), current -> Map.of());
        return Response.empty(200);
    }

    private interface Change {
        Map<String, String> apply(Map<String, String> current);
    }

    private Response write(Request r, Target t, Change change) {
        FaultRule.AsyncTagWrites async = r.faults().asyncTagWrites();
        Map<String, String> current = gate.world().tagsAt(t.scope()).orElseThrow();
        Map<String, String> next = change.apply(current);
        validate(t, next);
        if (async == FaultRule.AsyncTagWrites.FAIL) {
            return accepted(r, t, null);
        }
        // Re-apply under the world's lock so concurrent writers to one scope do not lose each other's changes.
        Map<String, String> stored = gate.world().updateTags(t.scope(), c -> {
            Map<String, String> n = change.apply(c);
            validate(t, n);
            return n;
        }).orElseThrow(() -> notFound(t.scope()));
        ObjectNode result = body(t.canonicalId(), stored);
        return async == FaultRule.AsyncTagWrites.SUCCEED ? accepted(r, t, result) : Response.json(200, result);
    }

    private Response accepted(Request r, Target t, ObjectNode result) {
        String op = gate.world().newId();
        operations.put(op.toLowerCase(), new Outcome(t.scope().subscriptionId(), result));
        return Response.empty(202)
                .header("Location", r.baseUrl() + "/subscriptions/" + t.scope().subscriptionId() + "/operationresults/"
                        + op + "?api-version=2018-08-01")
                .header("Retry-After", "1");
    }

    private Response operationResult(Request r) {
        ApiVersions.OPERATION_RESULTS.require(r);
        Caller caller = gate.authenticate(r);
        gate.enter(r, r.group("sub"), RateLimiter.Kind.READS, caller);
        Outcome outcome = operations.get(r.group("op").toLowerCase());
        if (outcome == null || !outcome.subscriptionId().equalsIgnoreCase(r.group("sub"))) {
            throw ArmException.notFound("OperationNotFound", "The operation '" + r.group("op") + "' could not be found.");
        }
        if (outcome.body() == null) {
            throw new ArmException(500, "InternalServerError", "The tags operation failed. Please retry the operation.");
        }
        return Response.json(200, outcome.body());
    }

    private static void validate(Target t, Map<String, String> tags) {
        List<TagViolation> violations = AzureTagRules.validate(t.resourceType(), tags);
        if (!violations.isEmpty()) {
            throw ArmException.badRequest(violations.get(0).azureErrorCode(),
                    violations.stream().map(TagViolation::message).collect(Collectors.joining("; ")));
        }
    }

    private static Map<String, String> requestTags(JsonNode body) {
        JsonNode tags = body.path("properties").path("tags");
        if (!tags.isObject()) {
            throw ArmException.badRequest("InvalidRequestContent", "The request content was invalid: 'properties.tags' is required.");
        }
        Map<String, String> result = new LinkedHashMap<>();
        tags.fields().forEachRemaining(e -> {
            if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                throw ArmException.badRequest("InvalidTagValue", "The value of tag '" + e.getKey() + "' must be a string.");
            }
            result.put(e.getKey(), e.getValue().asText());
        });
        return result;
    }

    static ObjectNode body(String canonicalId, Map<String, String> tags) {
        ObjectNode node = Json.object();
        node.put("id", canonicalId + "/providers/Microsoft.Resources/tags/default");
        node.put("name", "default");
        node.put("type", "Microsoft.Resources/tags");
        node.putObject("properties").set("tags", Json.tags(tags));
        return node;
    }
}

package dev.canopy.emulator.arm;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.canopy.emulator.entra.Caller;
import dev.canopy.emulator.limits.RateLimiter;
import dev.canopy.emulator.server.ArmException;
import dev.canopy.emulator.server.Json;
import dev.canopy.emulator.server.Request;
import dev.canopy.emulator.server.Response;
import dev.canopy.emulator.server.Route;
import dev.canopy.emulator.world.Resource;
import dev.canopy.emulator.world.ResourceGroup;
import dev.canopy.emulator.world.RoleAssignment;
import dev.canopy.emulator.world.Subscription;

import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * ResourceGroups_List/Get and Resources_List (subscription and resource-group scope) with {@code $filter},
 * {@code $expand}, {@code $top} and {@code nextLink} paging; a caller sees only what its roles let it read.
 */
public final class ResourcesApi {

    static final String RG_READ = "Microsoft.Resources/subscriptions/resourceGroups/read";
    static final String RESOURCES_READ = "Microsoft.Resources/subscriptions/resources/read";
    private static final int MAX_TOP = 1000;

    private final ArmGate gate;
    private final int pageSize;

    public ResourcesApi(ArmGate gate, int pageSize) {
        this.gate = gate;
        this.pageSize = pageSize;
    }

    public List<Route> routes() {
        Route.Kind k = Route.Kind.ARM;
        return List.of(
                Route.of("arm.resourcegroups.list", "GET", "/subscriptions/(?<sub>[^/]+)/resourcegroups", k, this::listGroups),
                Route.of("arm.resourcegroups.get", "GET", "/subscriptions/(?<sub>[^/]+)/resourcegroups/(?<rg>[^/]+)", k, this::getGroup),
                Route.of("arm.resources.list", "GET", "/subscriptions/(?<sub>[^/]+)/resources", k, r -> listResources(r, null)),
                Route.of("arm.resources.list-by-group", "GET", "/subscriptions/(?<sub>[^/]+)/resourcegroups/(?<rg>[^/]+)/resources", k,
                        r -> listResources(r, r.group("rg"))));
    }

    private Response listGroups(Request r) {
        ApiVersions.RESOURCES.require(r);
        Caller caller = gate.authenticate(r);
        Subscription s = gate.enter(r, r.group("sub"), RateLimiter.Kind.READS, caller);
        List<RoleAssignment> mine = gate.rbac().assignmentsOf(caller);
        boolean all = gate.rbac().allowed(mine, s.id(), RG_READ);
        ResourceFilter filter = ResourceFilter.parse(r.query("$filter"));
        List<ResourceGroup> groups = gate.world().resourceGroups(s.subscriptionId()).stream()
                .filter(rg -> all || gate.rbac().allowed(mine, rg.id(), RG_READ))
                .filter(rg -> filter == null || filter.test(rg)).toList();
        if (!all && groups.isEmpty()) {
            throw ArmGate.forbidden(caller, s.id(), RG_READ);
        }
        Paging.Page<ResourceGroup> page = Paging.page(r, groups, ResourceGroup::id, pageSize, MAX_TOP);
        return list(page, page.items().stream().map(ResourcesApi::render).toList());
    }

    private Response getGroup(Request r) {
        ApiVersions.RESOURCES.require(r);
        Caller caller = gate.authenticate(r);
        Subscription s = gate.enter(r, r.group("sub"), RateLimiter.Kind.READS, caller);
        String id = s.id() + "/resourceGroups/" + r.group("rg");
        gate.require(caller, id, RG_READ);
        ResourceGroup rg = gate.world().resourceGroup(s.subscriptionId(), r.group("rg")).orElseThrow(() ->
                ArmException.notFound("ResourceGroupNotFound", "Resource group '" + r.group("rg") + "' could not be found."));
        return Response.json(200, render(rg));
    }

    private Response listResources(Request r, String resourceGroup) {
        ApiVersions.RESOURCES.require(r);
        Caller caller = gate.authenticate(r);
        Subscription s = gate.enter(r, r.group("sub"), RateLimiter.Kind.READS, caller);
        String scope = resourceGroup == null ? s.id() : s.id() + "/resourceGroups/" + resourceGroup;
        if (resourceGroup != null && gate.world().resourceGroup(s.subscriptionId(), resourceGroup).isEmpty()) {
            throw ArmException.notFound("ResourceGroupNotFound", "Resource group '" + resourceGroup + "' could not be found.");
        }
        List<RoleAssignment> mine = gate.rbac().assignmentsOf(caller);
        boolean all = gate.rbac().allowed(mine, scope, RESOURCES_READ);
        ResourceFilter filter = ResourceFilter.parse(r.query("$filter"));
        Set<String> expand = Arrays.stream(String.valueOf(r.query("$expand")).split(","))
                .map(e -> e.trim().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        List<Resource> visible = gate.world().resources(s.subscriptionId()).stream()
                .filter(res -> resourceGroup == null || res.armId().resourceGroup().equalsIgnoreCase(resourceGroup))
                .filter(res -> all || gate.rbac().allowed(mine, res.id(), RESOURCES_READ)
                        || gate.rbac().allowed(mine, res.id(), res.type() + "/read"))
                .filter(res -> filter == null || filter.test(res)).toList();
        if (!all && visible.isEmpty() && !gate.rbac().anyAccess(caller, s.subscriptionId())) {
            throw ArmGate.forbidden(caller, scope, RESOURCES_READ);
        }
        Paging.Page<Resource> page = Paging.page(r, visible, Resource::id, pageSize, MAX_TOP);
        boolean withTags = filter == null || !filter.filtersTags();
        return list(page, page.items().stream().map(res -> render(res, expand, withTags)).toList());
    }

    private static Response list(Paging.Page<?> page, List<ObjectNode> items) {
        ObjectNode body = Json.object();
        ArrayNode value = body.putArray("value");
        items.forEach(value::add);
        if (page.nextLink() != null) {
            body.put("nextLink", page.nextLink());
        }
        return Response.json(200, body);
    }

    static ObjectNode render(ResourceGroup rg) {
        ObjectNode node = Json.object();
        node.put("id", rg.id());
        node.put("name", rg.name());
        node.put("type", "Microsoft.Resources/resourceGroups");
        node.put("location", rg.location());
        if (rg.managedBy() != null) {
            node.put("managedBy", rg.managedBy());
        }
        // Absent when the group never had tags, {} once emptied (recorded traffic).
        if (rg.tags() != null) {
            node.set("tags", Json.tags(rg.tags()));
        }
        node.putObject("properties").put("provisioningState", rg.provisioningState());
        return node;
    }

    static ObjectNode render(Resource res, Set<String> expand, boolean withTags) {
        ObjectNode node = Json.object();
        node.put("id", res.id());
        node.put("name", res.name());
        node.put("type", res.type());
        if (res.sku() != null) {
            node.set("sku", res.sku());
        }
        if (res.kind() != null) {
            node.put("kind", res.kind());
        }
        if (res.managedBy() != null) {
            node.put("managedBy", res.managedBy());
        }
        node.put("location", res.location());
        if (res.plan() != null) {
            node.set("plan", res.plan());
        }
        if (withTags) {
            node.set("tags", Json.tags(res.tags()));
        }
        if (expand.contains("createdtime") && res.createdTime() != null) {
            node.put("createdTime", DateTimeFormatter.ISO_INSTANT.format(res.createdTime()));
        }
        if (expand.contains("changedtime") && res.changedTime() != null) {
            node.put("changedTime", DateTimeFormatter.ISO_INSTANT.format(res.changedTime()));
        }
        if (expand.contains("provisioningstate")) {
            node.put("provisioningState", "Succeeded");
        }
        return node;
    }
}

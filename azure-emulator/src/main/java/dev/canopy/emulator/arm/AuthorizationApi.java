package dev.canopy.emulator.arm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.canopy.emulator.entra.Caller;
import dev.canopy.emulator.limits.RateLimiter;
import dev.canopy.emulator.server.ArmException;
import dev.canopy.emulator.server.Json;
import dev.canopy.emulator.server.Request;
import dev.canopy.emulator.server.Response;
import dev.canopy.emulator.server.Route;
import dev.canopy.emulator.world.RoleAssignment;
import dev.canopy.events.azure.ArmResourceId;

import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Microsoft.Authorization: role assignments (list with {@code atScope()}, {@code assignedTo('id')},
 * {@code principalId eq 'id'}, {@code roleDefinitionId eq 'id'}; get; create with Azure's rules; delete) and the
 * built-in role definitions.
 */
public final class AuthorizationApi {

    private static final String SCOPE = "(?<scope>(/subscriptions/[^/]+(/.*)?)?)";
    private static final Pattern GUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern ASSIGNED_TO = Pattern.compile("(?i)assignedTo\\(\\s*'([^']*)'\\s*\\)");
    private static final Pattern PRINCIPAL_EQ = Pattern.compile("(?i)principalId\\s+eq\\s+'([^']*)'");
    private static final Pattern ROLE_EQ = Pattern.compile("(?i)roleDefinitionId\\s+eq\\s+'([^']*)'");
    private static final Pattern ROLE_NAME_EQ = Pattern.compile("(?i)roleName\\s+eq\\s+'([^']*)'");
    private static final Set<String> PRINCIPAL_TYPES = Set.of("User", "Group", "ServicePrincipal", "ForeignGroup", "Device");

    private final ArmGate gate;
    private final int pageSize;

    public AuthorizationApi(ArmGate gate, int pageSize) {
        this.gate = gate;
        this.pageSize = pageSize;
    }

    public List<Route> routes() {
        Route.Kind k = Route.Kind.ARM;
        String assignments = SCOPE + "/providers/Microsoft\\.Authorization/roleAssignments";
        String definitions = SCOPE + "/providers/Microsoft\\.Authorization/roleDefinitions";
        return List.of(
                Route.of("arm.roleassignments.list", "GET", assignments, k, this::list),
                Route.of("arm.roleassignments.get", "GET", assignments + "/(?<name>[^/]+)", k, this::get),
                Route.of("arm.roleassignments.create", "PUT", assignments + "/(?<name>[^/]+)", k, this::create),
                Route.of("arm.roleassignments.delete", "DELETE", assignments + "/(?<name>[^/]+)", k, this::delete),
                Route.of("arm.roledefinitions.list", "GET", definitions, k, this::listDefinitions),
                Route.of("arm.roledefinitions.get", "GET", definitions + "/(?<id>[^/]+)", k, this::getDefinition));
    }

    /** Authenticates, checks the scope's subscription and throttles; returns the scope ("" = tenant level). */
    private String enter(Request r, Caller caller, RateLimiter.Kind kind) {
        String scope = r.group("scope");
        if (scope.isEmpty()) {
            gate.limiter().armCall(r, caller.tenantId(), true, caller.objectId(), kind);
            return "";
        }
        ArmResourceId id;
        try {
            id = ArmResourceId.parse(scope);
        } catch (IllegalArgumentException e) {
            throw ArmException.badRequest("InvalidScope", "The scope '" + scope + "' is not valid.");
        }
        gate.enter(r, id.subscriptionId(), kind, caller);
        return gate.world().canonicalId(id).orElseThrow(() -> ArmException.notFound(
                id.scopeKind() == ArmResourceId.ScopeKind.RESOURCE_GROUP ? "ResourceGroupNotFound" : "ResourceNotFound",
                "The scope '" + scope + "' does not exist."));
    }

    private Response list(Request r) {
        ApiVersions.AUTHORIZATION.require(r);
        Caller caller = gate.authenticate(r);
        String scope = enter(r, caller, RateLimiter.Kind.READS);
        String target = scope.isEmpty() ? "/" : scope;
        if (!scope.isEmpty()) {
            gate.require(caller, target, "Microsoft.Authorization/roleAssignments/read");
        }
        String filter = r.query("$filter");
        Predicate<RoleAssignment> p = a -> Rbac.covers(a.scope(), target) || Rbac.covers(target, a.scope());
        if (filter != null && !filter.isBlank()) {
            p = withFilter(filter, target, p, caller);
        }
        if (scope.isEmpty()) {
            // The provider-level list spans the caller's tenant only, and only assignments it may read: the world
            // holds every tenant's assignments, and Azure never shows one tenant's RBAC to another.
            List<RoleAssignment> mine = gate.rbac().assignmentsOf(caller);
            p = p.and(a -> inTenant(a, caller.tenantId())
                    && gate.rbac().allowed(mine, a.scope(), "Microsoft.Authorization/roleAssignments/read"));
        }
        List<RoleAssignment> matching = gate.world().roleAssignments().stream().filter(p)
                .sorted(java.util.Comparator.comparing(a -> a.id().toLowerCase(Locale.ROOT))).toList();
        Paging.Page<RoleAssignment> page = Paging.page(r, matching, RoleAssignment::id, pageSize, pageSize);
        ObjectNode body = Json.object();
        ArrayNode value = body.putArray("value");
        page.items().forEach(a -> value.add(render(a)));
        if (page.nextLink() != null) {
            body.put("nextLink", page.nextLink());
        }
        return Response.json(200, body);
    }

    /** @return whether the assignment belongs to the tenant: its scope is in one of the tenant's subscriptions */
    private boolean inTenant(RoleAssignment a, String tenantId) {
        if (a.scope().equals("/")) {
            return gate.world().principalExists(tenantId, a.principalId());
        }
        try {
            return gate.world().subscription(ArmResourceId.parse(a.scope()).subscriptionId())
                    .map(s -> s.tenantId().equalsIgnoreCase(tenantId)).orElse(false);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private Predicate<RoleAssignment> withFilter(String filter, String target, Predicate<RoleAssignment> base, Caller caller) {
        Predicate<RoleAssignment> p = base;
        String rest = filter;
        boolean atScope = filter.toLowerCase(Locale.ROOT).contains("atscope()");
        rest = rest.replaceAll("(?i)atScope\\(\\)", "");
        if (atScope) {
            p = a -> Rbac.covers(a.scope(), target);
        }
        Matcher m;
        if ((m = ASSIGNED_TO.matcher(filter)).find()) {
            String principal = m.group(1);
            if (gate.world().isGroup(principal)) {
                throw ArmException.badRequest("UnsupportedQuery", "The assignedTo filter does not accept group ids.");
            }
            Set<String> principals = gate.world().principalAndGroups(principal);
            p = p.and(a -> principals.contains(a.principalId().toLowerCase(Locale.ROOT)));
            rest = ASSIGNED_TO.matcher(rest).replaceAll("");
        }
        if ((m = PRINCIPAL_EQ.matcher(filter)).find()) {
            String principal = m.group(1);
            p = p.and(a -> a.principalId().equalsIgnoreCase(principal));
            rest = PRINCIPAL_EQ.matcher(rest).replaceAll("");
        }
        if ((m = ROLE_EQ.matcher(filter)).find()) {
            String role = Rbac.guid(m.group(1));
            p = p.and(a -> a.roleDefinitionId().equalsIgnoreCase(role));
            rest = ROLE_EQ.matcher(rest).replaceAll("");
        }
        if (!rest.replaceAll("(?i)\\band\\b", "").isBlank()) {
            throw ArmException.badRequest("UnsupportedQuery", "The filter '" + filter + "' is not supported. Supported "
                    + "filters are either 'atScope()', 'assignedTo('{value}')', 'principalId eq '{value}'' or "
                    + "'roleDefinitionId eq '{value}''.");
        }
        return p;
    }

    private Response get(Request r) {
        ApiVersions.AUTHORIZATION.require(r);
        Caller caller = gate.authenticate(r);
        String scope = enter(r, caller, RateLimiter.Kind.READS);
        gate.require(caller, scope.isEmpty() ? "/" : scope, "Microsoft.Authorization/roleAssignments/read");
        RoleAssignment a = find(scope, r.group("name")).orElseThrow(() -> ArmException.notFound("RoleAssignmentNotFound",
                "The role assignment '" + r.group("name") + "' is not found."));
        return Response.json(200, render(a));
    }

    private Optional<RoleAssignment> find(String scope, String name) {
        String id = (scope.isEmpty() ? "" : scope) + "/providers/Microsoft.Authorization/roleAssignments/" + name;
        return gate.world().roleAssignments().stream().filter(a -> a.id().equalsIgnoreCase(id)).findFirst();
    }

    private Response create(Request r) {
        ApiVersions.AUTHORIZATION.require(r);
        Caller caller = gate.authenticate(r);
        String scope = enter(r, caller, RateLimiter.Kind.WRITES);
        String name = r.group("name");
        if (!GUID.matcher(name).matches()) {
            throw ArmException.badRequest("InvalidRoleAssignmentId", "The role assignment ID '" + name
                    + "' is not valid. The role assignment ID must be a GUID.");
        }
        gate.require(caller, scope.isEmpty() ? "/" : scope, "Microsoft.Authorization/roleAssignments/write");
        JsonNode props = r.json().path("properties");
        String roleDefinitionId = props.path("roleDefinitionId").asText("");
        String principalId = props.path("principalId").asText("");
        boolean typeGiven = props.hasNonNull("principalType");
        String principalType = props.path("principalType").asText("User");
        if (roleDefinitionId.isEmpty() || principalId.isEmpty()) {
            throw ArmException.badRequest("InvalidRequestContent", "The request content was invalid: 'properties.roleDefinitionId' and 'properties.principalId' are required.");
        }
        if (!PRINCIPAL_TYPES.contains(principalType)) {
            throw ArmException.badRequest("InvalidPrincipalType", "The principal type '" + principalType + "' is not valid.");
        }
        String role = Rbac.guid(roleDefinitionId);
        if (!gate.rbac().roleExists(role)) {
            throw ArmException.badRequest("RoleDefinitionDoesNotExist", "The specified role definition with ID '" + role + "' does not exist.");
        }
        // Right after consent the new service principal may not have replicated yet; Azure skips the directory
        // lookup when the caller declares principalType=ServicePrincipal.
        if ((!"ServicePrincipal".equals(principalType) && !gate.world().principalExists(caller.tenantId(), principalId))
                || gate.world().consumeReplicationDelay(principalId)) {
            throw ArmException.badRequest("PrincipalNotFound", "Principal " + principalId.replace("-", "")
                    + " does not exist in the directory " + caller.tenantId() + ". Check that you have the correct "
                    + "principal ID. If you are creating this principal and then immediately assigning a role, this "
                    + "error might be related to a replication delay. In this case, set the role assignment "
                    + "principalType property to a value, such as ServicePrincipal, User, or Group.  See "
                    + "https://aka.ms/docs-principaltype");
        }
        // A principal the directory knows must be declared with its real type; an omitted type is looked up.
        // The message keeps Azure's own spelling ("PrinciaplType"), as recorded in real deployment errors.
        Optional<String> actualType = gate.world().principalType(caller.tenantId(), principalId);
        if (actualType.isPresent() && !actualType.get().equals(principalType)) {
            if (typeGiven) {
                throw ArmException.badRequest("UnmatchedPrincipalType", "The PrincipalId '" + principalId + "' has type '"
                        + actualType.get() + "' , which is different from specified PrinciaplType '" + principalType + "'.");
            }
            principalType = actualType.get();
        }
        String target = scope.isEmpty() ? "/" : scope;
        Optional<RoleAssignment> existing = find(scope, name);
        if (existing.isPresent()) {
            RoleAssignment a = existing.get();
            if (!a.principalId().equalsIgnoreCase(principalId) || !a.roleDefinitionId().equalsIgnoreCase(role)) {
                throw new ArmException(409, "RoleAssignmentUpdateNotPermitted",
                        "Tenant ID, application ID, principal ID, and scope are not allowed to be updated.");
            }
            return Response.json(200, render(a));
        }
        Optional<RoleAssignment> duplicate = gate.world().roleAssignments().stream()
                .filter(a -> a.scope().equalsIgnoreCase(target) && a.principalId().equalsIgnoreCase(principalId)
                        && a.roleDefinitionId().equalsIgnoreCase(role)).findFirst();
        if (duplicate.isPresent()) {
            throw new ArmException(409, "RoleAssignmentExists", "The role assignment already exists. The ID of the "
                    + "existing role assignment is " + duplicate.get().name().replace("-", "") + ".");
        }
        RoleAssignment created = new RoleAssignment(name.toLowerCase(Locale.ROOT), target, role, principalId,
                principalType, props.path("description").asText(null), gate.world().clock().instant(), caller.objectId());
        gate.world().putRoleAssignment(created);
        return Response.json(201, render(created));
    }

    private Response delete(Request r) {
        ApiVersions.AUTHORIZATION.require(r);
        Caller caller = gate.authenticate(r);
        String scope = enter(r, caller, RateLimiter.Kind.DELETES);
        gate.require(caller, scope.isEmpty() ? "/" : scope, "Microsoft.Authorization/roleAssignments/delete");
        Optional<RoleAssignment> existing = find(scope, r.group("name"));
        if (existing.isEmpty()) {
            return Response.empty(204);
        }
        gate.world().deleteRoleAssignment(existing.get().id());
        return Response.json(200, render(existing.get()));
    }

    private Response listDefinitions(Request r) {
        ApiVersions.AUTHORIZATION.require(r);
        Caller caller = gate.authenticate(r);
        String scope = enter(r, caller, RateLimiter.Kind.READS);
        String filter = r.query("$filter");
        String roleName = null;
        if (filter != null && !filter.isBlank()) {
            Matcher m = ROLE_NAME_EQ.matcher(filter);
            if (!m.find()) {
                throw ArmException.badRequest("UnsupportedQuery", "The filter '" + filter + "' is not supported.");
            }
            roleName = m.group(1);
        }
        ObjectNode body = Json.object();
        ArrayNode value = body.putArray("value");
        List<String> ids = new ArrayList<>(gate.rbac().roleIds());
        for (String id : ids) {
            String name = gate.rbac().roleName(id).orElse("");
            if (roleName == null || roleName.equalsIgnoreCase(name)) {
                value.add(gate.rbac().definition(id, scope).orElseThrow());
            }
        }
        return Response.json(200, body);
    }

    private Response getDefinition(Request r) {
        ApiVersions.AUTHORIZATION.require(r);
        Caller caller = gate.authenticate(r);
        String scope = enter(r, caller, RateLimiter.Kind.READS);
        return gate.rbac().definition(r.group("id"), scope).map(d -> Response.json(200, d))
                .orElseThrow(() -> ArmException.notFound("RoleDefinitionDoesNotExist",
                        "The specified role definition with ID '" + r.group("id") + "' does not exist."));
    }

    static ObjectNode render(RoleAssignment a) {
        ObjectNode node = Json.object();
        ObjectNode props = node.putObject("properties");
        // The spec examples return the tenant-level definition id, whatever scope the request used.
        props.put("roleDefinitionId", "/providers/Microsoft.Authorization/roleDefinitions/" + a.roleDefinitionId());
        props.put("principalId", a.principalId());
        props.put("principalType", a.principalType());
        props.put("scope", a.scope());
        props.putNull("condition");
        props.putNull("conditionVersion");
        String created = a.createdOn() == null ? null : DateTimeFormatter.ISO_INSTANT.format(a.createdOn());
        props.put("createdOn", created);
        props.put("updatedOn", created);
        props.put("createdBy", a.createdBy());
        props.put("updatedBy", a.createdBy());
        props.putNull("delegatedManagedIdentityResourceId");
        props.put("description", a.description());
        node.put("id", a.id());
        node.put("type", "Microsoft.Authorization/roleAssignments");
        node.put("name", a.name());
        return node;
    }
}

package dev.canopy.emulator.arm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.canopy.emulator.entra.Caller;
import dev.canopy.emulator.server.Json;
import dev.canopy.emulator.world.RoleAssignment;
import dev.canopy.emulator.world.World;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Azure RBAC: the built-in role definitions (from the azure-docs JSON copied into this module) and the decision
 * whether a principal (directly or through its groups) may perform an action at a scope.
 */
public final class Rbac {

    public static final String OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
    public static final String READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
    public static final String TAG_CONTRIBUTOR = "4a9ae827-6dc8-4573-8ac7-8239d42aa03f";
    public static final String COST_MANAGEMENT_READER = "72fafb9e-0641-4937-9268-a91bfd8191a3";
    public static final String USER_ACCESS_ADMINISTRATOR = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9";
    public static final String RBAC_ADMINISTRATOR = "f58310d9-a9f6-439a-9e8d-f62e7b41a168";

    private static final List<String> BUILT_IN_FILES = List.of("Owner", "Reader", "TagContributor",
            "CostManagementReader", "UserAccessAdministrator", "RoleBasedAccessControlAdministrator");

    /** One role's permissions, compiled. */
    private record Role(String id, JsonNode definition, List<Pattern> actions, List<Pattern> notActions) {
        boolean permits(String action) {
            return actions.stream().anyMatch(p -> p.matcher(action).matches())
                    && notActions.stream().noneMatch(p -> p.matcher(action).matches());
        }
    }

    private final World world;
    private final Map<String, Role> roles = new LinkedHashMap<>();

    public Rbac(World world) {
        this.world = world;
        for (String file : BUILT_IN_FILES) {
            JsonNode definition = load("/azure-samples/built-in-roles/" + file + ".json");
            List<Pattern> actions = new ArrayList<>();
            List<Pattern> notActions = new ArrayList<>();
            definition.path("permissions").forEach(p -> {
                p.path("actions").forEach(a -> actions.add(glob(a.asText())));
                p.path("notActions").forEach(a -> notActions.add(glob(a.asText())));
            });
            String id = definition.path("name").asText().toLowerCase(Locale.ROOT);
            roles.put(id, new Role(id, definition, actions, notActions));
        }
    }

    private static JsonNode load(String resource) {
        try (InputStream in = Rbac.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** ARM action wildcards: {@code *} matches any characters, case-insensitively. */
    private static Pattern glob(String action) {
        return Pattern.compile(("\\Q" + action + "\\E").replace("*", "\\E.*\\Q"), Pattern.CASE_INSENSITIVE);
    }

    public boolean roleExists(String roleDefinitionId) {
        return roles.containsKey(guid(roleDefinitionId));
    }

    public Collection<String> roleIds() {
        return roles.keySet();
    }

    /** @return the role definition as ARM renders it at {@code scope} ("" for tenant level) */
    public Optional<ObjectNode> definition(String roleDefinitionId, String scope) {
        Role role = roles.get(guid(roleDefinitionId));
        if (role == null) {
            return Optional.empty();
        }
        JsonNode d = role.definition();
        ObjectNode node = Json.object();
        ObjectNode props = node.putObject("properties");
        props.put("roleName", d.path("roleName").asText());
        props.put("type", d.path("roleType").asText("BuiltInRole"));
        props.put("description", d.path("description").asText());
        props.set("assignableScopes", d.path("assignableScopes").deepCopy());
        props.set("permissions", d.path("permissions").deepCopy());
        node.put("id", scope + "/providers/Microsoft.Authorization/roleDefinitions/" + role.id());
        node.put("type", "Microsoft.Authorization/roleDefinitions");
        node.put("name", role.id());
        return Optional.of(node);
    }

    /** @return the role's display name, e.g. "Tag Contributor" */
    public Optional<String> roleName(String roleDefinitionId) {
        return Optional.ofNullable(roles.get(guid(roleDefinitionId))).map(r -> r.definition().path("roleName").asText());
    }

    static String guid(String roleDefinitionId) {
        int slash = roleDefinitionId.lastIndexOf('/');
        return (slash < 0 ? roleDefinitionId : roleDefinitionId.substring(slash + 1)).toLowerCase(Locale.ROOT);
    }

    /** @return whether {@code assignmentScope} is {@code target} or above it */
    public static boolean covers(String assignmentScope, String target) {
        String scope = assignmentScope.toLowerCase(Locale.ROOT);
        String t = target.toLowerCase(Locale.ROOT);
        return scope.equals("/") || t.equals(scope) || t.startsWith(scope + "/");
    }

    /** @return the assignments that apply to the caller: its own and those of its groups (transitively) */
    public List<RoleAssignment> assignmentsOf(Caller caller) {
        Set<String> principals = world.principalAndGroups(caller.objectId());
        return world.roleAssignments().stream()
                .filter(a -> principals.contains(a.principalId().toLowerCase(Locale.ROOT))).toList();
    }

    /** @return whether the caller may perform {@code action} at {@code scope} */
    public boolean allowed(Caller caller, String scope, String action) {
        return allowed(assignmentsOf(caller), scope, action);
    }

    /** Same as {@link #allowed(Caller, String, String)} with the caller's assignments looked up once. */
    public boolean allowed(List<RoleAssignment> assignments, String scope, String action) {
        for (RoleAssignment a : assignments) {
            if (covers(a.scope(), scope)) {
                Role role = roles.get(guid(a.roleDefinitionId()));
                if (role != null && role.permits(action)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** @return whether the caller holds any role at, above or below the subscription (it then sees it in lists) */
    public boolean anyAccess(Caller caller, String subscriptionId) {
        String sub = "/subscriptions/" + subscriptionId;
        return assignmentsOf(caller).stream().anyMatch(a -> covers(a.scope(), sub) || covers(sub, a.scope()));
    }
}

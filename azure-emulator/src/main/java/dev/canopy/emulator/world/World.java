package dev.canopy.emulator.world;

import dev.canopy.events.azure.ArmResourceId;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The emulated world: tenants, identities, subscriptions, RBAC, resources, tags, costs. Thread-safe: one
 * read/write lock, reads return copies. ARM ids are keyed case-insensitively (lower-cased), shown as stored.
 */
public final class World {

    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final EmulatorClock clock;
    // Seeded so object ids created by consent are the same from run to run.
    private final Random ids;

    private final Map<String, Tenant> tenants = new LinkedHashMap<>();
    private final Map<String, User> users = new LinkedHashMap<>();
    private final Map<String, Group> groups = new LinkedHashMap<>();
    private final Map<String, Application> applications = new LinkedHashMap<>();
    private final Map<String, ServicePrincipal> servicePrincipals = new LinkedHashMap<>();
    private final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
    private final Map<String, RoleAssignment> roleAssignments = new LinkedHashMap<>();
    private final NavigableMap<String, ResourceGroup> resourceGroups = new TreeMap<>();
    // Sorted by key so that paging with "the last key seen" as skip token stays stable while the world changes.
    private final NavigableMap<String, Resource> resources = new TreeMap<>();
    private final List<CostEntry> costs = new ArrayList<>();
    private final Map<String, PlatformUser> platformUsers = new LinkedHashMap<>();
    private final Map<String, PartnerLink> partnerLinks = new LinkedHashMap<>();
    // Principals Entra ID has "not replicated yet": object id -> role-assignment writes still to answer PrincipalNotFound.
    private final Map<String, Integer> unreplicated = new LinkedHashMap<>();

    public World(WorldSpec spec, EmulatorClock clock, long seed) {
        this.clock = clock;
        this.ids = new Random(seed);
        load(spec);
    }

    public EmulatorClock clock() {
        return clock;
    }

    private static String key(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    private <T> T read(Supplier<T> body) {
        lock.readLock().lock();
        try {
            return body.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    private <T> T write(Supplier<T> body) {
        lock.writeLock().lock();
        try {
            return body.get();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Replaces the whole world with {@code spec}. */
    public void load(WorldSpec spec) {
        write(() -> {
            tenants.clear();
            users.clear();
            groups.clear();
            applications.clear();
            servicePrincipals.clear();
            subscriptions.clear();
            roleAssignments.clear();
            resourceGroups.clear();
            resources.clear();
            costs.clear();
            platformUsers.clear();
            partnerLinks.clear();
            unreplicated.clear();
            spec.tenants().forEach(t -> tenants.put(key(t.tenantId()), t));
            spec.users().forEach(u -> users.put(key(u.objectId()), u));
            spec.groups().forEach(g -> groups.put(key(g.objectId()), g));
            spec.applications().forEach(a -> applications.put(key(a.appId()), a));
            spec.servicePrincipals().forEach(sp -> servicePrincipals.put(spKey(sp.tenantId(), sp.appId()), sp));
            spec.subscriptions().forEach(s -> subscriptions.put(key(s.subscriptionId()), s));
            spec.roleAssignments().forEach(ra -> roleAssignments.put(key(ra.id()), ra));
            spec.resourceGroups().forEach(rg -> resourceGroups.put(key(rg.id()), rg));
            spec.resources().forEach(r -> resources.put(key(r.id()), r));
            costs.addAll(spec.costs());
            spec.platformUsers().forEach(u -> platformUsers.put(key(u.username()), u));
            spec.partnerLinks().forEach(l -> partnerLinks.put(key(l.tenantId() + "|" + l.objectId()), l));
            return null;
        });
    }

    /** @return the whole world as a spec (the JSON file format) */
    public WorldSpec snapshot() {
        return read(() -> new WorldSpec(List.copyOf(tenants.values()), List.copyOf(users.values()),
                List.copyOf(groups.values()), List.copyOf(applications.values()),
                List.copyOf(servicePrincipals.values()), List.copyOf(subscriptions.values()),
                List.copyOf(roleAssignments.values()), List.copyOf(resourceGroups.values()),
                List.copyOf(resources.values()), List.copyOf(costs), List.copyOf(platformUsers.values()),
                List.copyOf(partnerLinks.values())));
    }

    // ---- directory -------------------------------------------------------------------------------------------

    /** @param idOrDomain a tenant GUID or its default domain */
    public Optional<Tenant> tenant(String idOrDomain) {
        return read(() -> Optional.ofNullable(tenants.get(key(idOrDomain))).or(() -> tenants.values().stream()
                .filter(t -> t.defaultDomain() != null && t.defaultDomain().equalsIgnoreCase(idOrDomain)).findFirst()));
    }

    public List<Tenant> tenants() {
        return read(() -> List.copyOf(tenants.values()));
    }

    public Optional<User> userByUpn(String upn) {
        return read(() -> users.values().stream().filter(u -> u.userPrincipalName().equalsIgnoreCase(upn)).findFirst());
    }

    public Optional<User> user(String objectId) {
        return read(() -> Optional.ofNullable(users.get(key(objectId))));
    }

    public Optional<Application> application(String appId) {
        return read(() -> Optional.ofNullable(applications.get(key(appId))));
    }

    public void putApplication(Application app) {
        write(() -> applications.put(key(app.appId()), app));
    }

    private static String spKey(String tenantId, String appId) {
        return key(tenantId + "|" + appId);
    }

    public Optional<ServicePrincipal> servicePrincipal(String tenantId, String appId) {
        return read(() -> Optional.ofNullable(servicePrincipals.get(spKey(tenantId, appId))));
    }

    /** Consent: creates the app's service principal in {@code tenantId} (with its own object id) unless it exists. */
    public ServicePrincipal ensureServicePrincipal(String tenantId, Application app) {
        return write(() -> servicePrincipals.computeIfAbsent(spKey(tenantId, app.appId()),
                k -> new ServicePrincipal(newId(), tenantId, app.appId(), app.displayName())));
    }

    /** @return a new GUID from the world's seeded generator */
    public String newId() {
        return write(() -> new UUID(ids.nextLong(), ids.nextLong()).toString());
    }

    /** @return whether a user, group or service principal with this object id exists in the tenant */
    public boolean principalExists(String tenantId, String objectId) {
        String k = key(objectId);
        return read(() -> (users.containsKey(k) && users.get(k).tenantId().equalsIgnoreCase(tenantId))
                || (groups.containsKey(k) && groups.get(k).tenantId().equalsIgnoreCase(tenantId))
                || servicePrincipals.values().stream().anyMatch(sp -> sp.objectId().equalsIgnoreCase(objectId)
                        && sp.tenantId().equalsIgnoreCase(tenantId)));
    }

    /** @return "User", "Group" or "ServicePrincipal" for a principal of the tenant; empty if it has none by that id */
    public Optional<String> principalType(String tenantId, String objectId) {
        String k = key(objectId);
        return read(() -> {
            if (users.containsKey(k) && users.get(k).tenantId().equalsIgnoreCase(tenantId)) {
                return Optional.of("User");
            }
            if (groups.containsKey(k) && groups.get(k).tenantId().equalsIgnoreCase(tenantId)) {
                return Optional.of("Group");
            }
            return servicePrincipals.values().stream().filter(sp -> sp.objectId().equalsIgnoreCase(objectId)
                    && sp.tenantId().equalsIgnoreCase(tenantId)).findFirst().map(sp -> "ServicePrincipal");
        });
    }

    /**
     * Simulates Entra ID replication delay for a principal: the next {@code attempts} role-assignment writes for it
     * answer PrincipalNotFound, even when they declare {@code principalType} (real Azure still does that sometimes).
     */
    public void delayReplication(String objectId, int attempts) {
        write(() -> unreplicated.put(key(objectId), attempts));
    }

    /** @return true if a role-assignment write for this principal must fail as not replicated yet (counts it down) */
    public boolean consumeReplicationDelay(String objectId) {
        return write(() -> {
            Integer left = unreplicated.get(key(objectId));
            if (left == null || left <= 0) {
                return false;
            }
            unreplicated.put(key(objectId), left - 1);
            return true;
        });
    }

    /** @return the principal itself plus every group it belongs to, directly or through nested groups (lower-cased) */
    public Set<String> principalAndGroups(String objectId) {
        return read(() -> {
            Set<String> result = new HashSet<>();
            Deque<String> todo = new ArrayDeque<>(List.of(key(objectId)));
            while (!todo.isEmpty()) {
                String id = todo.pop();
                if (result.add(id)) {
                    groups.values().stream().filter(g -> g.members().stream().anyMatch(m -> m.equalsIgnoreCase(id)))
                            .forEach(g -> todo.push(key(g.objectId())));
                }
            }
            return result;
        });
    }

    public boolean isGroup(String objectId) {
        return read(() -> groups.containsKey(key(objectId)));
    }

    public Optional<PlatformUser> platformUser(String username) {
        return read(() -> Optional.ofNullable(platformUsers.get(key(username))));
    }

    /** The platform users' names, in the order the world declares them. */
    public List<String> platformUsernames() {
        return read(() -> platformUsers.values().stream().map(PlatformUser::username).toList());
    }

    // ---- subscriptions, groups, resources ---------------------------------------------------------------------

    public List<Subscription> subscriptions() {
        return read(() -> List.copyOf(subscriptions.values()));
    }

    public Optional<Subscription> subscription(String subscriptionId) {
        return read(() -> Optional.ofNullable(subscriptions.get(key(subscriptionId))));
    }

    public List<ResourceGroup> resourceGroups(String subscriptionId) {
        String prefix = key("/subscriptions/" + subscriptionId + "/");
        return read(() -> List.copyOf(resourceGroups.subMap(prefix, prefix + Character.MAX_VALUE).values()));
    }

    public Optional<ResourceGroup> resourceGroup(String subscriptionId, String name) {
        return read(() -> Optional.ofNullable(
                resourceGroups.get(key("/subscriptions/" + subscriptionId + "/resourceGroups/" + name))));
    }

    /** @return the subscription's resources ordered by normalized id */
    public List<Resource> resources(String subscriptionId) {
        String prefix = key("/subscriptions/" + subscriptionId + "/");
        return read(() -> List.copyOf(resources.subMap(prefix, prefix + Character.MAX_VALUE).values()));
    }

    public Optional<Resource> resource(String id) {
        return read(() -> Optional.ofNullable(resources.get(ArmResourceId.parse(id).key())));
    }

    /** Creates or replaces a resource (as a person in the portal would), creating its resource group if needed. */
    public Resource putResource(Resource resource) {
        return write(() -> {
            ArmResourceId id = resource.armId();
            if (!subscriptions.containsKey(key(id.subscriptionId()))) {
                throw new IllegalArgumentException("unknown subscription " + id.subscriptionId());
            }
            String rgKey = key("/subscriptions/" + id.subscriptionId() + "/resourceGroups/" + id.resourceGroup());
            resourceGroups.computeIfAbsent(rgKey, k -> new ResourceGroup(id.subscriptionId(), id.resourceGroup(),
                    resource.location(), null, null, "Succeeded"));
            resources.put(id.key(), resource);
            return resource;
        });
    }

    /** @return whether a resource was deleted */
    public boolean deleteResource(String id) {
        return write(() -> resources.remove(ArmResourceId.parse(id).key()) != null);
    }

    /**
     * @param scope a subscription, resource group or resource
     * @return the tags held there, or empty if the scope does not exist
     */
    public Optional<Map<String, String>> tagsAt(ArmResourceId scope) {
        return read(() -> switch (scope.scopeKind()) {
            case SUBSCRIPTION -> Optional.ofNullable(subscriptions.get(key(scope.subscriptionId()))).map(Subscription::tags);
            case RESOURCE_GROUP -> Optional.ofNullable(resourceGroups.get(scope.key()))
                    .map(rg -> rg.tags() == null ? Map.<String, String>of() : rg.tags());
            case RESOURCE -> Optional.ofNullable(resources.get(scope.key())).map(Resource::tags);
        });
    }

    /**
     * Atomically replaces the tags at a scope with {@code change.apply(current)}.
     *
     * @return the tags now held, or empty if the scope does not exist
     */
    public Optional<Map<String, String>> updateTags(ArmResourceId scope, UnaryOperator<Map<String, String>> change) {
        return write(() -> {
            Optional<Map<String, String>> current = tagsAt(scope);
            if (current.isEmpty()) {
                return current;
            }
            Map<String, String> next = change.apply(current.get());
            switch (scope.scopeKind()) {
                case SUBSCRIPTION -> subscriptions.computeIfPresent(key(scope.subscriptionId()), (k, s) -> s.withTags(next));
                case RESOURCE_GROUP -> resourceGroups.computeIfPresent(scope.key(), (k, rg) -> rg.withTags(next));
                case RESOURCE -> resources.computeIfPresent(scope.key(), (k, r) -> r.withTags(next, clock.instant()));
            }
            return tagsAt(scope);
        });
    }

    /** @return the stored display id of a scope (its canonical casing), or empty if it does not exist */
    public Optional<String> canonicalId(ArmResourceId scope) {
        return read(() -> switch (scope.scopeKind()) {
            case SUBSCRIPTION -> Optional.ofNullable(subscriptions.get(key(scope.subscriptionId()))).map(Subscription::id);
            case RESOURCE_GROUP -> Optional.ofNullable(resourceGroups.get(scope.key())).map(ResourceGroup::id);
            case RESOURCE -> Optional.ofNullable(resources.get(scope.key())).map(Resource::id);
        });
    }

    // ---- RBAC --------------------------------------------------------------------------------------------------

    public List<RoleAssignment> roleAssignments() {
        return read(() -> List.copyOf(roleAssignments.values()));
    }

    public void putRoleAssignment(RoleAssignment assignment) {
        write(() -> roleAssignments.put(key(assignment.id()), assignment));
    }

    public Optional<RoleAssignment> deleteRoleAssignment(String id) {
        return write(() -> Optional.ofNullable(roleAssignments.remove(key(id))));
    }

    // ---- cost and partner ----------------------------------------------------------------------------------------

    /** @return cost entries of one subscription (matched case-insensitively) */
    public List<CostEntry> costs(String subscriptionId) {
        return read(() -> costs.stream().filter(c -> c.subscriptionId().equalsIgnoreCase(subscriptionId)).toList());
    }

    public Optional<PartnerLink> partnerLink(String tenantId, String objectId) {
        return read(() -> Optional.ofNullable(partnerLinks.get(key(tenantId + "|" + objectId))));
    }

    public void putPartnerLink(PartnerLink link) {
        write(() -> partnerLinks.put(key(link.tenantId() + "|" + link.objectId()), link));
    }

    public Optional<PartnerLink> deletePartnerLink(String tenantId, String objectId) {
        return write(() -> Optional.ofNullable(partnerLinks.remove(key(tenantId + "|" + objectId))));
    }

    /** Orders subscriptions for stable listing. */
    public static final Comparator<Subscription> BY_ID = Comparator.comparing(s -> key(s.subscriptionId()));
}

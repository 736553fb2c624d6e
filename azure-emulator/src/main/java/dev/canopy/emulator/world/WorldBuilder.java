package dev.canopy.emulator.world;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Collects the parts of a world and builds its {@link WorldSpec}; also holds Canopy's own home tenant and
 * multi-tenant app, which every built world contains.
 */
public final class WorldBuilder {

    /** Canopy's home tenant. */
    public static final String CANOPY_TENANT_ID = "0c4a1b2c-0000-4000-8000-00000000c0de";
    /** Canopy's multi-tenant app registration (client id). */
    public static final String CANOPY_APP_ID = "c4a0b1d2-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
    /** Canopy's client secret in emulated worlds (never a real secret). */
    public static final String CANOPY_APP_SECRET = "canopy-emulator-secret";
    /** Reply URLs registered for Canopy's app (the local stack's consent-service callback and test callbacks). */
    public static final List<String> CANOPY_REDIRECT_URIS = List.of(
            "https://localhost:8081/onboarding/callback", "http://localhost:8081/onboarding/callback",
            "https://127.0.0.1:8081/onboarding/callback", "https://canopy.test/callback");

    final List<Tenant> tenants = new ArrayList<>();
    final List<User> users = new ArrayList<>();
    final List<Group> groups = new ArrayList<>();
    final List<Application> applications = new ArrayList<>();
    final List<ServicePrincipal> servicePrincipals = new ArrayList<>();
    final List<Subscription> subscriptions = new ArrayList<>();
    final List<RoleAssignment> roleAssignments = new ArrayList<>();
    final List<ResourceGroup> resourceGroups = new ArrayList<>();
    final List<Resource> resources = new ArrayList<>();
    final List<CostEntry> costs = new ArrayList<>();
    final List<PlatformUser> platformUsers = new ArrayList<>();

    /** Starts a world that holds Canopy's home tenant, its app and the app's service principal there. */
    public static WorldBuilder withCanopy() {
        WorldBuilder b = new WorldBuilder();
        b.tenants.add(new Tenant(CANOPY_TENANT_ID, "Canopy", "canopy.example", "DE"));
        b.applications.add(new Application(CANOPY_APP_ID, "Canopy", CANOPY_TENANT_ID, List.of(CANOPY_APP_SECRET),
                CANOPY_REDIRECT_URIS));
        b.servicePrincipals.add(new ServicePrincipal(stableId("sp|" + CANOPY_TENANT_ID), CANOPY_TENANT_ID, CANOPY_APP_ID, "Canopy"));
        return b;
    }

    /** @return a GUID derived from {@code seed} (the same on every run) */
    public static String stableId(String seed) {
        return UUID.nameUUIDFromBytes(seed.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8)).toString();
    }

    public WorldBuilder tenant(Tenant t) {
        tenants.add(t);
        return this;
    }

    public WorldBuilder user(User u) {
        users.add(u);
        return this;
    }

    public WorldBuilder group(Group g) {
        groups.add(g);
        return this;
    }

    public WorldBuilder servicePrincipal(ServicePrincipal sp) {
        servicePrincipals.add(sp);
        return this;
    }

    public WorldBuilder subscription(Subscription s) {
        subscriptions.add(s);
        return this;
    }

    /** Assigns a role (GUID) to a principal at a scope; the assignment's name is derived from all three. */
    public WorldBuilder assign(String scope, String roleDefinitionId, String principalId, String principalType) {
        roleAssignments.add(new RoleAssignment(stableId(scope + "|" + roleDefinitionId + "|" + principalId), scope,
                roleDefinitionId, principalId, principalType, null, null, null));
        return this;
    }

    public WorldBuilder resourceGroup(ResourceGroup rg) {
        resourceGroups.add(rg);
        return this;
    }

    public WorldBuilder resource(Resource r) {
        resources.add(r);
        return this;
    }

    public WorldBuilder cost(CostEntry c) {
        costs.add(c);
        return this;
    }

    public WorldBuilder platformUser(PlatformUser u) {
        platformUsers.add(u);
        return this;
    }

    public WorldSpec build() {
        return new WorldSpec(tenants, users, groups, applications, servicePrincipals, subscriptions, roleAssignments,
                resourceGroups, resources, costs, platformUsers, List.of());
    }
}

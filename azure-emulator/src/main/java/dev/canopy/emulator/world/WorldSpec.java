package dev.canopy.emulator.world;

import java.util.List;

/** The JSON file format of a world: everything the emulator knows, as plain lists. */
public record WorldSpec(List<Tenant> tenants, List<User> users, List<Group> groups, List<Application> applications,
                        List<ServicePrincipal> servicePrincipals, List<Subscription> subscriptions,
                        List<RoleAssignment> roleAssignments, List<ResourceGroup> resourceGroups,
                        List<Resource> resources, List<CostEntry> costs, List<PlatformUser> platformUsers,
                        List<PartnerLink> partnerLinks) {
    public WorldSpec {
        tenants = nonNull(tenants);
        users = nonNull(users);
        groups = nonNull(groups);
        applications = nonNull(applications);
        servicePrincipals = nonNull(servicePrincipals);
        subscriptions = nonNull(subscriptions);
        roleAssignments = nonNull(roleAssignments);
        resourceGroups = nonNull(resourceGroups);
        resources = nonNull(resources);
        costs = nonNull(costs);
        platformUsers = nonNull(platformUsers);
        partnerLinks = nonNull(partnerLinks);
    }

    private static <T> List<T> nonNull(List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
    }
}

package dev.canopy.emulator.world;

import java.time.Instant;

/**
 * A role assignment at a scope ({@code /}, a subscription, a resource group or a resource).
 *
 * @param roleDefinitionId the role definition GUID (the last segment of ARM's roleDefinitionId)
 * @param principalType User, Group, ServicePrincipal or ForeignGroup
 */
public record RoleAssignment(String name, String scope, String roleDefinitionId, String principalId,
                             String principalType, String description, Instant createdOn, String createdBy) {
    public RoleAssignment {
        principalType = principalType == null ? "User" : principalType;
        int slash = roleDefinitionId.lastIndexOf('/');
        roleDefinitionId = slash < 0 ? roleDefinitionId : roleDefinitionId.substring(slash + 1);
    }

    public String id() {
        return ("/".equals(scope) ? "" : scope) + "/providers/Microsoft.Authorization/roleAssignments/" + name;
    }
}

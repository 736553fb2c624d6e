package dev.canopy.emulator;

import dev.canopy.emulator.arm.Rbac;
import dev.canopy.emulator.world.Application;
import dev.canopy.emulator.world.RoleAssignment;
import dev.canopy.emulator.world.ServicePrincipal;
import dev.canopy.emulator.world.World;
import dev.canopy.emulator.world.WorldBuilder;

import java.util.UUID;

/** Test setup shortcuts on the world (the state onboarding would leave). */
public final class Fixtures {

    public static final String RG_READ_API = "api-version=2021-04-01";

    private Fixtures() {
    }

    /** Consents Canopy's app in a tenant and gives its service principal a role on a subscription. */
    public static ServicePrincipal canopyWithRole(World world, String tenantId, String subscriptionId, String roleId) {
        Application app = world.application(WorldBuilder.CANOPY_APP_ID).orElseThrow();
        ServicePrincipal sp = world.ensureServicePrincipal(tenantId, app);
        grant(world, "/subscriptions/" + subscriptionId, roleId, sp.objectId(), "ServicePrincipal");
        return sp;
    }

    public static void grant(World world, String scope, String roleId, String principalId, String type) {
        world.putRoleAssignment(new RoleAssignment(UUID.randomUUID().toString(), scope, roleId, principalId, type,
                null, world.clock().instant(), null));
    }

    public static final String TAG_CONTRIBUTOR = Rbac.TAG_CONTRIBUTOR;
    public static final String COST_READER = Rbac.COST_MANAGEMENT_READER;
}

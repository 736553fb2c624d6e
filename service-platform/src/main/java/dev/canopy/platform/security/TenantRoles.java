package dev.canopy.platform.security;

import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The roles one caller holds, read from the token's roles claim: entries {@code "<role>:<tenant id>"} for the
 * per-tenant roles and a bare {@code "ops"}. Entries Canopy does not know are ignored, so an identity provider
 * may carry other roles in the same claim.
 */
public final class TenantRoles {

    private final Map<String, Set<PlatformRole>> byTenant;
    private final boolean ops;

    private TenantRoles(Map<String, Set<PlatformRole>> byTenant, boolean ops) {
        this.byTenant = byTenant;
        this.ops = ops;
    }

    /** Parses the claim's entries; null means no roles. */
    public static TenantRoles parse(Collection<String> claim) {
        Map<String, Set<PlatformRole>> byTenant = new HashMap<>();
        boolean ops = false;
        if (claim != null) {
            for (String entry : claim) {
                if (entry == null) {
                    continue;
                }
                int colon = entry.indexOf(':');
                if (colon < 0) {
                    ops |= entry.equals(PlatformRole.OPS.claimName());
                    continue;
                }
                String tenant = entry.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
                PlatformRole.fromClaimName(entry.substring(0, colon).trim())
                        .filter(role -> role != PlatformRole.OPS && !tenant.isEmpty())
                        .ifPresent(role -> byTenant.computeIfAbsent(tenant, t -> EnumSet.noneOf(PlatformRole.class))
                                .add(role));
            }
        }
        byTenant.replaceAll((tenant, roles) -> Set.copyOf(roles));
        return new TenantRoles(Map.copyOf(byTenant), ops);
    }

    /** True for the cross-tenant read role. */
    public boolean isOps() {
        return ops;
    }

    /** The tenants the caller holds a per-tenant role in (lower-case ids). */
    public Set<String> tenants() {
        return byTenant.keySet();
    }

    /** True if the caller may read the tenant: any role in it, or ops. */
    public boolean canRead(String tenantId) {
        return ops || !rolesIn(tenantId).isEmpty();
    }

    /** True if a role the caller holds in the tenant satisfies {@code required}. */
    public boolean has(String tenantId, PlatformRole required) {
        return rolesIn(tenantId).stream().anyMatch(role -> role.satisfies(required));
    }

    /** The per-tenant roles held in that tenant. */
    public Set<PlatformRole> rolesIn(String tenantId) {
        return tenantId == null ? Set.of() : byTenant.getOrDefault(tenantId.toLowerCase(Locale.ROOT), Set.of());
    }
}

package dev.canopy.platform.security;

import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

import dev.canopy.platform.problem.ProblemException;

/**
 * The caller's per-tenant access for one request, and the checks every API makes with it. A tenant the caller
 * has no role in answers 404 — exactly as an id that does not exist — so nobody learns which tenants exist.
 */
@RequestScoped
public class TenantAccess {

    private final JsonWebToken token;
    private final String rolesClaim;
    private TenantRoles roles;

    @Inject
    public TenantAccess(JsonWebToken token,
            @ConfigProperty(name = "canopy.security.roles-claim", defaultValue = "canopy_roles") String rolesClaim) {
        this.token = token;
        this.rolesClaim = rolesClaim;
    }

    /** The caller's roles, read once per request from the token. */
    public TenantRoles roles() {
        if (roles == null) {
            roles = TenantRoles.parse(claimEntries());
        }
        return roles;
    }

    /** The caller's stable id (the token's subject), for audit trails. */
    public String callerId() {
        return token.getSubject();
    }

    /** Requires read access to the tenant; otherwise 404. */
    public void requireRead(String tenantId, String what) {
        if (!roles().canRead(tenantId)) {
            throw ProblemException.notFound(what + " was not found");
        }
    }

    /** Requires {@code role} in the tenant: 404 if the caller cannot see the tenant, 403 if it can but lacks it. */
    public void require(String tenantId, PlatformRole role, String what) {
        requireRead(tenantId, what);
        if (!roles().has(tenantId, role)) {
            throw ProblemException.forbidden(missingRole(tenantId, role, what));
        }
    }

    // "this needs the 'admin' role in tenant T", naming the thing too when it is not the tenant itself.
    private static String missingRole(String tenantId, PlatformRole role, String what) {
        String needs = "this needs the '" + role.claimName() + "' role in tenant " + tenantId;
        return what.equalsIgnoreCase("tenant " + tenantId) ? needs : needs + ", the tenant of " + what;
    }

    /** True when the caller reads every tenant. */
    public boolean readsAllTenants() {
        return roles().isOps();
    }

    /** The tenants the caller holds a role in. */
    public Set<String> tenants() {
        return roles().tenants();
    }

    private List<String> claimEntries() {
        Object claim = token.getClaim(rolesClaim);
        if (claim instanceof JsonArray array) {
            return array.getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
        }
        if (claim instanceof java.util.Collection<?> values) {
            return values.stream().map(String::valueOf).toList();
        }
        return List.of();
    }
}

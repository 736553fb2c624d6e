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
import dev.canopy.emulator.world.Subscription;
import dev.canopy.emulator.world.Tenant;
import dev.canopy.emulator.world.World;

import java.util.List;

/** Subscriptions_List / Subscriptions_Get / Tenants_List: only the token's tenant, only what the caller has a role on. */
public final class SubscriptionsApi {

    private final ArmGate gate;
    private final int pageSize;

    public SubscriptionsApi(ArmGate gate, int pageSize) {
        this.gate = gate;
        this.pageSize = pageSize;
    }

    public List<Route> routes() {
        Route.Kind k = Route.Kind.ARM;
        return List.of(
                Route.of("arm.subscriptions.list", "GET", "/subscriptions", k, this::list),
                Route.of("arm.subscriptions.get", "GET", "/subscriptions/(?<sub>[^/]+)", k, this::get),
                Route.of("arm.tenants.list", "GET", "/tenants", k, this::tenants));
    }

    private Response list(Request r) {
        ApiVersions.SUBSCRIPTIONS.require(r);
        Caller caller = gate.enterTenant(r, RateLimiter.Kind.READS);
        List<Subscription> visible = gate.world().subscriptions().stream()
                .filter(s -> s.tenantId().equalsIgnoreCase(caller.tenantId()))
                .filter(s -> gate.rbac().anyAccess(caller, s.subscriptionId()))
                .sorted(World.BY_ID).toList();
        Paging.Page<Subscription> page = Paging.page(r, visible, Subscription::subscriptionId, pageSize, pageSize);
        ObjectNode body = Json.object();
        ArrayNode value = body.putArray("value");
        page.items().forEach(s -> value.add(render(s)));
        if (page.nextLink() != null) {
            body.put("nextLink", page.nextLink());
        }
        return Response.json(200, body);
    }

    private Response get(Request r) {
        ApiVersions.SUBSCRIPTIONS.require(r);
        Caller caller = gate.authenticate(r);
        Subscription s = gate.enter(r, r.group("sub"), RateLimiter.Kind.READS, caller);
        if (!gate.rbac().anyAccess(caller, s.subscriptionId())) {
            throw ArmGate.forbidden(caller, s.id(), "Microsoft.Resources/subscriptions/read");
        }
        return Response.json(200, render(s));
    }

    private Response tenants(Request r) {
        ApiVersions.SUBSCRIPTIONS.require(r);
        Caller caller = gate.enterTenant(r, RateLimiter.Kind.READS);
        Tenant t = gate.world().tenant(caller.tenantId()).orElseThrow(() -> ArmException.notFound("TenantNotFound", "tenant"));
        ObjectNode body = Json.object();
        ObjectNode item = body.putArray("value").addObject();
        item.put("id", "/tenants/" + t.tenantId());
        item.put("tenantId", t.tenantId());
        item.put("countryCode", t.countryCode());
        item.put("displayName", t.displayName());
        item.putArray("domains").add(t.defaultDomain());
        item.put("tenantCategory", "Home");
        item.put("defaultDomain", t.defaultDomain());
        item.put("tenantType", "AAD");
        return Response.json(200, body);
    }

    static ObjectNode render(Subscription s) {
        ObjectNode node = Json.object();
        node.put("id", s.id());
        node.put("authorizationSource", "RoleBased");
        node.putArray("managedByTenants");
        if (!s.tags().isEmpty()) {
            node.set("tags", Json.tags(s.tags()));
        }
        node.put("subscriptionId", s.subscriptionId());
        node.put("tenantId", s.tenantId());
        node.put("displayName", s.displayName());
        node.put("state", s.state());
        ObjectNode policies = node.putObject("subscriptionPolicies");
        policies.put("locationPlacementId", "Public_2014-09-01");
        policies.put("quotaId", s.quotaId());
        policies.put("spendingLimit", s.spendingLimit());
        return node;
    }
}

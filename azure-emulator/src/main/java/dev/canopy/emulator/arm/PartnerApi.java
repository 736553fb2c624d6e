package dev.canopy.emulator.arm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.canopy.emulator.entra.Caller;
import dev.canopy.emulator.limits.RateLimiter;
import dev.canopy.emulator.server.ArmException;
import dev.canopy.emulator.server.Json;
import dev.canopy.emulator.server.Request;
import dev.canopy.emulator.server.Response;
import dev.canopy.emulator.server.Route;
import dev.canopy.emulator.world.PartnerLink;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Partner Admin Link (Microsoft.ManagementPartner): binds the calling identity (token {@code oid}) in its tenant
 * to a partner id — so the platform must link with its own service principal's token, not the admin's.
 */
public final class PartnerApi {

    private static final Pattern PARTNER_ID = Pattern.compile("\\d{5,8}");

    private final ArmGate gate;

    public PartnerApi(ArmGate gate) {
        this.gate = gate;
    }

    public List<Route> routes() {
        Route.Kind k = Route.Kind.ARM;
        String base = "/providers/Microsoft\\.ManagementPartner/partners";
        return List.of(
                Route.of("arm.partner.current", "GET", base, k, this::current),
                Route.of("arm.partner.get", "GET", base + "/(?<id>[^/]+)", k, this::get),
                Route.of("arm.partner.put", "PUT", base + "/(?<id>[^/]+)", k, this::put),
                Route.of("arm.partner.patch", "PATCH", base + "/(?<id>[^/]+)", k, this::patch),
                Route.of("arm.partner.delete", "DELETE", base + "/(?<id>[^/]+)", k, this::delete));
    }

    private Caller enter(Request r, RateLimiter.Kind kind) {
        ApiVersions.MANAGEMENT_PARTNER.require(r);
        return gate.enterTenant(r, kind);
    }

    private Response current(Request r) {
        Caller caller = enter(r, RateLimiter.Kind.READS);
        PartnerLink link = gate.world().partnerLink(caller.tenantId(), caller.objectId()).orElseThrow(PartnerApi::notFound);
        return Response.json(200, render(link, "/providers/microsoft.managementpartner/partners"));
    }

    private Response get(Request r) {
        Caller caller = enter(r, RateLimiter.Kind.READS);
        PartnerLink link = gate.world().partnerLink(caller.tenantId(), caller.objectId())
                .filter(l -> l.partnerId().equals(r.group("id"))).orElseThrow(PartnerApi::notFound);
        return Response.json(200, render(link, null));
    }

    private Response put(Request r) {
        Caller caller = enter(r, RateLimiter.Kind.WRITES);
        String partnerId = validId(r.group("id"));
        var existing = gate.world().partnerLink(caller.tenantId(), caller.objectId());
        if (existing.isPresent()) {
            if (!existing.get().partnerId().equals(partnerId)) {
                throw new ArmException(409, "Conflict", "The identity is already linked to partner '"
                        + existing.get().partnerId() + "'. Use PATCH to change the partner id.");
            }
            return Response.json(200, render(existing.get(), null));
        }
        Instant now = gate.world().clock().instant();
        PartnerLink link = new PartnerLink(caller.tenantId(), caller.objectId(), partnerId, "Partner " + partnerId, 1, now, now);
        gate.world().putPartnerLink(link);
        return Response.json(200, render(link, null));
    }

    private Response patch(Request r) {
        Caller caller = enter(r, RateLimiter.Kind.WRITES);
        String partnerId = validId(r.group("id"));
        PartnerLink old = gate.world().partnerLink(caller.tenantId(), caller.objectId()).orElseThrow(PartnerApi::notFound);
        PartnerLink link = new PartnerLink(old.tenantId(), old.objectId(), partnerId, "Partner " + partnerId,
                old.version() + 1, old.createdTime(), gate.world().clock().instant());
        gate.world().putPartnerLink(link);
        return Response.json(200, render(link, null));
    }

    private Response delete(Request r) {
        Caller caller = enter(r, RateLimiter.Kind.DELETES);
        gate.world().partnerLink(caller.tenantId(), caller.objectId()).filter(l -> l.partnerId().equals(r.group("id")))
                .orElseThrow(PartnerApi::notFound);
        gate.world().deletePartnerLink(caller.tenantId(), caller.objectId());
        return Response.empty(200);
    }

    private static String validId(String id) {
        if (!PARTNER_ID.matcher(id).matches()) {
            throw ArmException.badRequest("BadRequest", "Invalid partner id '" + id + "'. A partner id is the numeric "
                    + "Microsoft Partner Network id.");
        }
        return id;
    }

    private static ArmException notFound() {
        return ArmException.notFound("NotFound", "No partner is linked to this identity.");
    }

    static ObjectNode render(PartnerLink link, String id) {
        ObjectNode node = Json.object();
        node.put("id", id != null ? id : "/providers/microsoft.managementpartner/partners/" + link.partnerId());
        node.put("type", "Microsoft.ManagementPartner/partner");
        node.put("name", link.partnerId());
        node.put("etag", link.version());
        ObjectNode props = node.putObject("properties");
        props.put("partnerId", link.partnerId());
        props.put("partnerName", link.partnerName());
        props.put("tenantId", link.tenantId());
        props.put("objectId", link.objectId());
        props.put("version", String.valueOf(link.version()));
        props.put("updatedTime", DateTimeFormatter.ISO_INSTANT.format(link.updatedTime()));
        props.put("createdTime", DateTimeFormatter.ISO_INSTANT.format(link.createdTime()));
        props.put("state", "Active");
        return node;
    }
}

package dev.canopy.cost.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import dev.canopy.cost.query.SpendParameters;
import dev.canopy.cost.query.SpendParameters.GroupedQuery;
import dev.canopy.cost.query.SpendParameters.UnallocatedQuery;
import dev.canopy.cost.query.SpendReport;
import dev.canopy.cost.query.SpendReports;
import dev.canopy.cost.query.UnallocatedReport;
import dev.canopy.platform.security.TenantAccess;

/**
 * Spend analytics of one tenant: totals per group and per currency. Any role in the tenant reads it, {@code ops} reads
 * every tenant; a tenant the caller has no role in answers 404, as one that does not exist.
 */
@Path("/spend")
@Produces(MediaType.APPLICATION_JSON)
public class SpendResource {

    private final SpendReports reports;
    private final TenantAccess access;

    public SpendResource(SpendReports reports, TenantAccess access) {
        this.reports = reports;
        this.access = access;
    }

    /**
     * Spend from {@code from} to {@code to} (usage days, both included, at most 366) of one cost type (default ACTUAL),
     * grouped by {@code subscription}, {@code resourceGroup}, {@code service}, {@code resource}, {@code location},
     * {@code day} or {@code tag:{key}}.
     */
    @GET
    public SpendReport spend(@QueryParam("tenant") String tenant, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("costType") String costType,
            @QueryParam("groupBy") String groupBy) {
        GroupedQuery query = SpendParameters.grouped(tenant, from, to, costType, groupBy);
        requireRead(query.scope().tenantId());
        return reports.grouped(query);
    }

    /** Spend of resources that have no tag {@code tagKey} (in any spelling), nor their resource group. */
    @GET
    @Path("unallocated")
    public UnallocatedReport unallocated(@QueryParam("tenant") String tenant, @QueryParam("tagKey") String tagKey,
            @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("costType") String costType) {
        UnallocatedQuery query = SpendParameters.unallocated(tenant, tagKey, from, to, costType);
        requireRead(query.scope().tenantId());
        return reports.unallocated(query);
    }

    private void requireRead(String tenantId) {
        access.requireRead(tenantId, "tenant " + tenantId);
    }
}

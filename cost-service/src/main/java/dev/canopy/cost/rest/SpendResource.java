package dev.canopy.cost.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import dev.canopy.cost.export.SpendExporter;
import dev.canopy.cost.query.SpendParameters;
import dev.canopy.cost.query.SpendParameters.ExportQuery;
import dev.canopy.cost.query.SpendParameters.GroupedQuery;
import dev.canopy.cost.query.SpendParameters.TopQuery;
import dev.canopy.cost.query.SpendParameters.UnallocatedQuery;
import dev.canopy.cost.query.SpendReport;
import dev.canopy.cost.query.SpendReports;
import dev.canopy.cost.query.TopReport;
import dev.canopy.cost.query.UnallocatedReport;
import dev.canopy.platform.problem.ProblemResponses;
import dev.canopy.platform.security.TenantAccess;

/**
 * Spend analytics of one tenant: totals per group and per currency, the largest groups, and the facts as a file. Any
 * role in the tenant reads it, {@code ops} reads every tenant; a tenant the caller has no role in answers 404, as one
 * that does not exist.
 */
@Path("/spend")
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "400", ref = ProblemResponses.INVALID)
@APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHENTICATED)
@APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
public class SpendResource {

    private static final String CSV_UTF8 = "text/csv; charset=UTF-8";

    private final SpendReports reports;
    private final SpendExporter exporter;
    private final TenantAccess access;

    public SpendResource(SpendReports reports, SpendExporter exporter, TenantAccess access) {
        this.reports = reports;
        this.exporter = exporter;
        this.access = access;
    }

    /**
     * Spend from {@code from} to {@code to} (usage days, both included, at most 366) of one cost type (default ACTUAL),
     * grouped by {@code subscription}, {@code resourceGroup}, {@code service}, {@code resource}, {@code location},
     * {@code day} or {@code tag:{key}}.
     */
    @GET
    @APIResponse(responseCode = "200", description = "Totals per group and currency")
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
    @APIResponse(responseCode = "200", description = "Spend without the tag, per currency")
    public UnallocatedReport unallocated(@QueryParam("tenant") String tenant, @QueryParam("tagKey") String tagKey,
            @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("costType") String costType) {
        UnallocatedQuery query = SpendParameters.unallocated(tenant, tagKey, from, to, costType);
        requireRead(query.scope().tenantId());
        return reports.unallocated(query);
    }

    /**
     * The largest groups of spend per currency — by {@code resource}, {@code resourceGroup}, {@code service} or
     * {@code subscription} — at most {@code limit} (default 10, at most 100) per currency, equal amounts by key.
     */
    @GET
    @Path("top")
    @APIResponse(responseCode = "200", description = "The largest groups per currency")
    public TopReport top(@QueryParam("tenant") String tenant, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("costType") String costType, @QueryParam("by") String by,
            @QueryParam("limit") String limit) {
        TopQuery query = SpendParameters.top(tenant, from, to, costType, by, limit);
        requireRead(query.scope().tenantId());
        return reports.top(query);
    }

    /**
     * Every spend fact of the range and cost type as a CSV file ({@code format=csv}, Canopy's columns, the default;
     * or {@code focus}, FOCUS 1.0 column names), streamed: written while it is read from the database, never held.
     */
    @GET
    @Path("export")
    @Produces(CSV_UTF8)
    @APIResponse(responseCode = "200", description = "The CSV file, streamed")
    public Response export(@QueryParam("tenant") String tenant, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("costType") String costType,
            @QueryParam("format") String format) {
        ExportQuery query = SpendParameters.export(tenant, from, to, costType, format);
        requireRead(query.scope().tenantId());
        // Runs after this method returns, on the same worker thread, as the container writes the body.
        StreamingOutput body = out -> exporter.write(query, out);
        return Response.ok(body, CSV_UTF8)
                .header(HttpHeaders.CONTENT_DISPOSITION,
                        "attachment; filename=\"" + SpendExporter.fileName(query) + "\"")
                .build();
    }

    private void requireRead(String tenantId) {
        access.requireRead(tenantId, "tenant " + tenantId);
    }
}

package dev.canopy.cost.rest;

import java.io.InputStream;
import java.net.URI;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestResponse;

import dev.canopy.cost.imports.CostImports;
import dev.canopy.cost.imports.ImportList;
import dev.canopy.cost.imports.ImportParameters;
import dev.canopy.cost.imports.ImportParameters.ImportQuery;
import dev.canopy.cost.imports.ImportParameters.ListQuery;
import dev.canopy.cost.imports.ImportReport;
import dev.canopy.platform.problem.ProblemException;
import dev.canopy.platform.problem.ProblemResponses;
import dev.canopy.platform.security.PlatformRole;
import dev.canopy.platform.security.TenantAccess;

/**
 * Cost-export imports, for customers who send Cost Management exports instead of granting Cost Management Reader:
 * an {@code admin} of the tenant uploads a file, any role reads the imports; a tenant the caller has no role in
 * answers 404, as one that does not exist.
 */
@Path("/imports")
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHENTICATED)
@APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
public class ImportResource {

    /** The media type of a CSV export as browsers and Azure Storage label it. */
    public static final String TEXT_CSV = "text/csv";

    private final CostImports imports;
    private final TenantAccess access;

    public ImportResource(CostImports imports, TenantAccess access) {
        this.imports = imports;
        this.access = access;
    }

    /**
     * Imports one FOCUS 1.0, EA or MCA cost export (the CSV as the body, streamed): 201 with the import, or 200 with
     * the earlier import when the tenant sent these bytes as these cost types before.
     */
    @POST
    @Consumes({TEXT_CSV, MediaType.APPLICATION_OCTET_STREAM})
    @APIResponse(responseCode = "201", description = "Imported, at its Location")
    @APIResponse(responseCode = "200", description = "These bytes were imported before: that import")
    @APIResponse(responseCode = "400", ref = ProblemResponses.INVALID)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @APIResponse(responseCode = "413", ref = ProblemResponses.TOO_LARGE)
    public RestResponse<ImportReport> importFile(@QueryParam("tenant") String tenant,
            @QueryParam("costType") String costType, InputStream body) {
        ImportQuery query = ImportParameters.forImport(tenant, costType);
        // Access before the body is read: nobody else's upload is parsed, let alone a large one.
        access.require(query.tenantId(), PlatformRole.ADMIN, "tenant " + query.tenantId());
        ImportReport report = imports.importFile(query.tenantId(), query.costType(), body, access.callerId());
        return report.duplicate() ? RestResponse.ok(report)
                : RestResponse.ResponseBuilder.<ImportReport>created(URI.create("/imports/" + report.id()))
                        .entity(report).build();
    }

    /** One import; 404 unless the caller has a role in its tenant. */
    @GET
    @Path("{id}")
    @APIResponse(responseCode = "200", description = "The import")
    public ImportReport get(@PathParam("id") String id) {
        String notFound = "import " + id + " was not found";
        ImportReport report = ImportParameters.importId(id).flatMap(imports::find)
                .orElseThrow(() -> ProblemException.notFound(notFound));
        access.requireRead(report.tenant(), "import " + id);
        return report;
    }

    /** The tenant's latest imports, newest first ({@code limit}: 1 to 1000, default 100). */
    @GET
    @APIResponse(responseCode = "200", description = "The tenant's latest imports")
    @APIResponse(responseCode = "400", ref = ProblemResponses.INVALID)
    public ImportList list(@QueryParam("tenant") String tenant, @QueryParam("limit") String limit) {
        ListQuery query = ImportParameters.forList(tenant, limit);
        access.requireRead(query.tenantId(), "tenant " + query.tenantId());
        return new ImportList(query.tenantId(), imports.list(query.tenantId(), query.limit()));
    }
}

package dev.canopy.platform.probe;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import dev.canopy.platform.problem.ProblemException;
import dev.canopy.platform.security.PlatformRole;
import dev.canopy.platform.security.TenantAccess;

/** A test-only API that uses the shared platform pieces the way the services do. */
@Path("/probe")
public class ProbeResource {

    /** A body with rules to break. */
    public record ProbeBody(@NotBlank String name, @NotNull Mode mode,
            @Size(max = 2) Map<@NotBlank String, @Size(max = 5) String> tags) {
    }

    /** An enum the body must name correctly. */
    public enum Mode {
        MERGE, REPLACE
    }

    @Inject
    TenantAccess access;

    @GET
    @Path("/tenants/{tenantId}")
    public String read(@PathParam("tenantId") String tenantId) {
        access.requireRead(tenantId, "tenant " + tenantId);
        return "visible";
    }

    @PUT
    @Path("/tenants/{tenantId}/policy")
    public void administer(@PathParam("tenantId") String tenantId) {
        access.require(tenantId, PlatformRole.ADMIN, "tenant " + tenantId);
    }

    @POST
    @Path("/bodies")
    public String accept(@Valid @NotNull ProbeBody body) {
        return body.name();
    }

    @GET
    @Path("/conflict")
    public String conflict() {
        throw ProblemException.conflict("the probe is busy");
    }

    @GET
    @Path("/boom")
    public String boom() {
        throw new IllegalStateException("secret internals of the probe");
    }
}

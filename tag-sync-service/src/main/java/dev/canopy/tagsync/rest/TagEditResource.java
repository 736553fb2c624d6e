package dev.canopy.tagsync.rest;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import dev.canopy.platform.problem.ProblemException;
import dev.canopy.platform.problem.ProblemResponses;
import dev.canopy.tagsync.repository.TagEdit;
import dev.canopy.tagsync.service.EditAudit;
import dev.canopy.tagsync.service.EditIntake;
import dev.canopy.tagsync.service.EditIntake.BulkOutcome;
import dev.canopy.tagsync.service.EditPreviewer;

/** Tag edits as such: preview, bulk edit, and the audit trail. */
@Path("/tag-edits")
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHENTICATED)
public class TagEditResource {

    private final EditIntake intake;
    private final EditPreviewer previewer;
    private final EditAudit audit;

    public TagEditResource(EditIntake intake, EditPreviewer previewer, EditAudit audit) {
        this.intake = intake;
        this.previewer = previewer;
        this.audit = audit;
    }

    /** What the edit would do to each resource; writes nothing. */
    @POST
    @Path("preview")
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "200", description = "Per resource: what the edit would do, or what blocks it")
    @APIResponse(responseCode = "400", ref = ProblemResponses.INVALID)
    public PreviewResponse preview(MultiResourceEditBody body) {
        MultiResourceEditBody edit = orEmpty(body);
        return new PreviewResponse(previewer.preview(edit.operation(), edit.tags(), edit.resourceIds()));
    }

    /** One edit over up to 10,000 resources: 202 with an edit id per accepted resource; rejected ones say why. */
    @POST
    @Path("bulk")
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "202", description = "Accepted for at least one resource; rejected ones say why",
            content = @Content(schema = @Schema(implementation = BulkAcceptedResponse.class)))
    @APIResponse(responseCode = "400", ref = ProblemResponses.INVALID)
    public Response bulk(MultiResourceEditBody body) {
        MultiResourceEditBody edit = orEmpty(body);
        BulkOutcome outcome = intake.submitBulk(edit.operation(), edit.tags(), edit.resourceIds());
        if (outcome.accepted().isEmpty()) {
            throw ProblemException.invalid("no resource of the bulk edit could be accepted", outcome.rejected().stream()
                    .map(r -> new dev.canopy.platform.problem.FieldViolation("resourceIds", "rejected",
                            r.resourceId() + ": " + r.reason()))
                    .toList());
        }
        String location = "/tag-edits?batch=" + outcome.batchId();
        List<BulkAcceptedResponse.Accepted> accepted = outcome.accepted().stream()
                .map(e -> new BulkAcceptedResponse.Accepted(e.displayResourceId, e.editId)).toList();
        return Response.accepted(new BulkAcceptedResponse(outcome.batchId(), accepted.size(), outcome.rejected().size(),
                accepted, outcome.rejected(), location)).location(URI.create(location)).build();
    }

    /** One edit's audit trail. */
    @GET
    @Path("{editId}")
    @APIResponse(responseCode = "200", description = "The edit and its audit trail")
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    public TagEditView edit(@PathParam("editId") UUID editId) {
        TagEdit edit = audit.edit(editId);
        return TagEditViews.of(edit, audit.driftOf(editId));
    }

    /**
     * The audit trail, filtered by resource, batch and state ({@code open}, or an outcome), oldest first;
     * {@code limit} 1 to 1000 per page (default 100).
     */
    @GET
    @APIResponse(responseCode = "200", description = "A page of the audit trail")
    @APIResponse(responseCode = "400", ref = ProblemResponses.INVALID)
    public TagEditPage list(@QueryParam("resourceId") String resourceId, @QueryParam("batch") String batchParam,
            @QueryParam("state") String state, @QueryParam("after") String afterParam,
            @QueryParam("limit") String limitParam) {
        UUID batch = QueryParams.uuid(batchParam, "batch");
        long after = QueryParams.whole(afterParam, "after", 0);
        int limit = (int) QueryParams.range(limitParam, "limit", 1, EditAudit.MAX_PAGE, EditAudit.DEFAULT_PAGE);
        List<TagEdit> page = audit.page(resourceId, batch, EditAudit.StateFilter.parse(state), after, limit);
        List<TagEditView> items = page.stream().map(e -> TagEditViews.of(e, List.of())).toList();
        String next = page.size() == limit
                ? String.valueOf(page.get(page.size() - 1).seq) : null;
        return new TagEditPage(items, next);
    }

    private static MultiResourceEditBody orEmpty(MultiResourceEditBody body) {
        return body == null ? new MultiResourceEditBody(null, null, null) : body;
    }
}

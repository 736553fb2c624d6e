package dev.canopy.tagsync.rest;

import java.net.URI;
import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import dev.canopy.platform.problem.ProblemResponses;
import dev.canopy.tagsync.repository.TagEdit;
import dev.canopy.tagsync.service.EditAudit;
import dev.canopy.tagsync.service.EditAudit.ResourceTags;
import dev.canopy.tagsync.service.EditIntake;
import dev.canopy.tagsync.view.CollectedTagSet;

/**
 * A resource's tags: edit them (202, written back asynchronously where the policy allows) and read what Canopy knows
 * of them. The ARM id is the rest of the path, e.g. {@code /resources/subscriptions/…/providers/…/name/tags}; an
 * id sent URL-encoded works as well.
 */
@Path("/resources/{resourceId: .+}/tags")
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "400", ref = ProblemResponses.INVALID)
@APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHENTICATED)
@APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
public class ResourceTagsResource {

    private final EditIntake intake;
    private final EditAudit audit;

    public ResourceTagsResource(EditIntake intake, EditAudit audit) {
        this.intake = intake;
        this.audit = audit;
    }

    /** Accepts an edit (role tag-editor in the resource's tenant); 202 with the edit id and its Location. */
    @PATCH
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "202", description = "Accepted; the edit's outcome follows at its Location",
            content = @Content(schema = @Schema(implementation = EditAcceptedResponse.class)))
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @APIResponse(responseCode = "409", ref = ProblemResponses.CONFLICT)
    public Response edit(@PathParam("resourceId") String resourceId, TagEditBody body) {
        TagEditBody edit = body == null ? new TagEditBody(null, null) : body;
        TagEdit accepted = intake.submit(resourceId, edit.operation(), edit.tags());
        String location = TagEditViews.location(accepted.editId);
        return Response.accepted(new EditAcceptedResponse(accepted.editId, accepted.displayResourceId,
                accepted.state.name(), location)).location(URI.create(location)).build();
    }

    /** Azure's last collected tags, Canopy's platform tags, the pending edits and drift (any role in the tenant). */
    @GET
    @APIResponse(responseCode = "200", description = "What Canopy knows of the resource's tags")
    public ResourceTagsView tags(@PathParam("resourceId") String resourceId) {
        ResourceTags tags = audit.resourceTags(resourceId);
        List<TagEditView> pending = tags.pending().stream().map(e -> TagEditViews.of(e, List.of())).toList();
        return new ResourceTagsView(tags.id().displayId(), tags.azure().map(CollectedTagSet::tags).orElse(null),
                tags.azure().map(CollectedTagSet::observedAt).orElse(null), tags.platform(), pending, tags.drift());
    }
}

package dev.canopy.tagsync.rest;

import java.util.List;
import java.util.UUID;

import dev.canopy.tagsync.service.EditIntake.Rejection;

/** Answer to a bulk edit: one edit id per accepted resource under one batch id, and the rejected resources. */
public record BulkAcceptedResponse(UUID batchId, int acceptedCount, int rejectedCount, List<Accepted> accepted,
        List<Rejection> rejected, String location) {

    /** A resource that proceeds, with its edit id. */
    public record Accepted(String resourceId, UUID editId) {
    }
}

package dev.canopy.tagsync.rest;

import java.util.UUID;

/** Answer to an accepted single edit: its id, and where its audit trail and outcome will be. */
public record EditAcceptedResponse(UUID editId, String resourceId, String state, String location) {
}

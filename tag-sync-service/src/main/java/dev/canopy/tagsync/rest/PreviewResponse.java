package dev.canopy.tagsync.rest;

import java.util.List;

import dev.canopy.tagsync.service.EditPreviewer.ResourcePreview;

/** What an edit would do to each resource; nothing was written. */
public record PreviewResponse(List<ResourcePreview> resources) {
}

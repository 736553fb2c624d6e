package dev.canopy.tagsync.rest;

import java.util.List;

/** A page of the audit trail; {@code next} is the cursor for the following page, or null at the end. */
public record TagEditPage(List<TagEditView> items, String next) {
}

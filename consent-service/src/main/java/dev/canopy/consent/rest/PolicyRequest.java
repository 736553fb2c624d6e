package dev.canopy.consent.rest;

/**
 * The body of {@code PUT /subscriptions/{id}/policy}.
 *
 * @param policy one of NO_RESOURCES, NO_TAGS, READ_TAGS_ONLY, READ_WRITE_TAGS (a string, so an unknown value gets
 *     a problem that names the field and the allowed values)
 */
public record PolicyRequest(String policy) {
}

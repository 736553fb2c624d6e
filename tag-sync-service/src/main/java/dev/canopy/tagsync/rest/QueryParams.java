package dev.canopy.tagsync.rest;

import java.util.UUID;

import dev.canopy.platform.problem.ProblemException;

/**
 * Parses query parameters by hand so a malformed one is a 400 problem naming it — JAX-RS answers a query parameter it
 * cannot convert with a bare 404.
 */
final class QueryParams {

    private QueryParams() {
    }

    /** @return the UUID, or null when absent */
    static UUID uuid(String value, String name) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid(name, "uuid", name + " must be a UUID");
        }
    }

    /** @return the whole number, or {@code absent} when the parameter is missing */
    static long whole(String value, String name, long absent) {
        if (value == null || value.isBlank()) {
            return absent;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ProblemException.invalid(name, "integer", name + " must be a whole number");
        }
    }
}

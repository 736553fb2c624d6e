package dev.canopy.tagsync.rest;

import static dev.canopy.platform.problem.FieldViolation.echo;

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

    /** @return the whole number from {@code min} to {@code max}, or {@code absent} when the parameter is missing */
    static long range(String value, String name, long min, long max, long absent) {
        if (value == null || value.isBlank()) {
            return absent;
        }
        long number = parsedOr(value, min - 1); // not a number: out of range, with the same answer
        if (number < min || number > max) {
            throw ProblemException.invalid(name, "range", name + " must be a whole number from " + min + " to " + max
                    + " (default " + absent + "), was '" + echo(value) + "'");
        }
        return number;
    }

    private static long parsedOr(String value, long otherwise) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }
}

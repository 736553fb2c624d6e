package dev.canopy.platform.problem;

/**
 * One broken rule in a request: which field, which rule, and a sentence a person can act on.
 *
 * @param field the path of the offending field, e.g. {@code tags['cost/center']} or {@code policy}
 * @param rule a stable name of the rule, e.g. {@code NotBlank}, {@code InvalidTagNameCharacters}, {@code OneOf}
 * @param message what is wrong and what would be accepted
 */
public record FieldViolation(String field, String rule, String message) {

    private static final int ECHO_LIMIT = 80;

    /** A caller's wrong value as a message quotes it: enough to recognise it, never a whole pasted document. */
    public static String echo(String value) {
        return value.length() <= ECHO_LIMIT ? value : value.substring(0, ECHO_LIMIT) + "…";
    }
}

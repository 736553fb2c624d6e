package dev.canopy.platform.problem;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem document, the body of every error Canopy's APIs answer ({@code application/problem+json}).
 *
 * @param type a URI naming the kind of problem; stable, so clients can branch on it
 * @param title a short summary of that kind
 * @param status the HTTP status
 * @param detail what went wrong with this request
 * @param correlationId for server errors: the id of the log line that has the details
 * @param violations for validation problems: every broken rule, not just the first
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String correlationId,
        List<FieldViolation> violations) {

    /** The media type of a problem document. */
    public static final String MEDIA_TYPE = "application/problem+json";

    /** Where Canopy's problem types live; the last path segment names the kind. */
    public static final String TYPE_BASE = "https://canopy.dev/problems/";
}

package dev.canopy.platform.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * For endpoints that take no body (e.g. {@code POST /onboarding/sessions}). JAX-RS never reads the body of a method
 * without an entity parameter, so malformed JSON sent to one would be answered 2xx as if nothing were wrong. Such a
 * method declares a {@code String} body (read whatever the content type, or none) and passes it here: none, an empty
 * one or any well-formed JSON is accepted; anything else is the same 400 ({@code ReadableJson}) as on every endpoint
 * that reads JSON.
 */
public final class NoBody {

    /** What the OpenAPI document says of such a body. */
    public static final String DESCRIPTION = "None: this takes no body. One sent anyway must be well-formed JSON "
            + "(it is ignored); malformed JSON is a 400.";

    private static final ObjectMapper JSON = new ObjectMapper();

    private NoBody() {
    }

    /** @throws ProblemException 400 if {@code body} is not blank and not well-formed JSON */
    public static void check(String body) {
        if (body == null || body.isBlank()) {
            return;
        }
        try {
            JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw ProblemMappers.unreadable(e);
        }
    }
}

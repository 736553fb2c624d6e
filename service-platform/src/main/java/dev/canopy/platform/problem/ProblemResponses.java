package dev.canopy.platform.problem;

import static org.eclipse.microprofile.openapi.OASFactory.createAPIResponse;
import static org.eclipse.microprofile.openapi.OASFactory.createComponents;
import static org.eclipse.microprofile.openapi.OASFactory.createContent;
import static org.eclipse.microprofile.openapi.OASFactory.createMediaType;
import static org.eclipse.microprofile.openapi.OASFactory.createObject;
import static org.eclipse.microprofile.openapi.OASFactory.createSchema;

import org.eclipse.microprofile.openapi.OASModelReader;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

/**
 * The error answers of Canopy's APIs as reusable OpenAPI responses, declared once for every service. An operation
 * names the ones it can give, e.g. {@code @APIResponse(responseCode = "400", ref = ProblemResponses.INVALID)}; each is
 * an {@code application/problem+json} {@link Problem}, except 401, which the HTTP layer answers without a body.
 * A service uses it with {@code mp.openapi.model.reader=dev.canopy.platform.problem.ProblemResponses}.
 */
public final class ProblemResponses implements OASModelReader {

    /** 400 {@code validation-failed}: a malformed body or parameter, with every broken rule. */
    public static final String INVALID = "Invalid";
    /** 401: no valid bearer token. */
    public static final String UNAUTHENTICATED = "Unauthenticated";
    /** 403 {@code forbidden}: a role too low in a tenant the caller sees. */
    public static final String FORBIDDEN = "Forbidden";
    /** 404 {@code not-found}: unknown, or another tenant's. */
    public static final String NOT_FOUND = "NotFound";
    /** 409 {@code conflict}: the request conflicts with the current state. */
    public static final String CONFLICT = "Conflict";
    /** 413: the body is larger than the endpoint takes. */
    public static final String TOO_LARGE = "TooLarge";

    @Override
    public OpenAPI buildModel() {
        return createObject(OpenAPI.class).components(createComponents()
                .addSchema("Problem", problemSchema())
                .addSchema("FieldViolation", object()
                        .addProperty("field", string("the offending field, e.g. tags.costCenter or limit"))
                        .addProperty("rule", string("the rule it broke, e.g. VALUE_NOT_STRING or range"))
                        .addProperty("message", string("what is wrong and what would be accepted")))
                .addResponse(INVALID, problem("The request breaks a rule; violations name every field and rule"))
                .addResponse(UNAUTHENTICATED, createAPIResponse().description("No valid bearer token (no body)"))
                .addResponse(FORBIDDEN, problem("The caller sees the tenant but lacks the role this needs"))
                .addResponse(NOT_FOUND, problem("Not found, or in a tenant the caller has no role in (the same answer)"))
                .addResponse(CONFLICT, problem("The request conflicts with the current state"))
                .addResponse(TOO_LARGE, problem("The body is larger than this endpoint takes")));
    }

    private static APIResponse problem(String description) {
        return createAPIResponse().description(description).content(createContent().addMediaType(Problem.MEDIA_TYPE,
                createMediaType().schema(createSchema().ref("Problem"))));
    }

    private static Schema problemSchema() {
        return object().description("An RFC 9457 problem document")
                .addProperty("type", string("a URI naming the kind of problem, e.g. "
                        + Problem.TYPE_BASE + "validation-failed"))
                .addProperty("title", string("a short summary of that kind"))
                .addProperty("status", createSchema().addType(SchemaType.INTEGER).description("the HTTP status"))
                .addProperty("detail", string("what went wrong with this request"))
                .addProperty("correlationId", string("for server errors: the id of the log line with the details"))
                .addProperty("violations", createSchema().addType(SchemaType.ARRAY)
                        .items(createSchema().ref("FieldViolation")).description("every broken rule"));
    }

    private static Schema object() {
        return createSchema().addType(SchemaType.OBJECT);
    }

    private static Schema string(String description) {
        return createSchema().addType(SchemaType.STRING).description(description);
    }
}

package dev.canopy.platform.problem;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.quarkus.logging.Log;

/** Turns every failure of a request into a problem document: the one place Canopy's APIs decide error bodies. */
public class ProblemMappers {

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return respond(e.problem());
    }

    @ServerExceptionMapper
    public Response constraintViolations(ConstraintViolationException e) {
        List<FieldViolation> violations = e.getConstraintViolations().stream()
                .map(ProblemMappers::toFieldViolation)
                .sorted(Comparator.comparing(FieldViolation::field))
                .toList();
        String detail = violations.stream().map(v -> v.field() + ": " + v.message())
                .collect(Collectors.joining("; "));
        return respond(ProblemException.invalid(detail, violations).problem());
    }

    // A body that is not JSON, or JSON of the wrong shape (a string where an object belongs, an unknown enum
    // value): the caller learns which field and why, never a Java class name.
    @ServerExceptionMapper
    public Response unreadableBody(JsonProcessingException e) {
        return respond(unreadable(e).problem());
    }

    /** The 400 for a body that is not JSON or not of the expected shape: the field and why, never a class name. */
    static ProblemException unreadable(JsonProcessingException e) {
        String field = e instanceof JsonMappingException mapping ? fieldPath(mapping) : "";
        String reason = e.getOriginalMessage();
        int classMention = reason.indexOf(" of type `");
        if (classMention > 0) {
            reason = reason.substring(0, classMention);
        }
        String shown = field.isEmpty() ? "(body)" : field;
        return ProblemException.invalid("the request body could not be read at " + shown + ": " + reason,
                List.of(new FieldViolation(shown, "ReadableJson", reason)));
    }

    // Quarkus REST ships its own mapper for this subtype (plain text); one for the exact type takes precedence.
    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e) {
        return unreadableBody(e);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        // Quarkus REST wraps a body that is not JSON at all in a 400 before any mapper for the parser's exception runs.
        if (e.getCause() instanceof JsonProcessingException unreadable) {
            return unreadableBody(unreadable);
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e);
        }
        String reason = e.getResponse().getStatusInfo().getReasonPhrase();
        String slug = reason.toLowerCase(Locale.ROOT).replace(' ', '-');
        return respond(new Problem(Problem.TYPE_BASE + slug, reason, status, e.getMessage(), null, null));
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        String correlationId = UUID.randomUUID().toString();
        // The stack trace goes to the log under the id, never to the caller.
        Log.errorf(e, "unexpected failure, correlation id %s", correlationId);
        return respond(new Problem(Problem.TYPE_BASE + "internal-error", "Internal error", 500,
                "the request failed unexpectedly; quote the correlation id when reporting it", correlationId, null));
    }

    private static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    private static FieldViolation toFieldViolation(ConstraintViolation<?> violation) {
        String rule = violation.getConstraintDescriptor().getAnnotation().annotationType().getSimpleName();
        return new FieldViolation(propertyPath(violation.getPropertyPath()), rule, violation.getMessage());
    }

    // Bean Validation paths on resource methods start with the method and parameter ("update.body.policy");
    // the caller knows the body's fields, so those nodes are dropped unless the parameter itself is the field
    // (a query or path parameter).
    private static String propertyPath(Path path) {
        String parameter = null;
        StringBuilder field = new StringBuilder();
        for (Path.Node node : path) {
            switch (node.getKind()) {
                case METHOD, CONSTRUCTOR, RETURN_VALUE, CROSS_PARAMETER -> {
                }
                case PARAMETER -> parameter = node.getName();
                default -> appendNode(field, node);
            }
        }
        if (field.length() > 0) {
            return field.toString();
        }
        return parameter == null ? "" : parameter;
    }

    private static void appendNode(StringBuilder field, Path.Node node) {
        // Container elements are named like "<map value>"; their key or index is what the caller recognises.
        String name = node.getName();
        if (name != null && !name.startsWith("<")) {
            if (field.length() > 0) {
                field.append('.');
            }
            field.append(name);
        }
        if (node.getKey() != null) {
            field.append("['").append(node.getKey()).append("']");
        } else if (node.getIndex() != null) {
            field.append('[').append(node.getIndex()).append(']');
        }
    }

    private static String fieldPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}

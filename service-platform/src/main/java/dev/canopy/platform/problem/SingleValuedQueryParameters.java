package dev.canopy.platform.problem;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Collectors;

import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses a request that gives a query parameter more than once, in every service: each parameter of Canopy's APIs
 * takes one value, and JAX-RS would silently answer with the first ({@code groupBy=subscription&groupBy=service}).
 * Every repeated parameter is named in one 400 ({@code SingleValued}), in name order, before the endpoint reads any.
 */
public class SingleValuedQueryParameters {

    /** The rule a repeated query parameter breaks. */
    public static final String RULE = "SingleValued";

    // Runs after authentication (the HTTP layer's permission policy), so a caller without a token still gets 401.
    @ServerRequestFilter
    public void refuseRepeated(UriInfo uri) {
        List<FieldViolation> violations = new ArrayList<>();
        // By name: the query map's own order is not the request's, and an answer should not vary between calls.
        new TreeMap<>(uri.getQueryParameters()).forEach((name, values) -> {
            if (values.size() > 1) {
                violations.add(new FieldViolation(name, RULE, name + " was given more than once (" + values.size()
                        + " times: " + values.stream().map(v -> "'" + FieldViolation.echo(v) + "'")
                        .collect(Collectors.joining(", ")) + "); give it once"));
            }
        });
        if (!violations.isEmpty()) {
            throw ProblemException.invalid(violations.stream().map(FieldViolation::message)
                    .collect(Collectors.joining("; ")), violations);
        }
    }
}

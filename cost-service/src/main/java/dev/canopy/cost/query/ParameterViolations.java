package dev.canopy.cost.query;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import dev.canopy.platform.problem.FieldViolation;
import dev.canopy.platform.problem.ProblemException;

/**
 * The broken rules of one request's query parameters, collected so that one 400 answers all of them (field and rule
 * named) and a caller fixes a request once. Shared by the spend and the imports API.
 */
public final class ParameterViolations {

    private final List<FieldViolation> violations = new ArrayList<>();

    /** Records a broken rule. */
    public void broken(String field, String rule, String message) {
        violations.add(new FieldViolation(field, rule, message));
    }

    /** @throws ProblemException 400 listing every broken rule, if there is one */
    public void throwIfBroken() {
        if (!violations.isEmpty()) {
            throw ProblemException.invalid(violations.stream().map(v -> v.field() + ": " + v.message())
                    .collect(Collectors.joining("; ")), violations);
        }
    }

    public static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}

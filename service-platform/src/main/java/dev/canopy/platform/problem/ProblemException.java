package dev.canopy.platform.problem;

import java.util.List;

/** A failure that carries the problem document the caller should get; thrown anywhere, mapped in one place. */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;

    /** Wraps a ready problem document. */
    public ProblemException(Problem problem) {
        super(problem.title() + ": " + problem.detail());
        this.problem = problem;
    }

    /** The document to answer with. */
    public Problem problem() {
        return problem;
    }

    /** 400: the request broke the listed rules. */
    public static ProblemException invalid(String detail, List<FieldViolation> violations) {
        return new ProblemException(new Problem(Problem.TYPE_BASE + "validation-failed", "Request is not valid", 400,
                detail, null, List.copyOf(violations)));
    }

    /** 400 for one field. */
    public static ProblemException invalid(String field, String rule, String message) {
        return invalid(message, List.of(new FieldViolation(field, rule, message)));
    }

    /**
     * 404: the thing does not exist for this caller. Also the answer for another tenant's ids, so that a caller
     * cannot learn which ids exist elsewhere.
     */
    public static ProblemException notFound(String detail) {
        return new ProblemException(new Problem(Problem.TYPE_BASE + "not-found", "Not found", 404, detail, null, null));
    }

    /** 403: the caller may see the thing but lacks the role to do this to it. */
    public static ProblemException forbidden(String detail) {
        return new ProblemException(new Problem(Problem.TYPE_BASE + "forbidden", "Forbidden", 403, detail, null, null));
    }

    /** 409: the request conflicts with the current state. */
    public static ProblemException conflict(String detail) {
        return new ProblemException(new Problem(Problem.TYPE_BASE + "conflict", "Conflict", 409, detail, null, null));
    }
}

package dev.canopy.tagsync.service;

/**
 * A failure retrying would not cure, met by a numbered write attempt of an edit: the number lets the give-up decide
 * the edit only if no later attempt (another copy of the writer) has taken it over.
 */
class AttemptFailedException extends RuntimeException {

    private final int attempt;

    AttemptFailedException(int attempt, RuntimeException cause) {
        super(cause.getMessage(), cause);
        this.attempt = attempt;
    }

    int attempt() {
        return attempt;
    }
}

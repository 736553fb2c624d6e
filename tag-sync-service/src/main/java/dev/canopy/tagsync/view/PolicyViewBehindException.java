package dev.canopy.tagsync.view;

/**
 * {@link PolicyView#awaitCaughtUp} could not confirm within its timeout that the view holds every policy record the
 * topic had when it was called. The caller must not act on the policy (e.g. not write to Azure) and should retry later.
 */
public class PolicyViewBehindException extends RuntimeException {

    public PolicyViewBehindException(String message) {
        super(message);
    }

    public PolicyViewBehindException(String message, Throwable cause) {
        super(message, cause);
    }
}

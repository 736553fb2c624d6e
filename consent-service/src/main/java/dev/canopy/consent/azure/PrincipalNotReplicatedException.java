package dev.canopy.consent.azure;

/** Azure answered PrincipalNotFound: Canopy's new service principal has not reached ARM yet; worth retrying. */
public class PrincipalNotReplicatedException extends RuntimeException {

    public PrincipalNotReplicatedException(String message, Throwable cause) {
        super(message, cause);
    }
}

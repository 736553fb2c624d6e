package dev.canopy.consent.azure;

/** An Azure call failed for good; carries Azure's error code and message for the onboarding result. */
public class AzureCallFailedException extends RuntimeException {

    private final String code;

    public AzureCallFailedException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** Azure's error code, e.g. AuthorizationFailed. */
    public String code() {
        return code;
    }

    /** Code and message, for an onboarding result. */
    public String describe() {
        return code + ": " + getMessage();
    }
}

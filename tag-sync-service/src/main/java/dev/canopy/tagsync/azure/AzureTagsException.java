package dev.canopy.tagsync.azure;

import com.azure.core.exception.ClientAuthenticationException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A Tags API call that failed for good (after the pipeline's retries), with what Azure said: the HTTP status and
 * the code and message of ARM's error envelope.
 */
public class AzureTagsException extends RuntimeException {

    /** Status of a call that got no answer (dropped connection, timeout) or no token. */
    public static final int NO_ANSWER = 0;

    private final int status;
    private final String code;
    private final String azureMessage;

    /**
     * @param status the HTTP status, or {@link #NO_ANSWER}
     * @param code ARM's {@code error.code}, or a name of ours when Azure sent none
     * @param azureMessage ARM's {@code error.message}, or what went wrong
     * @param cause what the SDK threw, if anything
     */
    public AzureTagsException(int status, String code, String azureMessage, Throwable cause) {
        super(status == NO_ANSWER ? azureMessage : "HTTP " + status + " " + code + ": " + azureMessage, cause);
        this.status = status;
        this.code = code;
        this.azureMessage = azureMessage;
    }

    /**
     * Reads ARM's error envelope ({@code {"error":{"code","message"}}}); a body that is not one is quoted shortened.
     *
     * @param status the HTTP status of the answer
     * @param body the answer's body, possibly empty
     * @param json the mapper to read it with
     */
    static AzureTagsException fromAnswer(int status, String body, ObjectMapper json) {
        try {
            JsonNode error = json.readTree(body == null || body.isBlank() ? "{}" : body).path("error");
            if (error.hasNonNull("code")) {
                return new AzureTagsException(status, error.path("code").asText(), error.path("message").asText(""), null);
            }
        } catch (java.io.IOException ignored) {
            // not JSON: quoted below
        }
        return new AzureTagsException(status, "HttpStatus" + status, firstLine(body == null ? "" : body.strip()), null);
    }

    /**
     * A call that got no answer after the pipeline's retries, or no token for Canopy's principal (code
     * {@code NoToken}: the tenant revoked consent or removed the app).
     */
    static AzureTagsException noAnswer(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ClientAuthenticationException) {
                return new AzureTagsException(NO_ANSWER, "NoToken", "no token for Canopy's principal: "
                        + firstLine(t.getMessage()), e);
            }
        }
        return new AzureTagsException(NO_ANSWER, "NoAnswer", "no answer from Azure: " + firstLine(e.getMessage()), e);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        return line.length() > 300 ? line.substring(0, 300) : line;
    }

    /** @return the HTTP status, or {@link #NO_ANSWER} */
    public int status() {
        return status;
    }

    /** @return ARM's error code, e.g. {@code AuthorizationFailed} */
    public String code() {
        return code;
    }

    /** @return ARM's error message */
    public String azureMessage() {
        return azureMessage;
    }

    /** @return whether Azure refused Canopy's principal (403, or 401 / no token: consent or role gone) */
    public boolean permissionDenied() {
        return status == 401 || status == 403 || "NoToken".equals(code);
    }
}

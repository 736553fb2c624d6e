package dev.canopy.collector.azure;

/** An Azure call that failed for good (after retries), with the HTTP status if there was one. */
public class AzureCallException extends RuntimeException {

    private final int status;

    public AzureCallException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** @return the HTTP status, or 0 when no answer came (dropped connection, timeout) */
    public int status() {
        return status;
    }

    /** @return whether Azure refused Canopy's principal (role removed, tenant gone) */
    public boolean accessDenied() {
        return status == 401 || status == 403;
    }

    /** Wraps whatever the SDK threw. */
    public static AzureCallException of(String what, RuntimeException e) {
        if (e instanceof AzureCallException already) {
            return already;
        }
        Throwable t = e;
        while (t != null) {
            if (t instanceof com.azure.core.exception.HttpResponseException http && http.getResponse() != null) {
                return new AzureCallException(http.getResponse().getStatusCode(),
                        what + " failed with HTTP " + http.getResponse().getStatusCode() + ": " + firstLine(http.getMessage()), e);
            }
            if (t instanceof com.azure.core.exception.ClientAuthenticationException) {
                return new AzureCallException(401, what + " failed: no token for Canopy's principal: "
                        + firstLine(t.getMessage()), e);
            }
            t = t.getCause();
        }
        return new AzureCallException(0, what + " failed: " + firstLine(e.getMessage()), e);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        return line.length() > 300 ? line.substring(0, 300) : line;
    }
}

package dev.canopy.events.json;

/** An event could not be written or read as JSON: the message names the event type and the cause. */
public class EventJsonException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The CloudEvents type or class the payload was meant to be. */
    private final String eventType;

    /**
     * @param eventType the CloudEvents type (or class name) involved
     * @param message what went wrong
     * @param cause the underlying failure, or {@code null}
     */
    public EventJsonException(String eventType, String message, Throwable cause) {
        super(message, cause);
        this.eventType = eventType;
    }

    /** @return the CloudEvents type (or class name) the payload was meant to be */
    public String eventType() {
        return eventType;
    }
}

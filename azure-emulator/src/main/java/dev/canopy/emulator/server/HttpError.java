package dev.canopy.emulator.server;

/** A failure a handler throws that already knows its HTTP answer (ARM envelope, Entra error JSON, ...). */
public abstract class HttpError extends RuntimeException {

    protected HttpError(String message) {
        super(message);
    }

    /** @return the response to send */
    public abstract Response toResponse();
}

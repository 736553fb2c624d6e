package dev.canopy.tagsync.azure;

import java.util.function.Supplier;

import com.azure.core.http.HttpResponse;

/**
 * Has the last word on a request that changes Azure: given the request when it is about to leave (after any pacing or
 * Retry-After wait, and again before every resend), it either sends it or refuses by throwing
 * {@link WriteVetoedException} without sending. Because it wraps the send, a guard can hold something — a lock — for
 * exactly as long as the request is in flight.
 */
@FunctionalInterface
public interface SendGuard {

    /** Nothing to check: sends. */
    SendGuard NONE = Supplier::get;

    /**
     * @param send sends the request once and returns Azure's response
     * @return the response of {@code send}
     * @throws WriteVetoedException if the write must not be sent any more; {@code send} was not called
     */
    HttpResponse send(Supplier<HttpResponse> send);
}

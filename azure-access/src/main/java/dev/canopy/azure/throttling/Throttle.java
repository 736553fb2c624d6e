package dev.canopy.azure.throttling;

import java.time.Duration;

import com.azure.core.http.HttpHeaders;

/**
 * One of Azure's throttling scopes as Canopy keeps count of it (a subscription's ARM writes bucket, a tenant's Cost
 * Management windows), shared by every call into that scope; {@link ThrottlingPolicy} draws a {@link Ticket} for each
 * call it sends and tells the ticket how Azure answered.
 */
public interface Throttle {

    /**
     * Takes room for one call.
     *
     * @return the call's ticket: how long to wait before sending, and where to report the answer
     */
    Ticket reserve();

    /** One call's place in a throttle. */
    interface Ticket {

        /** @return how long the caller waits before sending (zero when there is room now) */
        Duration delay();

        /**
         * Azure answered with anything but 429: the call counted, and the answer's {@code x-ms-ratelimit-*} headers
         * say what is left.
         *
         * @param headers the answer's headers
         */
        void answered(HttpHeaders headers);

        /**
         * Azure answered 429: the call did not count, and nothing of the scope may go before {@code retryAfter}.
         *
         * @param headers the answer's headers (which of Azure's retry-after headers it carries may tell the scope)
         * @param retryAfter the longest retry-after among them
         */
        void throttled(HttpHeaders headers, Duration retryAfter);

        /** No answer came (dropped connection, timeout): Azure may or may not have counted the call. */
        default void abandoned() {
        }
    }
}

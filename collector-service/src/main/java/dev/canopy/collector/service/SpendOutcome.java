package dev.canopy.collector.service;

/**
 * How the spend part of a run ended.
 *
 * @param reason why spend is unavailable or partial; {@code null} when collected
 */
public record SpendOutcome(State state, String reason, long published) {

    /** The spend states shown per run. */
    public enum State {
        /** Every day of the window was queried and its changes published. */
        COLLECTED,
        /** Canopy may not read cost (no Cost Management Reader, or 403): resources are still collected. */
        UNAVAILABLE,
        /** Cost Management failed part-way (5xx beyond retries); what was published stays. */
        PARTIAL,
        /** The run did not get to spend (access lost). */
        SKIPPED
    }
}

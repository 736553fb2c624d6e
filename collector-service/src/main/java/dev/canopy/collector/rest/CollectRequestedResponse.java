package dev.canopy.collector.rest;

/**
 * The answer to {@code POST /subscriptions/{id}/collect}.
 *
 * @param requested a run is requested; it starts at the owning instance's next tick
 */
public record CollectRequestedResponse(String subscriptionId, boolean requested) {
}

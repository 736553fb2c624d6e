package dev.canopy.tagsync.azure;

/**
 * Asked by the writer immediately before every request that changes Azure (after any pacing or Retry-After wait),
 * so that the decision to write is taken as late as possible. Throwing {@link WriteVetoedException} stops the write.
 */
@FunctionalInterface
public interface SendGuard {

    /** Nothing to check. */
    SendGuard NONE = () -> {
    };

    /** @throws WriteVetoedException if the write must not be sent any more */
    void beforeSend();
}

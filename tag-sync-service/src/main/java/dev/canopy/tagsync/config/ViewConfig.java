package dev.canopy.tagsync.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the read-side views ({@code canopy.views.*}). */
@ConfigMapping(prefix = "canopy.views")
public interface ViewConfig {

    /**
     * How often a waiting {@code PolicyView.awaitCaughtUp} rereads the positions other instances committed, and after
     * how long it checks whether the offsets it still waits for hold records at all.
     */
    @WithDefault("PT0.1S")
    Duration policyRecheck();

    /**
     * How long the writer waits for the policy view to reach the policy topic's end before an edit; past it the edit
     * fails with the reason and nothing is written.
     */
    @WithDefault("PT30S")
    Duration policyWait();

    /** Attempts to apply a record before it is dead-lettered (an unreachable database is retried without limit). */
    @WithDefault("5")
    int attempts();

    /** Pause after the first failed attempt; it doubles with each further attempt, up to 5 s. */
    @WithDefault("PT0.2S")
    Duration retryDelay();
}

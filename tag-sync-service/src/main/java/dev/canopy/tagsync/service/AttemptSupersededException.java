package dev.canopy.tagsync.service;

import dev.canopy.tagsync.azure.WriteVetoedException;

/**
 * A write stopped because its attempt is no longer the edit's current one: another copy of the writer (after a
 * rebalance or a redelivery) took the edit over, and it — not this attempt — records the outcome.
 */
class AttemptSupersededException extends WriteVetoedException {

    AttemptSupersededException(String reason) {
        super(null, reason);
    }
}

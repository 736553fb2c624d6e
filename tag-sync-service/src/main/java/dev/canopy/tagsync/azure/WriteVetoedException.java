package dev.canopy.tagsync.azure;

import dev.canopy.events.policy.SyncPolicy;

/** A {@link SendGuard} refused a write at the last moment, e.g. because the sync policy was downgraded. */
public class WriteVetoedException extends RuntimeException {

    private final SyncPolicy policy;

    public WriteVetoedException(SyncPolicy policy, String reason) {
        super(reason);
        this.policy = policy;
    }

    /** A write stopped because the policy could not be checked, e.g. the view could not catch up. */
    public WriteVetoedException(String reason, Throwable cause) {
        super(reason, cause);
        this.policy = null;
    }

    /** The policy that stopped the write, or {@code null} if none was seen. */
    public SyncPolicy policy() {
        return policy;
    }
}

package dev.canopy.events.policy;

/**
 * What Canopy may do in one subscription: the four sync policies of DESIGN.md ("Sync policies").
 *
 * <p>The table, exactly:
 * <pre>
 * policy            resources collected  tags collected  platform tag edits     written to Azure
 * NO_RESOURCES      no                   no              rejected               never
 * NO_TAGS           yes                  no              rejected               never
 * READ_TAGS_ONLY    yes                  yes             kept in Canopy only    never
 * READ_WRITE_TAGS   yes                  yes             kept and written back  yes, tags only
 * </pre>
 */
public enum SyncPolicy {

    /** Nothing is collected; earlier resource snapshots are tombstoned. */
    NO_RESOURCES(false, false, false, false),
    /** Resources are collected, tags are not; earlier tag snapshots are tombstoned. */
    NO_TAGS(true, false, false, false),
    /** Resources and tags are collected; platform tag edits stay in Canopy. */
    READ_TAGS_ONLY(true, true, true, false),
    /** Resources and tags are collected; platform tag edits are written back to Azure (tags only). */
    READ_WRITE_TAGS(true, true, true, true);

    /** The policy a newly onboarded subscription gets. */
    public static final SyncPolicy DEFAULT = READ_WRITE_TAGS;

    private final boolean collectsResources;
    private final boolean collectsTags;
    private final boolean acceptsPlatformEdits;
    private final boolean writesToAzure;

    SyncPolicy(boolean collectsResources, boolean collectsTags, boolean acceptsPlatformEdits, boolean writesToAzure) {
        this.collectsResources = collectsResources;
        this.collectsTags = collectsTags;
        this.acceptsPlatformEdits = acceptsPlatformEdits;
        this.writesToAzure = writesToAzure;
    }

    /** @return whether the collector lists and publishes this subscription's resources and resource groups */
    public boolean collectsResources() {
        return collectsResources;
    }

    /** @return whether the collector publishes tag snapshots for this subscription */
    public boolean collectsTags() {
        return collectsTags;
    }

    /** @return whether tag-sync stores platform tag edits (in Canopy, and in Azure only if {@link #writesToAzure()}) */
    public boolean acceptsPlatformEdits() {
        return acceptsPlatformEdits;
    }

    /** @return whether tag-sync may call the ARM Tags API for this subscription */
    public boolean writesToAzure() {
        return writesToAzure;
    }

    /**
     * The write-back check for a service that may not have seen a policy yet.
     *
     * @param seenOrNull the policy last seen on the policy topic for the subscription, or {@code null} if none was seen
     * @return {@code true} only if a policy was seen and it allows writing; an unseen policy means "write nothing"
     */
    public static boolean mayWriteToAzure(SyncPolicy seenOrNull) {
        return seenOrNull != null && seenOrNull.writesToAzure();
    }
}

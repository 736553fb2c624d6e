package dev.canopy.tagsync.repository;

/** Where an accepted edit is on its way to its one terminal outcome. */
public enum EditState {
    /** Accepted and published; the writer has not decided yet. */
    PENDING,
    /** The writer may have sent the Tags API request; a restart reads Azure back before deciding. */
    WRITING,
    /** Decided: the outcome is final and was published. */
    DONE
}

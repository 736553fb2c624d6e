package dev.canopy.tagsync.view;

import java.util.Objects;

/**
 * Fired synchronously (CDI {@code Event#fire}) inside the transaction that stored a tag snapshot in
 * {@link CollectedTags}, so an observer can compare the collected tags with the platform's in the same transaction.
 * Not fired for a snapshot that was older than the stored one, for a redelivered event, or for a tombstone. An
 * observer that throws rolls the snapshot back; it is retried and, if it keeps failing, dead-lettered.
 *
 * @param previous the set stored before, or {@code null} if the resource had none
 * @param current the set stored now
 */
public record TagSnapshotApplied(CollectedTagSet previous, CollectedTagSet current) {

    public TagSnapshotApplied {
        Objects.requireNonNull(current, "current");
    }
}

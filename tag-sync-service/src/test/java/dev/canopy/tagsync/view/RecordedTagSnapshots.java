package dev.canopy.tagsync.view;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Status;
import jakarta.transaction.SystemException;
import jakarta.transaction.TransactionManager;

/** A stand-in for the edit side's drift detector: records each TagSnapshotApplied with what it could see then. */
@ApplicationScoped
public class RecordedTagSnapshots {

    /**
     * @param applied the event
     * @param inTransaction whether a transaction was active in the observer
     * @param visible what {@link CollectedTags} answered in the observer (the snapshot, if it ran in that transaction)
     */
    public record Observed(TagSnapshotApplied applied, boolean inTransaction, Optional<CollectedTagSet> visible) {
    }

    private final List<Observed> observed = new CopyOnWriteArrayList<>();
    private final TransactionManager transactions;
    private final CollectedTags tags;

    public RecordedTagSnapshots(TransactionManager transactions, CollectedTags tags) {
        this.transactions = transactions;
        this.tags = tags;
    }

    void on(@Observes TagSnapshotApplied applied) throws SystemException {
        observed.add(new Observed(applied, transactions.getStatus() == Status.STATUS_ACTIVE,
                tags.tagsOf(applied.current().resourceId())));
    }

    /** What was observed for one resource, oldest first. */
    public List<Observed> of(String resourceId) {
        return observed.stream().filter(o -> o.applied().current().resourceId().equals(resourceId)).toList();
    }
}

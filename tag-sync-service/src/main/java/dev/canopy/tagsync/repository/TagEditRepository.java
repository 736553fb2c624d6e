package dev.canopy.tagsync.repository;

import java.util.Collection;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;

/** Reads and locks tag edits. */
@ApplicationScoped
public class TagEditRepository implements PanacheRepositoryBase<TagEdit, UUID> {

    /** The edit, locked for this transaction: the writer and a redelivery of the same edit take turns. */
    public TagEdit lock(UUID editId) {
        return findById(editId, LockModeType.PESSIMISTIC_WRITE);
    }

    /** The edits of a resource not yet decided, oldest first. */
    public List<TagEdit> openFor(String resourceId) {
        return list("resourceId = ?1 and state <> ?2 order by seq", resourceId, EditState.DONE);
    }

    /**
     * One page of the audit trail, oldest first, after the cursor.
     *
     * @param tenants the tenants the caller may see, or {@code null} for all
     * @param resourceId, batchId, outcome optional filters ({@code null} = any)
     * @param openOnly only edits not decided yet
     */
    public List<TagEdit> page(Collection<String> tenants, String resourceId, UUID batchId,
            dev.canopy.events.TagEditOutcome.Outcome outcome, boolean openOnly, long afterSeq, int limit) {
        StringBuilder query = new StringBuilder("seq > :after");
        Parameters params = Parameters.with("after", afterSeq);
        if (tenants != null) {
            query.append(" and tenantId in :tenants");
            params.and("tenants", tenants);
        }
        if (resourceId != null) {
            query.append(" and resourceId = :resource");
            params.and("resource", resourceId);
        }
        if (batchId != null) {
            query.append(" and batchId = :batch");
            params.and("batch", batchId);
        }
        if (outcome != null) {
            query.append(" and outcome = :outcome");
            params.and("outcome", outcome);
        }
        if (openOnly) {
            query.append(" and state <> :done");
            params.and("done", EditState.DONE);
        }
        return find(query + " order by seq", params).page(0, limit).list();
    }
}

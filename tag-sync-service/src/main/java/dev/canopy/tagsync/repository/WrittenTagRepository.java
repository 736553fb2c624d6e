package dev.canopy.tagsync.repository;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** The values Canopy last wrote to Azure, per resource and tag name. */
@ApplicationScoped
public class WrittenTagRepository implements PanacheRepositoryBase<WrittenTag, ResourceTagKey> {

    /** Every tag Canopy wrote to the resource. */
    public List<WrittenTag> of(String resourceId) {
        return list("resourceId = ?1 order by writtenAt, name", resourceId);
    }

    /**
     * Every tag Canopy wrote to the resource, locked for this transaction. The writer recording an outcome and the
     * drift check of a new snapshot both update these rows: locked, one waits for the other instead of overwriting its
     * values with stale ones. Always locked in the same order, so the two never deadlock.
     */
    public List<WrittenTag> lockAll(String resourceId) {
        return find("resourceId = ?1 order by nameFolded", resourceId).withLock(LockModeType.PESSIMISTIC_WRITE).list();
    }
}

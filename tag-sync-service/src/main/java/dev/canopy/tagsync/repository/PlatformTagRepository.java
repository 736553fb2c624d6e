package dev.canopy.tagsync.repository;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** Tags kept in Canopy only (READ_TAGS_ONLY), per resource. */
@ApplicationScoped
public class PlatformTagRepository implements PanacheRepositoryBase<PlatformTag, ResourceTagKey> {

    /** The resource's platform tags in the order they were first set. */
    public List<PlatformTag> of(String resourceId) {
        return list("resourceId = ?1 order by updatedAt, name", resourceId);
    }
}

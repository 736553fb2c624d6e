package dev.canopy.tagsync.repository;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** The values Canopy last wrote to Azure, per resource and tag name. */
@ApplicationScoped
public class WrittenTagRepository implements PanacheRepositoryBase<WrittenTag, ResourceTagKey> {

    /** Every tag Canopy wrote to the resource. */
    public List<WrittenTag> of(String resourceId) {
        return list("resourceId = ?1 order by writtenAt, name", resourceId);
    }
}

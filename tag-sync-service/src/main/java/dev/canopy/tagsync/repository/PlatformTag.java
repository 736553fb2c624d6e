package dev.canopy.tagsync.repository;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** A tag kept in Canopy only, because the subscription's policy is READ_TAGS_ONLY. */
@Entity
@Table(name = "platform_tag")
@IdClass(ResourceTagKey.class)
public class PlatformTag extends ResourceTagRow {

    @Column(name = "updated_at")
    public Instant updatedAt;

    /** A new row for the tag {@code name} of the resource. */
    public static PlatformTag of(String resourceId, String name) {
        PlatformTag row = new PlatformTag();
        row.identify(resourceId, name);
        return row;
    }
}

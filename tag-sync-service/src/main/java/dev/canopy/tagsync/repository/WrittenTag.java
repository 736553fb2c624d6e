package dev.canopy.tagsync.repository;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** The value Canopy last wrote to Azure for one tag of one resource, and the drift reported against it. */
@Entity
@Table(name = "written_tag")
@IdClass(ResourceTagKey.class)
public class WrittenTag extends ResourceTagRow {

    @Column(name = "written_at")
    public Instant writtenAt;

    /** Azure's value when drift was last reported ({@code null}: the tag was gone from Azure, or no drift). */
    @Column(name = "drifted_to")
    public String driftedTo;

    @Column(name = "drift_seen_at")
    public Instant driftSeenAt;

    /** A new row for the tag {@code name} of the resource. */
    public static WrittenTag of(String resourceId, String name) {
        WrittenTag row = new WrittenTag();
        row.identify(resourceId, name);
        return row;
    }
}

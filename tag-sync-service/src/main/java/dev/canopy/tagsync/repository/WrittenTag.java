package dev.canopy.tagsync.repository;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** The value Canopy last wrote to Azure for one tag of one resource, and the drift reported against it. */
@Entity
@Table(name = "written_tag")
@IdClass(ResourceTagKey.class)
public class WrittenTag {

    @Id
    @Column(name = "resource_id")
    public String resourceId;

    @Id
    @Column(name = "name_folded")
    public String nameFolded;

    public String name;

    public String value;

    @Column(name = "edit_id")
    public UUID editId;

    @Column(name = "written_at")
    public Instant writtenAt;

    /** Azure's value when drift was last reported, or {@code null} (absent tag: reported as an empty value). */
    @Column(name = "drifted_to")
    public String driftedTo;

    @Column(name = "drift_seen_at")
    public Instant driftSeenAt;
}

package dev.canopy.tagsync.repository;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** A tag kept in Canopy only, because the subscription's policy is READ_TAGS_ONLY. */
@Entity
@Table(name = "platform_tag")
@IdClass(ResourceTagKey.class)
public class PlatformTag {

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

    @Column(name = "updated_at")
    public Instant updatedAt;
}

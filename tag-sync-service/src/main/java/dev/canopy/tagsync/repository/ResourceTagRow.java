package dev.canopy.tagsync.repository;

import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;

import dev.canopy.events.azure.TagNames;

/** What every per-resource tag row holds: the resource, the tag (keyed case-insensitively), its value, the edit. */
@MappedSuperclass
public abstract class ResourceTagRow {

    @Id
    @Column(name = "resource_id")
    public String resourceId;

    /** The name case-folded: Azure matches tag names case-insensitively. */
    @Id
    @Column(name = "name_folded")
    public String nameFolded;

    /** The name as spelled where it was set. */
    public String name;

    public String value;

    /** The edit that set this value. */
    @Column(name = "edit_id")
    public UUID editId;

    /** Sets the row's identity: the resource and the tag name (folded for the key, as spelled for display). */
    protected void identify(String resourceId, String name) {
        this.resourceId = resourceId;
        this.nameFolded = TagNames.fold(name);
        this.name = name;
    }
}

package dev.canopy.tagsync.repository;

import java.io.Serializable;
import java.util.Objects;

/** The id of a per-resource tag row: the resource id and the case-folded tag name (Azure matches names so). */
public class ResourceTagKey implements Serializable {

    public String resourceId;
    public String nameFolded;

    public ResourceTagKey() {
    }

    public ResourceTagKey(String resourceId, String nameFolded) {
        this.resourceId = resourceId;
        this.nameFolded = nameFolded;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResourceTagKey k && Objects.equals(resourceId, k.resourceId)
                && Objects.equals(nameFolded, k.nameFolded);
    }

    @Override
    public int hashCode() {
        return Objects.hash(resourceId, nameFolded);
    }
}

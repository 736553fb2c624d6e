package dev.canopy.tagsync.view;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.canopy.events.azure.ArmResourceId;
import dev.canopy.tagsync.repository.CollectedTagsRepository;

/** The tags the collector last saw in Azure per resource, as canopy.tags holds them. */
@ApplicationScoped
public class CollectedTags {

    private final CollectedTagsRepository tags;

    public CollectedTags(CollectedTagsRepository tags) {
        this.tags = tags;
    }

    /**
     * @param resourceId an ARM id in any casing
     * @return the latest snapshot stored for it; empty if none (never collected, or tombstoned)
     */
    @Transactional
    public Optional<CollectedTagSet> tagsOf(String resourceId) {
        String key = ArmResourceId.lenientKey(resourceId);
        return key == null ? Optional.empty() : tags.findByIdOptional(key).map(tags::toTagSet);
    }
}

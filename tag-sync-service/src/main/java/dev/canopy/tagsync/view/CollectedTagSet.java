package dev.canopy.tagsync.view;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The tags Azure last held on one resource, resource group or subscription, as the collector observed them.
 *
 * @param resourceId the normalized (lower-case) ARM id
 * @param displayId the ARM id in Azure's casing
 * @param subscriptionId the subscription holding it, lower-cased
 * @param tenantId its tenant, lower-cased
 * @param tags the tags in Azure's order (an unmodifiable insertion-ordered map); empty if none
 * @param observedAt when Azure returned these tags
 */
public record CollectedTagSet(String resourceId, String displayId, String subscriptionId, String tenantId,
        Map<String, String> tags, Instant observedAt) {

    public CollectedTagSet {
        Objects.requireNonNull(resourceId, "resourceId");
        Objects.requireNonNull(displayId, "displayId");
        Objects.requireNonNull(subscriptionId, "subscriptionId");
        Objects.requireNonNull(tenantId, "tenantId");
        tags = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(tags, "tags")));
        Objects.requireNonNull(observedAt, "observedAt");
    }
}

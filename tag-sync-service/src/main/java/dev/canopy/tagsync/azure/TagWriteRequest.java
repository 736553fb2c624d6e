package dev.canopy.tagsync.azure;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import dev.canopy.events.azure.ArmResourceId;
import dev.canopy.events.azure.TagOperation;

/**
 * One tag write for {@link AzureTagsWriter}: which tags to merge, replace or delete where, as which tenant.
 *
 * @param tenantId the customer tenant that holds the resource (Canopy acts as its service principal there)
 * @param subscriptionId the subscription that holds the resource (the throttling scope)
 * @param displayResourceId the ARM id in Azure's casing: a resource, resource group or subscription
 * @param operation Merge, Replace or Delete, with ARM's semantics
 * @param tags the tags of the operation; for Delete the names, with an empty value or the value to match
 */
public record TagWriteRequest(String tenantId, String subscriptionId, String displayResourceId, TagOperation operation,
                              Map<String, String> tags) {

    /** Validates the fields: the resource must lie in the subscription; names and values must not be null. */
    public TagWriteRequest {
        Objects.requireNonNull(tenantId, "tenantId is required");
        Objects.requireNonNull(subscriptionId, "subscriptionId is required");
        Objects.requireNonNull(operation, "operation is required");
        Objects.requireNonNull(tags, "tags are required");
        ArmResourceId id = ArmResourceId.parse(displayResourceId);
        if (!id.subscriptionId().equalsIgnoreCase(subscriptionId)) {
            throw new IllegalArgumentException("resource " + displayResourceId + " is not in subscription " + subscriptionId);
        }
        tags.forEach((name, value) -> {
            if (name == null || value == null) {
                throw new IllegalArgumentException("tag names and values must not be null (use \"\" for no value)");
            }
        });
        displayResourceId = id.displayId();
        tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    }
}

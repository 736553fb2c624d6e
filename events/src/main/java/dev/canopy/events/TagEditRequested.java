package dev.canopy.events;

import dev.canopy.events.azure.ArmResourceId;
import dev.canopy.events.azure.TagOperation;
import dev.canopy.events.topic.EventType;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A platform user asked to change one resource's tags; tag-sync checks the policy, writes through the ARM Tags API
 * if allowed and answers with a {@link TagEditOutcome}. Idempotent by {@code editId}.
 *
 * @param eventId unique id of this event
 * @param occurredAt when the API accepted the edit (returned 202)
 * @param editId the edit's id, returned to the caller; processing is idempotent by it
 * @param batchId the bulk request the edit belongs to, or {@code null} for a single edit
 * @param tenantId the customer's Entra tenant id, lower-cased
 * @param subscriptionId the subscription holding the resource, lower-cased
 * @param resourceId the normalized (lower-case) ARM id — the Kafka key, so edits of one resource stay in order
 * @param displayResourceId the ARM id in Azure's casing, used for the Tags API call
 * @param operation merge, replace or delete, with ARM's semantics ({@link TagOperation#apply})
 * @param tags the tags of the operation (for delete: the names, with an empty value or the value to match)
 * @param requestedBy the platform user who asked (the token's subject)
 */
public record TagEditRequested(
        UUID eventId,
        Instant occurredAt,
        UUID editId,
        UUID batchId,
        String tenantId,
        String subscriptionId,
        String resourceId,
        String displayResourceId,
        TagOperation operation,
        Map<String, String> tags,
        String requestedBy) implements CanopyEvent {

    /** Validates and normalizes the fields; the ids must name the same resource in this subscription. */
    public TagEditRequested {
        Checks.envelope(eventId, occurredAt);
        Checks.required(editId, "editId");
        tenantId = Checks.azureId(tenantId, "tenantId");
        subscriptionId = Checks.azureId(subscriptionId, "subscriptionId");
        ArmResourceId id = Checks.armId(displayResourceId, "displayResourceId", subscriptionId);
        resourceId = Checks.sameResource(resourceId, id, "resourceId");
        displayResourceId = id.displayId();
        Checks.required(operation, "operation");
        tags = Checks.tags(tags, "tags");
        requestedBy = Checks.text(requestedBy, "requestedBy");
    }

    @Override
    public String kafkaKey() {
        return resourceId;
    }

    @Override
    public EventType type() {
        return EventType.TAG_EDIT_REQUESTED;
    }
}

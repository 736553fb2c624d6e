package dev.canopy.tagsync.repository;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import dev.canopy.events.TagEditOutcome;
import dev.canopy.events.TagEditRequested;
import dev.canopy.events.azure.TagOperation;
import dev.canopy.events.policy.SyncPolicy;

/** One accepted tag edit and everything that happened to it: the audit trail's row. */
@Entity
@Table(name = "tag_edit")
public class TagEdit {

    @Id
    @Column(name = "edit_id")
    public UUID editId;

    // Assigned by the database: acceptance order, the list order and the paging cursor.
    @Column(insertable = false, updatable = false)
    public Long seq;

    @Column(name = "batch_id")
    public UUID batchId;

    @Column(name = "tenant_id")
    public String tenantId;

    @Column(name = "subscription_id")
    public String subscriptionId;

    /** Normalized (lower-case) ARM id. */
    @Column(name = "resource_id")
    public String resourceId;

    /** The id in Azure's casing, used for the Tags API call. */
    @Column(name = "display_resource_id")
    public String displayResourceId;

    @Enumerated(EnumType.STRING)
    public TagOperation operation;

    @Convert(converter = TagMapConverter.class)
    public Map<String, String> tags;

    @Column(name = "requested_by")
    public String requestedBy;

    @Column(name = "requested_at")
    public Instant requestedAt;

    @Enumerated(EnumType.STRING)
    public EditState state;

    @Enumerated(EnumType.STRING)
    public TagEditOutcome.Outcome outcome;

    @Enumerated(EnumType.STRING)
    @Column(name = "policy_seen")
    public SyncPolicy policySeen;

    public String reason;

    /** The Tags API request sent, as JSON ({@code method}, {@code url}, {@code body}). */
    @Column(name = "azure_request")
    public String azureRequest;

    @Convert(converter = TagMapConverter.class)
    @Column(name = "azure_tags")
    public Map<String, String> azureTags;

    public int attempts;

    @Column(name = "sent_at")
    public Instant sentAt;

    @Column(name = "decided_at")
    public Instant decidedAt;

    /** A new, undecided edit with the contents of its TagEditRequested (to be persisted by the caller). */
    public static TagEdit pending(TagEditRequested requested) {
        TagEdit edit = new TagEdit();
        edit.editId = requested.editId();
        edit.batchId = requested.batchId();
        edit.tenantId = requested.tenantId();
        edit.subscriptionId = requested.subscriptionId();
        edit.resourceId = requested.resourceId();
        edit.displayResourceId = requested.displayResourceId();
        edit.operation = requested.operation();
        edit.tags = requested.tags();
        edit.requestedBy = requested.requestedBy();
        edit.requestedAt = requested.occurredAt();
        edit.state = EditState.PENDING;
        return edit;
    }

    /** True when the event asks for this very edit: same tenant, resource, operation and tags. */
    public boolean describes(TagEditRequested requested) {
        return tenantId.equals(requested.tenantId()) && resourceId.equals(requested.resourceId())
                && operation == requested.operation() && tags.equals(requested.tags());
    }

    /** True when the edit is being written by this attempt — not decided, and not taken over by a later one. */
    public boolean isWritingAttempt(int attempt) {
        return state == EditState.WRITING && attempts == attempt;
    }

    /** True once the edit has its terminal outcome. */
    public boolean isDone() {
        return state == EditState.DONE;
    }
}

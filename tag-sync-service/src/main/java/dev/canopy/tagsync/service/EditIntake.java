package dev.canopy.tagsync.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.databind.JsonNode;

import dev.canopy.events.TagEditRequested;
import dev.canopy.events.azure.ArmResourceId;
import dev.canopy.messaging.outbox.OutboxWriter;
import dev.canopy.platform.problem.FieldViolation;
import dev.canopy.platform.problem.ProblemException;
import dev.canopy.platform.security.PlatformRole;
import dev.canopy.platform.security.TenantAccess;
import dev.canopy.tagsync.repository.TagEdit;
import dev.canopy.tagsync.repository.TagEditRepository;
import dev.canopy.tagsync.service.EditValidation.ValidEdit;
import dev.canopy.tagsync.view.TenantDirectory;
import dev.canopy.tagsync.view.KnownSubscription;
import io.quarkus.narayana.jta.runtime.TransactionConfiguration;

/**
 * Accepts tag edits: checks them, stores each with its TagEditRequested in the outbox in one transaction (so an
 * accepted edit is never lost), and leaves the rest to the writer. Single edits and bulk edits go the same way.
 */
@ApplicationScoped
public class EditIntake {

    /** Most resources one bulk edit may name. */
    public static final int MAX_BULK = 10_000;

    private final EditValidation validation;
    private final TenantDirectory tenants;
    private final TenantAccess access;
    private final TagEditRepository edits;
    private final OutboxWriter outbox;

    public EditIntake(EditValidation validation, TenantDirectory tenants, TenantAccess access, TagEditRepository edits,
            OutboxWriter outbox) {
        this.validation = validation;
        this.tenants = tenants;
        this.access = access;
        this.edits = edits;
        this.outbox = outbox;
    }

    /** A resource of a bulk edit that was not accepted, and why. */
    public record Rejection(String resourceId, String reason, List<FieldViolation> violations) {
    }

    /** What a bulk edit became: one edit per accepted resource, and the rejected ones. */
    public record BulkOutcome(UUID batchId, List<TagEdit> accepted, List<Rejection> rejected) {
    }

    /** One edit of one resource; 400, 403, 404 or 409 as a problem if it cannot be accepted. */
    @Transactional
    public TagEdit submit(String rawResourceId, String operation, Map<String, JsonNode> tags) {
        ArmResourceId id = validation.resourceId(rawResourceId, "resourceId");
        ValidEdit edit = validation.validate(operation, tags);
        KnownSubscription sub = editableSubscription(id);
        List<FieldViolation> typeRules = validation.rulesFor(id, edit);
        if (!typeRules.isEmpty()) {
            throw ProblemException.invalid("the tags break Azure's rules for " + id.resourceType(), typeRules);
        }
        return accept(id, sub, edit, null, Instant.now());
    }

    /** One edit over many resources: invalid resources are reported, the rest proceed under one batch id. */
    @Transactional
    // 10,000 edits and their outbox rows in one transaction took 15.7 s on the 2-core reference machine when idle and
    // over 40 s while the writer was busy with an earlier bulk: the default 60 s would roll a busy day's bulk back.
    @TransactionConfiguration(timeout = 300)
    public BulkOutcome submitBulk(String operation, Map<String, JsonNode> tags, List<String> resourceIds) {
        if (resourceIds == null || resourceIds.isEmpty()) {
            throw ProblemException.invalid("resourceIds", "not-empty", "resourceIds must name at least one resource");
        }
        if (resourceIds.size() > MAX_BULK) {
            throw ProblemException.invalid("resourceIds", "max-size",
                    "a bulk edit may name at most " + MAX_BULK + " resources; got " + resourceIds.size());
        }
        ValidEdit edit = validation.validate(operation, tags);
        UUID batchId = UUID.randomUUID();
        Instant now = Instant.now();
        List<Rejection> rejected = new ArrayList<>();
        // Every lookup before the first insert: a query run while inserts are pending makes Hibernate flush them one
        // by one, which made a 10,000-resource bulk take minutes. A bulk names few subscriptions: look each up once.
        Map<String, Optional<KnownSubscription>> subscriptions = new HashMap<>();
        Map<String, ArmResourceId> toAccept = new LinkedHashMap<>();
        Map<String, KnownSubscription> subscriptionOf = new HashMap<>();
        for (String raw : resourceIds) {
            try {
                ArmResourceId id = validation.resourceId(raw, "resourceId");
                if (toAccept.containsKey(id.key())) {
                    rejected.add(new Rejection(raw, "the resource is named more than once in this bulk edit", List.of()));
                    continue;
                }
                KnownSubscription sub = editableSubscription(id, subscriptions.computeIfAbsent(id.subscriptionId(),
                        tenants::subscription));
                List<FieldViolation> typeRules = validation.rulesFor(id, edit);
                if (!typeRules.isEmpty()) {
                    rejected.add(new Rejection(raw, "the tags break Azure's rules for " + id.resourceType(), typeRules));
                    continue;
                }
                toAccept.put(id.key(), id);
                subscriptionOf.put(id.key(), sub);
            } catch (ProblemException e) {
                rejected.add(new Rejection(raw, e.problem().detail(), e.problem().violations()));
            }
        }
        List<TagEdit> accepted = new ArrayList<>(toAccept.size());
        toAccept.forEach((key, id) -> accepted.add(accept(id, subscriptionOf.get(key), edit, batchId, now)));
        return new BulkOutcome(batchId, accepted, rejected);
    }

    /**
     * The subscription of a resource the caller may edit: 404 when Canopy does not know it or the caller has no role
     * in its tenant (indistinguishable on purpose), 403 without tag-editor, 409 when the tenant was offboarded.
     */
    public KnownSubscription editableSubscription(ArmResourceId id) {
        return editableSubscription(id, tenants.subscription(id.subscriptionId()));
    }

    private KnownSubscription editableSubscription(ArmResourceId id, Optional<KnownSubscription> known) {
        String what = "resource " + id.displayId();
        KnownSubscription sub = known.orElseThrow(() -> ProblemException.notFound(what + " was not found"));
        access.require(sub.tenantId(), PlatformRole.TAG_EDITOR, what);
        if (sub.tenantOffboarded()) {
            throw ProblemException.conflict("the tenant of " + what + " was offboarded; its tags can no longer be edited");
        }
        return sub;
    }

    private TagEdit accept(ArmResourceId id, KnownSubscription sub, ValidEdit valid, UUID batchId, Instant now) {
        TagEditRequested requested = new TagEditRequested(UUID.randomUUID(), now, UUID.randomUUID(), batchId,
                sub.tenantId(), sub.subscriptionId(), id.key(), id.displayId(), valid.operation(), valid.tags(),
                access.callerId());
        TagEdit edit = TagEdit.pending(requested);
        edits.persist(edit);
        outbox.append(requested);
        return edit;
    }
}

package dev.canopy.tagsync.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import dev.canopy.azure.AzureConnection;
import dev.canopy.events.TagEditOutcome.Outcome;
import dev.canopy.events.azure.ArmResourceId;
import dev.canopy.events.azure.TagViolation;
import dev.canopy.events.policy.SyncPolicy;
import dev.canopy.platform.problem.FieldViolation;
import dev.canopy.platform.problem.ProblemException;
import dev.canopy.platform.security.PlatformRole;
import dev.canopy.platform.security.TenantAccess;
import dev.canopy.tagsync.azure.TagWritePlan;
import dev.canopy.tagsync.azure.TagsApiRequest;
import dev.canopy.tagsync.config.ViewConfig;
import dev.canopy.tagsync.service.EditValidation.ValidEdit;
import dev.canopy.tagsync.view.CollectedTagSet;
import dev.canopy.tagsync.view.CollectedTags;
import dev.canopy.tagsync.view.PolicyView;
import dev.canopy.tagsync.view.PolicyViewBehindException;
import dev.canopy.tagsync.view.TenantDirectory;
import dev.canopy.tagsync.view.KnownSubscription;

/**
 * Says what an edit would do to each resource, from the last collected tags and the current policies, without
 * writing anything: the exact Tags API request, the resulting tags, and every rule or policy that would stop it.
 */
@ApplicationScoped
public class EditPreviewer {

    private static final Logger LOG = Logger.getLogger(EditPreviewer.class);

    private final EditValidation validation;
    private final TenantDirectory tenants;
    private final TenantAccess access;
    private final PolicyView policies;
    private final CollectedTags collected;
    private final PlatformTags platformTags;
    private final AzureConnection azure;
    private final Duration policyWait;

    public EditPreviewer(EditValidation validation, TenantDirectory tenants, TenantAccess access, PolicyView policies,
            CollectedTags collected, PlatformTags platformTags, AzureConnection azure, ViewConfig config) {
        this.validation = validation;
        this.tenants = tenants;
        this.access = access;
        this.policies = policies;
        this.collected = collected;
        this.platformTags = platformTags;
        this.azure = azure;
        this.policyWait = config.policyWait();
    }

    /** Something that would stop the edit on one resource. */
    public record Blocker(Kind kind, String rule, String field, String message) {

        /** What kind of check stops it. */
        public enum Kind { INVALID_RESOURCE_ID, NOT_FOUND, ROLE, TENANT_OFFBOARDED, POLICY, AZURE_RULE }
    }

    /**
     * The preview of one resource.
     *
     * @param expectedOutcome what the writer would decide with what Canopy knows now ({@code null} if the API would
     *     not even accept the edit)
     * @param request the Tags API request that would be sent ({@code null} if nothing would be sent)
     * @param currentTags Azure's tags as last collected, or Canopy's platform tags under READ_TAGS_ONLY
     * @param resultingTags the tags after the edit, on the same side as {@code currentTags}
     */
    public record ResourcePreview(String resourceId, Outcome expectedOutcome, SyncPolicy policy,
            Map<String, String> currentTags, Instant collectedAt, Map<String, String> resultingTags,
            TagsApiRequest request, List<Blocker> blockers) {
    }

    /** Previews one edit over the resources; 400 if the edit itself is invalid. */
    @Transactional
    public List<ResourcePreview> preview(String operation, Map<String, JsonNode> tags, List<String> resourceIds) {
        if (resourceIds == null || resourceIds.isEmpty()) {
            throw ProblemException.invalid("resourceIds", "not-empty", "resourceIds must name at least one resource");
        }
        if (resourceIds.size() > EditIntake.MAX_BULK) {
            throw ProblemException.invalid("resourceIds", "max-size",
                    "a preview may name at most " + EditIntake.MAX_BULK + " resources; got " + resourceIds.size());
        }
        ValidEdit edit = validation.validate(operation, tags);
        try {
            policies.awaitCaughtUp(policyWait);
        } catch (PolicyViewBehindException e) {
            // A preview answers from what Canopy knows; the writer will not act on a stale view (it fails instead).
            LOG.warnf("TAGSYNC-POLICY-002 preview answered with a policy view behind the topic: %s", e.getMessage());
        }
        return resourceIds.stream().map(raw -> previewOne(raw, edit)).toList();
    }

    private ResourcePreview previewOne(String raw, ValidEdit edit) {
        ArmResourceId id;
        try {
            id = validation.resourceId(raw, "resourceId");
        } catch (ProblemException e) {
            return refused(raw, new Blocker(Blocker.Kind.INVALID_RESOURCE_ID, "arm-resource-id", "resourceId",
                    e.problem().detail()));
        }
        Optional<KnownSubscription> sub = tenants.subscription(id.subscriptionId());
        if (sub.isEmpty() || !access.roles().canRead(sub.get().tenantId())) {
            return refused(id.displayId(), new Blocker(Blocker.Kind.NOT_FOUND, null, "resourceId",
                    "resource " + id.displayId() + " was not found"));
        }
        List<Blocker> blockers = new ArrayList<>();
        if (!access.roles().has(sub.get().tenantId(), PlatformRole.TAG_EDITOR)) {
            blockers.add(new Blocker(Blocker.Kind.ROLE, PlatformRole.TAG_EDITOR.claimName(), null,
                    "this needs the 'tag-editor' role in the resource's tenant"));
        }
        if (sub.get().tenantOffboarded()) {
            blockers.add(new Blocker(Blocker.Kind.TENANT_OFFBOARDED, null, null, "the resource's tenant was offboarded"));
        }
        for (FieldViolation v : validation.rulesFor(id, edit)) {
            blockers.add(new Blocker(Blocker.Kind.AZURE_RULE, v.rule(), v.field(), v.message()));
        }
        if (!blockers.isEmpty()) {
            return new ResourcePreview(id.displayId(), null, null, null, null, null, null, blockers);
        }
        SyncPolicy policy = policies.policyOf(id.subscriptionId()).orElse(null);
        if (policy == SyncPolicy.READ_TAGS_ONLY) {
            Map<String, String> current = platformTags.of(id.key());
            return new ResourcePreview(id.displayId(), Outcome.KEPT_IN_PLATFORM, policy, current, null,
                    edit.operation().apply(current, edit.tags()), null, List.of());
        }
        if (policy != SyncPolicy.READ_WRITE_TAGS) {
            return new ResourcePreview(id.displayId(), Outcome.REJECTED_BY_POLICY, policy, null, null, null, null,
                    List.of(new Blocker(Blocker.Kind.POLICY, policy == null ? "NONE" : policy.name(), null,
                            policy == null ? "no sync policy has been seen for the subscription; nothing is written"
                                    : "the subscription's sync policy " + policy + " does not allow tag edits")));
        }
        Optional<CollectedTagSet> known = collected.tagsOf(id.key());
        Map<String, String> current = known.map(CollectedTagSet::tags).orElse(Map.of());
        // The same plan the writer makes against Azure's tags at write time, here against the last collected ones.
        TagWritePlan plan = TagWritePlan.of(azure.armEndpoint(), id.displayId(), edit.operation(), edit.tags(), current);
        for (TagViolation v : plan.violations()) {
            blockers.add(new Blocker(Blocker.Kind.AZURE_RULE, v.rule().name(),
                    v.tagName() == null ? "tags" : "tags." + v.tagName(), v.message() + " (after the edit)"));
        }
        return new ResourcePreview(id.displayId(), plan.sendable() ? Outcome.APPLIED : Outcome.REJECTED_BY_AZURE_RULES,
                policy, current, known.map(CollectedTagSet::observedAt).orElse(null), plan.expected(),
                plan.sendable() ? plan.request() : null, blockers);
    }

    private static ResourcePreview refused(String resourceId, Blocker blocker) {
        return new ResourcePreview(resourceId, null, null, null, null, null, null, List.of(blocker));
    }
}

package dev.canopy.tagsync.service;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.canopy.events.TagDrift;
import dev.canopy.events.TagEditOutcome.Outcome;
import dev.canopy.events.azure.ArmResourceId;
import dev.canopy.platform.problem.ProblemException;
import dev.canopy.platform.security.TenantAccess;
import dev.canopy.tagsync.repository.TagEdit;
import dev.canopy.tagsync.repository.TagEditRepository;
import dev.canopy.tagsync.repository.WrittenTag;
import dev.canopy.tagsync.repository.WrittenTagRepository;
import dev.canopy.tagsync.view.CollectedTagSet;
import dev.canopy.tagsync.view.CollectedTags;
import dev.canopy.tagsync.view.KnownSubscription;
import dev.canopy.tagsync.view.TenantDirectory;

/** Reads the audit trail and a resource's tag picture for the caller, within the tenants it may see. */
@ApplicationScoped
public class EditAudit {

    /** Largest page of the audit trail. */
    public static final int MAX_PAGE = 1000;
    /** A page of the audit trail when the caller names no size. */
    public static final int DEFAULT_PAGE = 100;

    private final TagEditRepository edits;
    private final WrittenTagRepository written;
    private final CollectedTags collected;
    private final PlatformTags platformTags;
    private final TenantDirectory tenants;
    private final TenantAccess access;
    private final EditValidation validation;

    public EditAudit(TagEditRepository edits, WrittenTagRepository written, CollectedTags collected,
            PlatformTags platformTags, TenantDirectory tenants, TenantAccess access, EditValidation validation) {
        this.edits = edits;
        this.written = written;
        this.collected = collected;
        this.platformTags = platformTags;
        this.tenants = tenants;
        this.access = access;
        this.validation = validation;
    }

    /** A resource's tags as Canopy knows them. */
    public record ResourceTags(ArmResourceId id, Optional<CollectedTagSet> azure, Map<String, String> platform,
            List<TagEdit> pending, List<TagDrift> drift) {
    }

    /** A state filter of the list: open, done, or one outcome. */
    public record StateFilter(boolean openOnly, Outcome outcome) {

        /** Parses {@code open}, {@code done} or an outcome name (any case); 400 otherwise. */
        public static StateFilter parse(String state) {
            if (state == null || state.isBlank()) {
                return new StateFilter(false, null);
            }
            String s = state.trim().toUpperCase(Locale.ROOT);
            if (s.equals("OPEN") || s.equals("PENDING")) {
                return new StateFilter(true, null);
            }
            try {
                return new StateFilter(false, Outcome.valueOf(s));
            } catch (IllegalArgumentException e) {
                throw ProblemException.invalid("state", "one-of", "state must be open or an outcome ("
                        + String.join(", ", java.util.Arrays.stream(Outcome.values()).map(Enum::name).toList())
                        + "); got '" + state + "'");
            }
        }
    }

    /** One edit, or 404 (also for an edit of a tenant the caller cannot see). */
    @Transactional
    public TagEdit edit(UUID editId) {
        TagEdit edit = edits.findById(editId);
        if (edit == null) {
            throw ProblemException.notFound("tag edit " + editId + " was not found");
        }
        access.requireRead(edit.tenantId, "tag edit " + editId);
        return edit;
    }

    /** The drift reported against tags this edit wrote and Azure has changed since. */
    @Transactional
    public List<TagDrift> driftOf(UUID editId) {
        return written.list("editId = ?1 and driftSeenAt is not null", editId).stream().map(EditAudit::drift).toList();
    }

    /** A page of the audit trail, filtered, in acceptance order. */
    @Transactional
    public List<TagEdit> page(String resourceId, UUID batchId, StateFilter state, long after, int limit) {
        String resource = resourceId == null ? null : validation.resourceId(resourceId, "resourceId").key();
        return edits.page(access.readsAllTenants() ? null : access.tenants(), resource, batchId, state.outcome(),
                state.openOnly(), after, Math.max(1, Math.min(limit, MAX_PAGE)));
    }

    /** The resource's tags: Azure's last collected, platform tags, pending edits, drift; 404 outside the caller's tenants. */
    @Transactional
    public ResourceTags resourceTags(String rawResourceId) {
        ArmResourceId id = validation.resourceId(rawResourceId, "resourceId");
        String what = "resource " + id.displayId();
        String tenant = tenants.subscription(id.subscriptionId()).map(KnownSubscription::tenantId)
                .orElseThrow(() -> ProblemException.notFound(what + " was not found"));
        access.requireRead(tenant, what);
        List<TagDrift> drift = written.of(id.key()).stream().filter(w -> w.driftSeenAt != null).map(EditAudit::drift)
                .toList();
        return new ResourceTags(id, collected.tagsOf(id.key()), platformTags.of(id.key()), edits.openFor(id.key()),
                drift);
    }

    private static TagDrift drift(WrittenTag w) {
        return new TagDrift(w.name, w.value, w.driftedTo);
    }
}

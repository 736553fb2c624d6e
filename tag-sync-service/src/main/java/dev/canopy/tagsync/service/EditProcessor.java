package dev.canopy.tagsync.service;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.Retry;
import org.jboss.logging.Logger;

import dev.canopy.events.TagEditOutcome.Outcome;
import dev.canopy.events.TagEditRequested;
import dev.canopy.events.policy.SyncPolicy;
import dev.canopy.tagsync.azure.AzureTagsWriter;
import dev.canopy.tagsync.azure.SendGuard;
import dev.canopy.tagsync.azure.TagWriteRequest;
import dev.canopy.tagsync.azure.TagWriteResult;
import dev.canopy.tagsync.azure.WriteVetoedException;
import dev.canopy.tagsync.config.ViewConfig;
import dev.canopy.tagsync.repository.EditState;
import dev.canopy.tagsync.repository.TagEdit;
import dev.canopy.tagsync.repository.TagEditRepository;
import dev.canopy.tagsync.service.EditOutcomes.Decision;
import dev.canopy.tagsync.view.PolicyView;
import dev.canopy.tagsync.view.PolicyViewBehindException;
import dev.canopy.tagsync.view.TenantDirectory;
import dev.canopy.tagsync.view.KnownSubscription;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Takes one requested edit to its one terminal outcome: checks the tenant and the sync policy (with a view of the
 * policy topic at least as new as its end), keeps READ_TAGS_ONLY edits in Canopy, and has READ_WRITE_TAGS edits
 * written to Azure — checking the policy again right before the request leaves. Idempotent by edit id: a decided
 * edit is skipped, and an edit caught mid-write by a crash is written again, which the writer turns into a read-back
 * when Azure already holds the result.
 */
@ApplicationScoped
public class EditProcessor {

    private static final Logger LOG = Logger.getLogger(EditProcessor.class);

    private final PolicyView policies;
    private final TenantDirectory tenants;
    private final AzureTagsWriter writer;
    private final TagEditRepository edits;
    private final EditOutcomes outcomes;
    private final PlatformTags platformTags;
    private final Duration policyWait;

    public EditProcessor(PolicyView policies, TenantDirectory tenants, AzureTagsWriter writer, TagEditRepository edits,
            EditOutcomes outcomes, PlatformTags platformTags, ViewConfig config) {
        this.policies = policies;
        this.tenants = tenants;
        this.writer = writer;
        this.edits = edits;
        this.outcomes = outcomes;
        this.platformTags = platformTags;
        this.policyWait = config.policyWait();
    }

    /**
     * Handles one TagEditRequested (again, after a redelivery: then it does what is left, or nothing). A database or
     * broker outage is retried for up to five minutes — safe, as every step is idempotent by edit id — before the
     * record goes to the dead-letter topic with the reason; an event that is wrong in itself goes there at once.
     */
    @Retry(maxRetries = 60, delay = 1000, jitter = 500, maxDuration = 300_000, abortOn = IllegalArgumentException.class)
    public void process(TagEditRequested event) {
        if (resumeOfAnInterruptedWrite(event)) {
            return;
        }
        boolean caughtUp = catchUpWithPolicies();
        boolean write = QuarkusTransaction.requiringNew().call(() -> prepare(event, caughtUp));
        if (!write) {
            return;
        }
        TagWriteRequest request = new TagWriteRequest(event.tenantId(), event.subscriptionId(),
                event.displayResourceId(), event.operation(), event.tags());
        Decision decision;
        try {
            TagWriteResult result = writer.write(request, lastMomentCheck(event.subscriptionId()));
            decision = new Decision(result.outcome(), SyncPolicy.READ_WRITE_TAGS, result.reason(),
                    result.azureTagsAfter(), result.sent(), result.sentAt());
        } catch (WriteVetoedException e) {
            decision = Decision.of(Outcome.REJECTED_BY_POLICY, e.policy(), e.getMessage());
        } catch (PolicyViewBehindException e) {
            decision = Decision.of(Outcome.FAILED, SyncPolicy.READ_WRITE_TAGS, "not written: " + e.getMessage());
        }
        Decision decided = decision;
        QuarkusTransaction.requiringNew().run(() -> {
            TagEdit edit = edits.lock(event.editId());
            if (!edit.isDone()) {
                outcomes.finish(edit, decided);
            }
        });
        LOG.infof("edit %s of %s: %s%s", event.editId(), event.resourceId(), decided.outcome(),
                decided.reason() == null ? "" : " (" + decided.reason() + ")");
    }

    // An edit left WRITING by a crash may have been written already. Azure decides first, before today's policy: if it
    // holds the change, the earlier attempt wrote it, and the outcome must say APPLIED (and the written tags be
    // remembered for drift), even if the policy has been narrowed since.
    private boolean resumeOfAnInterruptedWrite(TagEditRequested event) {
        boolean interrupted = QuarkusTransaction.requiringNew().call(() -> {
            TagEdit edit = edits.findById(event.editId());
            return edit != null && edit.state == EditState.WRITING;
        });
        if (!interrupted) {
            return false;
        }
        Optional<Map<String, String>> held = writer.heldAlready(new TagWriteRequest(event.tenantId(),
                event.subscriptionId(), event.displayResourceId(), event.operation(), event.tags()));
        if (held.isEmpty()) {
            return false;
        }
        QuarkusTransaction.requiringNew().run(() -> {
            TagEdit edit = edits.lock(event.editId());
            if (!edit.isDone()) {
                outcomes.finish(edit, new Decision(Outcome.APPLIED, edit.policySeen,
                        "an earlier attempt, interrupted before its outcome was recorded, wrote it; Azure holds the tags",
                        held.get(), null, null));
            }
        });
        LOG.infof("edit %s of %s: APPLIED by an interrupted earlier attempt", event.editId(), event.resourceId());
        return true;
    }

    private boolean catchUpWithPolicies() {
        try {
            policies.awaitCaughtUp(policyWait);
            return true;
        } catch (PolicyViewBehindException e) {
            LOG.warnf("TAGSYNC-POLICY-001 policy view behind the topic: %s", e.getMessage());
            return false;
        }
    }

    // Decides everything that needs no Azure call; true when the edit is to be written.
    private boolean prepare(TagEditRequested event, boolean policiesCaughtUp) {
        TagEdit edit = edits.lock(event.editId());
        if (edit == null) {
            edit = adopt(event);
        }
        if (edit.isDone()) {
            return false; // a redelivery of an edit already decided
        }
        Optional<KnownSubscription> sub = tenants.subscription(event.subscriptionId());
        if (sub.isEmpty() || !sub.get().tenantId().equals(event.tenantId())) {
            outcomes.finish(edit, Decision.of(Outcome.REJECTED_BY_POLICY, null,
                    "subscription " + event.subscriptionId() + " is not onboarded in tenant " + event.tenantId()));
            return false;
        }
        if (sub.get().tenantOffboarded()) {
            outcomes.finish(edit, Decision.of(Outcome.REJECTED_BY_POLICY, null,
                    "tenant " + event.tenantId() + " was offboarded; nothing is written"));
            return false;
        }
        if (!policiesCaughtUp) {
            outcomes.finish(edit, Decision.of(Outcome.FAILED, null,
                    "the sync policy could not be confirmed within " + policyWait + "; nothing was written"));
            return false;
        }
        Optional<SyncPolicy> policy = policies.policyOf(event.subscriptionId());
        if (policy.isEmpty()) {
            outcomes.finish(edit, Decision.of(Outcome.REJECTED_BY_POLICY, null,
                    "no sync policy has been seen for subscription " + event.subscriptionId() + "; nothing is written"));
            return false;
        }
        switch (policy.get()) {
            case NO_RESOURCES, NO_TAGS -> {
                outcomes.finish(edit, Decision.of(Outcome.REJECTED_BY_POLICY, policy.get(),
                        "the subscription's sync policy " + policy.get() + " does not allow tag edits"));
                return false;
            }
            case READ_TAGS_ONLY -> {
                platformTags.apply(edit);
                outcomes.finish(edit, Decision.of(Outcome.KEPT_IN_PLATFORM, policy.get(),
                        "the subscription's sync policy READ_TAGS_ONLY keeps edits in Canopy; nothing was sent to Azure"));
                return false;
            }
            case READ_WRITE_TAGS -> {
                edit.state = EditState.WRITING;
                edit.attempts++;
                edit.policySeen = policy.get();
                return true;
            }
            default -> throw new IllegalStateException("unknown policy " + policy.get());
        }
    }

    // The policy is looked at again right before each request leaves, with a view at least as new as the topic's end
    // at that moment: a downgrade acknowledged while the edit waited for the write bucket still stops it.
    private SendGuard lastMomentCheck(String subscriptionId) {
        return () -> {
            policies.awaitCaughtUp(policyWait);
            SyncPolicy now = policies.policyOf(subscriptionId).orElse(null);
            if (now != SyncPolicy.READ_WRITE_TAGS) {
                throw new WriteVetoedException(now, now == null
                        ? "the sync policy of subscription " + subscriptionId + " is no longer known; nothing was sent"
                        : "the subscription's sync policy changed to " + now + " before the write; nothing was sent");
            }
            if (tenants.subscription(subscriptionId).map(KnownSubscription::tenantOffboarded).orElse(true)) {
                throw new WriteVetoedException(null, "the tenant was offboarded before the write; nothing was sent");
            }
        };
    }

    // An edit published by an instance whose row this database does not have (e.g. restored from a backup): record
    // it from the event rather than lose it.
    private TagEdit adopt(TagEditRequested event) {
        edits.persist(TagEdit.pending(event));
        edits.flush();
        return edits.lock(event.editId());
    }
}

package dev.canopy.tagsync.service;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.Retry;
import org.jboss.logging.Logger;

import dev.canopy.events.TagEditOutcome.Outcome;
import dev.canopy.events.TagEditRequested;
import dev.canopy.events.policy.SyncPolicy;
import dev.canopy.messaging.retry.TransientFailure;
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
import dev.canopy.tagsync.view.KnownSubscription;
import dev.canopy.tagsync.view.TenantDirectory;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.faulttolerance.api.RetryWhen;

/**
 * Takes one requested edit to its one terminal outcome: checks the tenant and the sync policy (with a view of the
 * policy topic at least as new as its end), keeps READ_TAGS_ONLY edits in Canopy, and has READ_WRITE_TAGS edits
 * written to Azure — checking the policy again right before the request leaves. Idempotent by edit id: a decided
 * edit is skipped, and an edit caught mid-write by a crash is written again, which the writer turns into a read-back
 * when Azure already holds the result.
 *
 * <p>A database or broker outage is retried until it is over — safe, as every step is idempotent by edit id, and it
 * keeps the edit's partition (so one resource's later edits) waiting behind it rather than losing it.
 */
@ApplicationScoped
@Retry(maxRetries = -1, maxDuration = 0, delay = 1000, jitter = 500)
@ExponentialBackoff(maxDelay = 30, maxDelayUnit = ChronoUnit.SECONDS)
@RetryWhen(exception = TransientFailure.class)
public class EditProcessor {

    private static final Logger LOG = Logger.getLogger(EditProcessor.class);

    // The lock on an edit's row is held while its write is in flight: longer than any single ARM request may take.
    private static final int SEND_LOCK_TIMEOUT_SECONDS = 600;

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
     * Handles one TagEditRequested (again, after a redelivery: then it does what is left, or nothing).
     *
     * @throws RuntimeException a failure that retrying would not cure; the caller then {@linkplain #giveUp gives up}
     */
    public void process(TagEditRequested event) {
        if (resumeOfAnInterruptedWrite(event)) {
            return;
        }
        boolean caughtUp = catchUpWithPolicies();
        Integer attempt = QuarkusTransaction.requiringNew().call(() -> prepare(event, caughtUp));
        if (attempt == null) {
            return;
        }
        try {
            writeAndRecord(event, attempt);
        } catch (AttemptSupersededException e) {
            LOG.infof("edit %s of %s: attempt %d stopped, %s", event.editId(), event.resourceId(), attempt,
                    e.getMessage());
        } catch (RuntimeException e) {
            throw TransientFailure.isTransient(e) || e instanceof StoppingException ? e
                    : new AttemptFailedException(attempt, e);
        }
    }

    private void writeAndRecord(TagEditRequested event, int attempt) {
        TagWriteRequest request = new TagWriteRequest(event.tenantId(), event.subscriptionId(),
                event.displayResourceId(), event.operation(), event.tags());
        Decision decision;
        try {
            TagWriteResult result = writer.write(request, lastMomentCheck(event, attempt));
            decision = new Decision(result.outcome(), SyncPolicy.READ_WRITE_TAGS, result.reason(),
                    result.azureTagsAfter(), result.sent(), result.sentAt());
        } catch (AttemptSupersededException e) {
            throw e;
        } catch (WriteVetoedException e) {
            decision = e.getCause() instanceof PolicyViewBehindException
                    ? Decision.of(Outcome.FAILED, SyncPolicy.READ_WRITE_TAGS, e.getMessage())
                    : Decision.of(Outcome.REJECTED_BY_POLICY, e.policy(), e.getMessage());
        }
        // Recorded on its own, waiting out a passing outage there: retrying the whole edit would send a write that
        // did not land (a 403, a 5xx) once more.
        if (!outcomes.finishAttempt(event.editId(), attempt, decision)) {
            LOG.infof("edit %s of %s: attempt %d superseded; its result (%s) is left to the current attempt",
                    event.editId(), event.resourceId(), attempt, decision.outcome());
            return;
        }
        LOG.infof("edit %s of %s: %s%s", event.editId(), event.resourceId(), decision.outcome(),
                decision.reason() == null ? "" : " (" + decision.reason() + ")");
    }

    /**
     * Ends an edit that {@link #process} failed on for a reason retrying would not cure (a bug, data it cannot
     * handle): recorded as FAILED with that reason, so it does not stay open for ever, before its record is
     * dead-lettered. An edit already decided, one the event does not describe, or one another attempt is writing
     * (another copy of the writer took it over) is left as it is.
     */
    public void giveUp(TagEditRequested event, RuntimeException failure) {
        Integer failedAttempt = failure instanceof AttemptFailedException failed ? failed.attempt() : null;
        RuntimeException cause = failure instanceof AttemptFailedException ? (RuntimeException) failure.getCause()
                : failure;
        QuarkusTransaction.requiringNew().run(() -> {
            TagEdit edit = edits.lock(event.editId());
            if (edit == null) {
                edit = adopt(event);
            }
            if (edit.isDone() || !edit.describes(event)) {
                return; // decided already, or the event is not this edit's (then the edit's own event decides it)
            }
            if (edit.state == EditState.WRITING && (failedAttempt == null || !edit.isWritingAttempt(failedAttempt))) {
                return; // the attempt at work is not the one that failed: it decides the edit
            }
            String reason = "processing failed and was not retried (" + cause.getClass().getSimpleName() + ": "
                    + cause.getMessage() + ")" + (edit.state == EditState.WRITING
                            ? "; the write may have reached Azure — its tags show whether it did"
                            : "; nothing was written");
            outcomes.finish(edit, Decision.of(Outcome.FAILED, edit.policySeen, reason));
        });
        LOG.errorf(cause, "TAGSYNC-EDIT-001 edit %s of %s FAILED: processing failed and was not retried",
                event.editId(), event.resourceId());
    }

    // An edit left WRITING by a crash may have been written already. Azure decides first, before today's policy: if it
    // holds the change, the earlier attempt wrote it, and the outcome must say APPLIED (and the written tags be
    // remembered for drift), even if the policy has been narrowed since.
    private boolean resumeOfAnInterruptedWrite(TagEditRequested event) {
        boolean interrupted = QuarkusTransaction.requiringNew().call(() -> {
            TagEdit edit = edits.findById(event.editId());
            return edit != null && edit.state == EditState.WRITING && edit.describes(event);
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

    // Decides everything that needs no Azure call; returns the attempt number when the edit is to be written, else null.
    private Integer prepare(TagEditRequested event, boolean policiesCaughtUp) {
        TagEdit edit = edits.lock(event.editId());
        if (edit == null) {
            edit = adopt(event);
        }
        if (!edit.describes(event)) {
            // Never act on an event whose edit id names another edit: it could write where nobody asked.
            throw new IllegalArgumentException("edit id " + event.editId() + " already names an edit of "
                    + edit.resourceId + " with other contents; this event is not that edit");
        }
        if (edit.isDone()) {
            return null; // a redelivery of an edit already decided
        }
        Optional<KnownSubscription> sub = tenants.subscription(event.subscriptionId());
        if (sub.isEmpty() || !sub.get().tenantId().equals(event.tenantId())) {
            outcomes.finish(edit, Decision.of(Outcome.REJECTED_BY_POLICY, null,
                    "subscription " + event.subscriptionId() + " is not onboarded in tenant " + event.tenantId()));
            return null;
        }
        if (sub.get().tenantOffboarded()) {
            outcomes.finish(edit, Decision.of(Outcome.REJECTED_BY_POLICY, null,
                    "tenant " + event.tenantId() + " was offboarded; nothing is written"));
            return null;
        }
        if (!policiesCaughtUp) {
            outcomes.finish(edit, Decision.of(Outcome.FAILED, null,
                    "the sync policy could not be confirmed within " + policyWait + "; nothing was written"));
            return null;
        }
        Optional<SyncPolicy> policy = policies.policyOf(event.subscriptionId());
        if (policy.isEmpty()) {
            outcomes.finish(edit, Decision.of(Outcome.REJECTED_BY_POLICY, null,
                    "no sync policy has been seen for subscription " + event.subscriptionId() + "; nothing is written"));
            return null;
        }
        switch (policy.get()) {
            case NO_RESOURCES, NO_TAGS -> {
                outcomes.finish(edit, Decision.of(Outcome.REJECTED_BY_POLICY, policy.get(),
                        "the subscription's sync policy " + policy.get() + " does not allow tag edits"));
                return null;
            }
            case READ_TAGS_ONLY -> {
                platformTags.apply(edit);
                outcomes.finish(edit, Decision.of(Outcome.KEPT_IN_PLATFORM, policy.get(),
                        "the subscription's sync policy READ_TAGS_ONLY keeps edits in Canopy; nothing was sent to Azure"));
                return null;
            }
            case READ_WRITE_TAGS -> {
                edit.state = EditState.WRITING;
                edit.attempts++;
                edit.policySeen = policy.get();
                return edit.attempts;
            }
            default -> throw new IllegalStateException("unknown policy " + policy.get());
        }
    }

    // The policy is looked at again right before each request leaves, with a view at least as new as the topic's end
    // at that moment: a downgrade acknowledged while the edit waited for the write bucket still stops it, as does the
    // subscription's leaving the edit's tenant. The request is then sent holding the edit's row lock, and only if this
    // is still the edit's current attempt: a second copy of the writer that took the edit over (a rebalance, a
    // redelivery) waits for the request in flight, and an attempt it superseded sends nothing more.
    private SendGuard lastMomentCheck(TagEditRequested event, int attempt) {
        String subscriptionId = event.subscriptionId();
        return send -> {
            try {
                policies.awaitCaughtUp(policyWait);
            } catch (PolicyViewBehindException e) {
                throw new WriteVetoedException("the sync policy could not be confirmed before the write ("
                        + e.getMessage() + "); nothing was sent", e);
            }
            SyncPolicy now = policies.policyOf(subscriptionId).orElse(null);
            if (now != SyncPolicy.READ_WRITE_TAGS) {
                throw new WriteVetoedException(now, now == null
                        ? "the sync policy of subscription " + subscriptionId + " is no longer known; nothing was sent"
                        : "the subscription's sync policy changed to " + now + " before the write; nothing was sent");
            }
            Optional<KnownSubscription> sub = tenants.subscription(subscriptionId);
            if (sub.isEmpty() || !sub.get().tenantId().equals(event.tenantId())) {
                throw new WriteVetoedException(null, "subscription " + subscriptionId + " left tenant "
                        + event.tenantId() + " before the write; nothing was sent");
            }
            if (sub.get().tenantOffboarded()) {
                throw new WriteVetoedException(null, "the tenant was offboarded before the write; nothing was sent");
            }
            return QuarkusTransaction.requiringNew().timeout(SEND_LOCK_TIMEOUT_SECONDS).call(() -> {
                TagEdit edit = edits.lock(event.editId());
                if (edit == null || !edit.isWritingAttempt(attempt)) {
                    throw new AttemptSupersededException("another attempt took the edit over before the write");
                }
                return send.get();
            });
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

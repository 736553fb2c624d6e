package dev.canopy.tagsync.service;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.faulttolerance.Retry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.canopy.events.TagDrift;
import dev.canopy.events.TagEditOutcome;
import dev.canopy.events.TagEditOutcome.Outcome;
import dev.canopy.events.azure.TagNames;
import dev.canopy.events.azure.TagOperation;
import dev.canopy.events.policy.SyncPolicy;
import dev.canopy.messaging.outbox.OutboxWriter;
import dev.canopy.messaging.retry.TransientFailure;
import dev.canopy.tagsync.azure.TagsApiRequest;
import dev.canopy.tagsync.repository.EditState;
import dev.canopy.tagsync.repository.ResourceTagKey;
import dev.canopy.tagsync.repository.TagEdit;
import dev.canopy.tagsync.repository.TagEditRepository;
import dev.canopy.tagsync.repository.WrittenTag;
import dev.canopy.tagsync.repository.WrittenTagRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.faulttolerance.api.RetryWhen;

/**
 * Records what became of an edit — its one terminal outcome, or a later drift notice — and publishes it through the
 * outbox in the same transaction, so the audit trail and canopy.tag-edit-results never disagree.
 */
@ApplicationScoped
public class EditOutcomes {

    private static final ObjectMapper JSON = new ObjectMapper();

    // Outcomes a stop can cause: the HTTP client refusing calls, the policy view's consumer closing.
    private static final Set<Outcome> FAILURES = EnumSet.of(Outcome.FAILED, Outcome.FAILED_PERMISSION, Outcome.UNKNOWN);

    private final OutboxWriter outbox;
    private final WrittenTagRepository written;
    private final ShutdownSignal shutdown;
    private final TagEditRepository edits;

    public EditOutcomes(OutboxWriter outbox, WrittenTagRepository written, ShutdownSignal shutdown,
            TagEditRepository edits) {
        this.outbox = outbox;
        this.written = written;
        this.shutdown = shutdown;
        this.edits = edits;
    }

    /** The facts of a decision; {@code request} and {@code sentAt} only when something was sent to Azure. */
    public record Decision(Outcome outcome, SyncPolicy policy, String reason, Map<String, String> azureTags,
            TagsApiRequest request, Instant sentAt) {

        public static Decision of(Outcome outcome, SyncPolicy policy, String reason) {
            return new Decision(outcome, policy, reason, null, null, null);
        }
    }

    /**
     * Records what a numbered write attempt of an edit came to, in a transaction of its own, waiting out a passing
     * outage of the database (the write itself is never repeated for it).
     *
     * @return false when the attempt was superseded — another copy of the writer took the edit over and decides it
     */
    @Retry(maxRetries = -1, maxDuration = 0, delay = 1000, jitter = 500)
    @ExponentialBackoff(maxDelay = 30, maxDelayUnit = ChronoUnit.SECONDS)
    @RetryWhen(exception = TransientFailure.class)
    public boolean finishAttempt(UUID editId, int attempt, Decision decision) {
        return QuarkusTransaction.requiringNew().call(() -> {
            TagEdit edit = edits.lock(editId);
            if (edit == null || !edit.isWritingAttempt(attempt)) {
                return false;
            }
            finish(edit, decision);
            return true;
        });
    }

    /**
     * Ends the edit with its terminal outcome and publishes it; must run in the transaction holding the edit.
     *
     * @throws StoppingException for a failure outcome reached while the application stops: it may be the stop's
     *     doing, so the edit is not decided by it (the caller's transaction rolls back, the record is redelivered)
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void finish(TagEdit edit, Decision decision) {
        if (FAILURES.contains(decision.outcome()) && shutdown.stopping()) {
            throw new StoppingException(decision.outcome() + " (" + decision.reason() + ")");
        }
        Instant now = Instant.now();
        edit.state = EditState.DONE;
        edit.outcome = decision.outcome();
        edit.policySeen = decision.policy();
        edit.reason = decision.reason();
        edit.azureTags = decision.azureTags();
        edit.azureRequest = json(decision.request());
        edit.sentAt = decision.sentAt();
        edit.decidedAt = now;
        if (decision.outcome() == Outcome.APPLIED) {
            rememberWritten(edit, decision.azureTags(), now);
        }
        outbox.append(new TagEditOutcome(UUID.randomUUID(), now, edit.editId, edit.batchId, edit.tenantId,
                edit.subscriptionId, edit.resourceId, decision.outcome(), decision.policy(), decision.reason(),
                decision.azureTags(), null));
    }

    /** Publishes that Azure's values of tags this edit wrote have changed since. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void drift(TagEdit edit, List<TagDrift> drift) {
        outbox.append(new TagEditOutcome(UUID.randomUUID(), Instant.now(), edit.editId, edit.batchId, edit.tenantId,
                edit.subscriptionId, edit.resourceId, Outcome.DRIFT_DETECTED, edit.policySeen,
                "Azure's value of " + drift.size() + " tag(s) Canopy wrote has changed since", null, drift));
    }

    // The values Canopy now holds in Azure for the names this edit touched, in Azure's spelling.
    private void rememberWritten(TagEdit edit, Map<String, String> azureTags, Instant now) {
        written.lockAll(edit.resourceId); // the rows this may update, held until the outcome commits
        if (edit.operation == TagOperation.REPLACE) {
            written.delete("resourceId", edit.resourceId);
        }
        for (String name : edit.tags.keySet()) {
            ResourceTagKey key = new ResourceTagKey(edit.resourceId, TagNames.fold(name));
            WrittenTag row = written.findById(key);
            String held = azureTags == null ? null : azureTags.entrySet().stream()
                    .filter(e -> TagNames.same(e.getKey(), name)).map(Map.Entry::getKey).findFirst().orElse(null);
            if (edit.operation == TagOperation.DELETE || held == null) {
                if (row != null) {
                    written.delete(row);
                }
                continue;
            }
            boolean fresh = row == null;
            if (fresh) {
                row = WrittenTag.of(edit.resourceId, held);
            }
            row.name = held;
            row.value = azureTags.get(held);
            row.editId = edit.editId;
            row.writtenAt = now;
            row.driftedTo = null;
            row.driftSeenAt = null;
            if (fresh) {
                written.persist(row); // complete before persist: the insert carries the state persist saw
            }
        }
    }

    private static String json(TagsApiRequest request) {
        if (request == null) {
            return null;
        }
        try {
            return JSON.writeValueAsString(request);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not record the Tags API request", e);
        }
    }
}

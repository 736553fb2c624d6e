package dev.canopy.tagsync.azure;

import static dev.canopy.events.TagEditOutcome.Outcome.APPLIED;
import static dev.canopy.events.TagEditOutcome.Outcome.FAILED;
import static dev.canopy.events.TagEditOutcome.Outcome.FAILED_PERMISSION;
import static dev.canopy.events.TagEditOutcome.Outcome.REJECTED_BY_AZURE_RULES;
import static dev.canopy.events.TagEditOutcome.Outcome.UNKNOWN;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.canopy.azure.throttling.ThrottlingPolicy;
import dev.canopy.events.TagEditOutcome.Outcome;
import dev.canopy.events.azure.ArmResourceId;
import dev.canopy.events.azure.AzureTagRules;
import dev.canopy.events.azure.TagViolation;
import io.quarkus.logging.Log;

/**
 * The only class of tag-sync that changes anything in Azure: writes one resource's tags through ARM's Tags API
 * (PATCH with Merge, Replace or Delete, exactly the operation asked for) as Canopy's service principal of the
 * resource's tenant, and lets the tags Azure holds afterwards decide whether the write took effect.
 *
 * <p>Calls are synchronous and may wait (throttling, retries, a 202's status URL): call from a worker thread.
 */
@ApplicationScoped
public class AzureTagsWriter {

    // A 400 with one of these codes is Azure refusing the tags (a rule Canopy's check did not know, or tags someone
    // added between our read and our write), not a failed call.
    private static final Set<String> TAG_RULE_CODES = Arrays.stream(TagViolation.Rule.values())
            .map(TagViolation.Rule::azureErrorCode).collect(Collectors.toUnmodifiableSet());

    private final ArmPipelines arm;
    private final AzureTagsReader reader;
    private final AzureWriteConfig config;
    private final ObjectMapper json;

    public AzureTagsWriter(ArmPipelines arm, AzureTagsReader reader, AzureWriteConfig config, ObjectMapper json) {
        this.arm = arm;
        this.reader = reader;
        this.config = config;
        this.json = json;
    }

    /**
     * Writes one resource's tags: reads what Azure holds, re-spells requested names to Azure's spelling (Merge and
     * Delete), checks the result against Azure's tag rules, sends the PATCH, and reads the tags back.
     *
     * @param request what to write where
     * @return {@code APPLIED} only when the tags read back hold the change; {@code REJECTED_BY_AZURE_RULES} with every
     *     violation (nothing sent) or Azure's own refusal; {@code FAILED_PERMISSION} for a 401/403 (never retried);
     *     {@code FAILED} after bounded retries, or for a resource that is gone; {@code UNKNOWN} when Azure accepted
     *     the write but the tags read back do not show it (or could not be read)
     */
    public TagWriteResult write(TagWriteRequest request) {
        return write(request, SendGuard.NONE);
    }

    /**
     * As {@link #write(TagWriteRequest)}, asking {@code guard} right before the write (and each resend) leaves.
     *
     * @throws WriteVetoedException when the guard refused; nothing was sent after its refusal
     * @throws RuntimeException what the guard itself failed with (not a refusal), e.g. its database being away
     */
    public TagWriteResult write(TagWriteRequest request, SendGuard guard) {
        long started = System.nanoTime();
        TagWriteResult result = attempt(request, guard);
        // One line per write; the edit's own line (edit id, user) is the caller's. Headers are never logged, so no token is.
        Log.infof("Azure tags %s %s: %s in %d ms%s%s", request.operation().armName(), request.displayResourceId(),
                result.outcome(), (System.nanoTime() - started) / 1_000_000, result.sent() == null ? ", nothing sent" : "",
                result.reason() == null ? "" : " — " + result.reason());
        return result;
    }

    /**
     * Whether Azure already holds what the request asks, read with a GET and sending nothing: for an edit whose
     * earlier attempt may have written it before a crash.
     *
     * @return the tags Azure holds, if they hold the change; empty if not, or if they could not be read
     */
    public Optional<Map<String, String>> heldAlready(TagWriteRequest request) {
        ArmResourceId id = ArmResourceId.parse(request.displayResourceId());
        try {
            Map<String, String> current = reader.currentTags(request.tenantId(), id.displayId());
            TagWritePlan plan = TagWritePlan.of(arm.armEndpoint(), id.displayId(), request.operation(), request.tags(),
                    current);
            return plan.isHeldBy(current) ? Optional.of(current) : Optional.empty();
        } catch (AzureTagsException e) {
            return Optional.empty();
        }
    }

    private TagWriteResult attempt(TagWriteRequest request, SendGuard guard) {
        ArmResourceId id = ArmResourceId.parse(request.displayResourceId());
        if (!AzureTagRules.supportsTags(id.resourceType())) {
            // Azure refuses every tag write to such a type: no need to read its tags first.
            return TagWriteResult.notSent(REJECTED_BY_AZURE_RULES,
                    TagWritePlan.describe(AzureTagRules.validate(id, request.tags())));
        }
        Map<String, String> current;
        try {
            current = reader.currentTags(request.tenantId(), id.displayId());
        } catch (AzureTagsException e) {
            return TagWriteResult.notSent(outcomeOf(e), "reading the current tags failed: " + describe(e));
        }
        TagWritePlan plan = TagWritePlan.of(arm.armEndpoint(), id.displayId(), request.operation(), request.tags(), current);
        if (!plan.sendable()) {
            return TagWriteResult.notSent(REJECTED_BY_AZURE_RULES, plan.violationsText());
        }
        if (plan.isHeldBy(current)) {
            // Azure holds it already (e.g. the write of an edit redelivered after a crash went through): send nothing.
            return new TagWriteResult(APPLIED, "Azure already held the tags; nothing was sent", current, null, null);
        }
        // When the request really left: after the pipeline's pacing and Retry-After waits, as the guard is asked last.
        AtomicReference<Instant> left = new AtomicReference<>();
        SendGuard timed = send -> {
            AtomicBoolean sending = new AtomicBoolean();
            try {
                return guard.send(() -> {
                    sending.set(true);
                    left.set(Instant.now());
                    return send.get();
                });
            } catch (WriteVetoedException e) {
                throw e;
            } catch (RuntimeException e) {
                // The guard itself failed (its database, its view) before anything left: not Azure's answer.
                throw sending.get() ? e : new GuardFailure(e);
            }
        };
        ArmPipelines.Answer answer;
        try (HttpResponse response = arm.pipeline(request.tenantId()).sendSync(patch(plan.request()),
                SendGuardPolicy.context(timed))) {
            answer = ArmPipelines.Answer.of(response);
        } catch (RuntimeException e) {
            WriteVetoedException veto = find(e, WriteVetoedException.class);
            if (veto != null) {
                throw veto;
            }
            GuardFailure guardFailed = find(e, GuardFailure.class);
            if (guardFailed != null) {
                // The caller's own trouble, e.g. to be retried; an earlier try of this request that did leave is
                // found by the caller's read-back before any new write.
                throw guardFailed.failure();
            }
            return failedUnlessHeld(request, plan, left.get(), AzureTagsException.noAnswer(e));
        }
        Instant sentAt = left.get();
        return switch (answer.status()) {
            case 200, 201, 204 -> judgeByReadBack(request, plan, sentAt, null);
            case 202 -> judgeByReadBack(request, plan, sentAt, followStatusUrl(request.tenantId(), answer.headers()));
            default -> failedUnlessHeld(request, plan, sentAt,
                    AzureTagsException.fromAnswer(answer.status(), answer.body(), json));
        };
    }

    private HttpRequest patch(TagsApiRequest call) {
        try {
            return new HttpRequest(HttpMethod.valueOf(call.method()), call.url())
                    .setHeader(HttpHeaderName.CONTENT_TYPE, "application/json")
                    .setBody(json.writeValueAsBytes(call.body()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a tags body as JSON", e);
        }
    }

    /**
     * Follows a 202's {@code Location} until the operation completes, honouring its {@code Retry-After}.
     *
     * @return null when the operation completed, else what went wrong (then the write is never sent again blindly)
     */
    private String followStatusUrl(String tenantId, HttpHeaders accepted) {
        String location = accepted.getValue(HttpHeaderName.LOCATION);
        if (location == null) {
            return "Azure accepted the write (202) without a status URL";
        }
        if (!isArm(location)) {
            // Canopy's token goes to ARM only; a status URL elsewhere is not followed.
            return "Azure accepted the write (202) with a status URL outside ARM (" + URI.create(location).getHost() + ")";
        }
        long deadline = System.nanoTime() + config.asyncTimeout().toNanos();
        Duration wait = ThrottlingPolicy.retryAfter(accepted);
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return "Azure accepted the write (202) but its status URL still said running after " + config.asyncTimeout();
            }
            pause(Duration.ofNanos(Math.min(wait.toNanos(), left)));
            ArmPipelines.Answer status;
            try {
                status = arm.get(tenantId, location);
            } catch (AzureTagsException e) {
                return "Azure accepted the write (202) but its status URL failed: " + describe(e);
            }
            if (status.status() == 202) {
                wait = ThrottlingPolicy.retryAfter(status.headers());
            } else if (status.status() / 100 == 2) {
                return null;
            } else {
                return "Azure accepted the write (202) but its status URL failed: "
                        + describe(AzureTagsException.fromAnswer(status.status(), status.body(), json));
            }
        }
    }

    private boolean isArm(String url) {
        URI target = URI.create(url);
        URI armUri = URI.create(arm.armEndpoint());
        return "https".equalsIgnoreCase(target.getScheme()) && armUri.getHost().equalsIgnoreCase(target.getHost())
                && httpsPort(armUri) == httpsPort(target);
    }

    private static int httpsPort(URI uri) {
        return uri.getPort() < 0 ? 443 : uri.getPort();
    }

    /**
     * Reads the tags back and decides: {@code APPLIED} if Azure holds what was asked, else {@code UNKNOWN}.
     *
     * @param trouble what went wrong on the way (a failed status URL), or null after a plain success
     */
    private TagWriteResult judgeByReadBack(TagWriteRequest request, TagWritePlan plan, Instant sentAt, String trouble) {
        String before = trouble == null ? "Azure answered the write as done" : trouble;
        Map<String, String> after;
        try {
            after = reader.currentTags(request.tenantId(), request.displayResourceId());
        } catch (AzureTagsException e) {
            return new TagWriteResult(UNKNOWN, before + ", but reading the tags back failed: " + describe(e), null,
                    plan.request(), sentAt);
        }
        if (plan.isHeldBy(after)) {
            return new TagWriteResult(APPLIED, trouble == null ? null : trouble + "; the tags read back hold the change",
                    after, plan.request(), sentAt);
        }
        return new TagWriteResult(UNKNOWN, before + ", but the tags read back do not hold "
                + String.join(", ", plan.missing(after)) + " as asked" + (trouble == null ? "" : "; not written again"),
                after, plan.request(), sentAt);
    }

    /**
     * A write that got no answer, or a 5xx after the retries, may still have reached Azure and taken effect: the tags
     * read back decide between APPLIED and FAILED. Any other refusal (400, 403, 404) is final as it is.
     */
    private TagWriteResult failedUnlessHeld(TagWriteRequest request, TagWritePlan plan, Instant sentAt,
            AzureTagsException e) {
        boolean mayHaveLanded = sentAt != null && (e.status() == AzureTagsException.NO_ANSWER || e.status() >= 500);
        if (mayHaveLanded) {
            try {
                Map<String, String> after = reader.currentTags(request.tenantId(), request.displayResourceId());
                if (plan.isHeldBy(after)) {
                    return new TagWriteResult(APPLIED, describe(e) + "; the tags read back hold the change", after,
                            plan.request(), sentAt);
                }
            } catch (AzureTagsException readFailed) {
                // The failure stands as it is: nothing shows the write took effect.
            }
        }
        return failed(plan, sentAt, e);
    }

    private TagWriteResult failed(TagWritePlan plan, Instant sentAt, AzureTagsException e) {
        Outcome outcome = e.status() == 400 && TAG_RULE_CODES.contains(e.code()) ? REJECTED_BY_AZURE_RULES : outcomeOf(e);
        String reason = outcome == REJECTED_BY_AZURE_RULES ? "Azure refused the tags: " + e.code() + ": " + e.azureMessage()
                : describe(e);
        return new TagWriteResult(outcome, reason, null, plan.request(), sentAt);
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /** Carries a failure of the guard itself (not a veto, not Azure's) out of the pipeline. */
    private static final class GuardFailure extends RuntimeException {

        GuardFailure(RuntimeException failure) {
            super(failure.getMessage(), failure);
        }

        RuntimeException failure() {
            return (RuntimeException) getCause();
        }
    }

    private static Outcome outcomeOf(AzureTagsException e) {
        return e.permissionDenied() ? FAILED_PERMISSION : FAILED;
    }

    /** Azure's answer in words, with what the pipeline already tried for the kinds of failure it retries. */
    private String describe(AzureTagsException e) {
        if (e.status() == 404) {
            return "the resource is gone: " + e.getMessage();
        }
        if (e.status() == 429) {
            return "still throttled after waiting out " + config.maxThrottleWait() + ": " + e.getMessage();
        }
        boolean retried = !e.permissionDenied() && (e.status() == AzureTagsException.NO_ANSWER || e.status() == 408
                || e.status() >= 500 && e.status() != 501 && e.status() != 505);
        return e.getMessage() + (retried ? " (after " + config.maxRetries() + " retries)" : "");
    }

    private static void pause(Duration wait) {
        try {
            // The write's worker thread waits for Azure's long-running operation: that wait is the point here.
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while following Azure's status URL", e);
        }
    }
}

package dev.canopy.events;

import dev.canopy.events.topic.EventType;

import java.time.Instant;
import java.util.UUID;

/**
 * How far one collection run of one subscription got, for ops dashboards ("last collection per subscription").
 *
 * @param eventId unique id of this event
 * @param occurredAt when the run reached this phase
 * @param tenantId the customer's Entra tenant id, lower-cased
 * @param subscriptionId the subscription being collected, lower-cased
 * @param runId the run; equals {@code collectionRunId} of the snapshots it published
 * @param phase where the run is
 * @param pagesDone ARM list pages processed so far
 * @param resourcesSeen resources and resource groups seen so far
 * @param reason why the run ended early; required for {@link Phase#PARTIAL} and {@link Phase#ACCESS_LOST}, else {@code null} or a note
 */
public record CollectionRunProgress(
        UUID eventId,
        Instant occurredAt,
        String tenantId,
        String subscriptionId,
        UUID runId,
        Phase phase,
        long pagesDone,
        long resourcesSeen,
        String reason) implements CanopyEvent {

    /** The phases of a collection run. */
    public enum Phase {
        /** The run began. */
        STARTED,
        /** One more page of the resource list was processed. */
        PAGE_DONE,
        /** Everything was collected; vanished resources were tombstoned. */
        FINISHED,
        /** The run stopped before the end (e.g. shut down); nothing was tombstoned. */
        PARTIAL,
        /** Azure refused Canopy's principal (role removed, tenant gone). */
        ACCESS_LOST;

        /** @return whether a run in this phase ended without collecting everything, so a reason is owed */
        public boolean endedEarly() {
            return this == PARTIAL || this == ACCESS_LOST;
        }
    }

    /** Validates and normalizes the fields. */
    public CollectionRunProgress {
        Checks.envelope(eventId, occurredAt);
        tenantId = Checks.azureId(tenantId, "tenantId");
        subscriptionId = Checks.azureId(subscriptionId, "subscriptionId");
        Checks.required(runId, "runId");
        Checks.required(phase, "phase");
        Checks.nonNegative(pagesDone, "pagesDone");
        Checks.nonNegative(resourcesSeen, "resourcesSeen");
        if (phase.endedEarly()) {
            reason = Checks.text(reason, "reason");
        }
    }

    @Override
    public String kafkaKey() {
        return subscriptionId;
    }

    @Override
    public EventType type() {
        return EventType.COLLECTION_RUN_PROGRESS;
    }
}

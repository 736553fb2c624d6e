package dev.canopy.collector.rest;

import java.time.Instant;
import java.util.UUID;

/**
 * One subscription's collection status.
 *
 * @param state the last run's phase (FINISHED, PARTIAL, ACCESS_LOST, STARTED while running), AWAITING_POLICY
 *     before a policy was seen, NOT_COLLECTED before the first run, or OFFBOARDED
 * @param durationMillis the last run's duration; {@code null} while it runs
 */
public record CollectionStatusResponse(String subscriptionId, String tenantId, String displayName, String policy,
                                       String state, String reason, UUID lastRunId, Instant lastRunStartedAt,
                                       Instant lastRunFinishedAt, Long durationMillis, long pagesDone,
                                       long resourcesSeen, long snapshotsPublished, long tombstonesPublished,
                                       String spendState, String spendReason, long spendSnapshotsPublished,
                                       Instant nextRunAt, boolean runRequested) {
}

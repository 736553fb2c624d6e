package dev.canopy.events;

import dev.canopy.events.topic.EventType;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * All spend lines of one subscription for one usage day and one cost type; the compacted spend topic keeps the
 * latest per (subscription, day, cost type), so a restated day replaces the earlier one whole.
 *
 * @param eventId unique id of this event
 * @param occurredAt when the snapshot was published
 * @param tenantId the customer's Entra tenant id, lower-cased
 * @param subscriptionId the subscription billed, lower-cased
 * @param usageDate the usage day (in the billing data's own day boundaries)
 * @param costType actual or amortized cost
 * @param source where the numbers came from
 * @param lines every spend line of that day; empty for a day without spend
 * @param collectionRunId the collection run (or cost-export import) that produced the numbers
 */
public record SpendSnapshot(
        UUID eventId,
        Instant occurredAt,
        String tenantId,
        String subscriptionId,
        LocalDate usageDate,
        CostType costType,
        Source source,
        List<SpendLine> lines,
        UUID collectionRunId) implements CanopyEvent {

    /** Cost Management's two views of spend. */
    public enum CostType {
        /** Costs as billed: purchases on the day they were bought. */
        ACTUAL,
        /** Reservation and savings-plan purchases spread over the days that use them. */
        AMORTIZED
    }

    /** Where spend numbers came from. */
    public enum Source {
        /** The Cost Management query API (needs Cost Management Reader). */
        COST_MANAGEMENT,
        /** A cost export file the customer sends instead. */
        COST_EXPORT
    }

    /** Validates and normalizes the fields. */
    public SpendSnapshot {
        Checks.envelope(eventId, occurredAt);
        tenantId = Checks.azureId(tenantId, "tenantId");
        subscriptionId = Checks.azureId(subscriptionId, "subscriptionId");
        Checks.required(usageDate, "usageDate");
        Checks.required(costType, "costType");
        Checks.required(source, "source");
        lines = Checks.list(lines, "lines");
        Checks.required(collectionRunId, "collectionRunId");
    }

    /** @return {@code subscriptionId/usageDate/costType}, e.g. {@code 64e3…cf42/2024-09-01/ACTUAL} */
    @Override
    public String kafkaKey() {
        return key(subscriptionId, usageDate, costType);
    }

    /**
     * The key of a spend day on canopy.spend and canopy.spend-daily, e.g. {@code 64e3…cf42/2024-09-01/ACTUAL}.
     *
     * @param subscriptionId the subscription, lower-cased
     * @param usageDate the usage day
     * @param costType the cost type
     * @return {@code subscriptionId/usageDate/costType}
     */
    public static String key(String subscriptionId, LocalDate usageDate, CostType costType) {
        return subscriptionId + "/" + usageDate + "/" + costType;
    }

    @Override
    public EventType type() {
        return EventType.SPEND_SNAPSHOT;
    }
}

package dev.canopy.events;

import dev.canopy.events.topic.EventType;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The spend of one subscription for one usage day and one cost type, added up per currency, as cost-service holds it:
 * the feed other services read instead of summing spend lines themselves. The compacted topic keeps the latest per
 * (subscription, day, cost type) — the same key as the {@link SpendSnapshot} it was computed from — and a tombstone
 * under the key when the day's spend is gone (the spend topic's tombstone at offboarding).
 *
 * @param eventId unique id of this event
 * @param occurredAt when cost-service stored the day's spend these totals describe
 * @param tenantId the customer's Entra tenant id, lower-cased
 * @param subscriptionId the subscription billed, lower-cased
 * @param usageDate the usage day (in the billing data's own day boundaries)
 * @param costType actual or amortized cost; the two are never added
 * @param totals the day's spend per currency, exact, one entry per currency, by currency code; empty for a day
 *     without spend. Amounts of different currencies are never added, so there is no grand total.
 * @param lineCount how many spend lines the day has
 * @param source where the day's numbers came from
 */
public record SpendDailyTotal(
        UUID eventId,
        Instant occurredAt,
        String tenantId,
        String subscriptionId,
        LocalDate usageDate,
        SpendSnapshot.CostType costType,
        List<CurrencyAmount> totals,
        int lineCount,
        SpendSnapshot.Source source) implements CanopyEvent {

    /** Validates and normalizes the fields; the totals are sorted by currency, so equal days give equal JSON. */
    public SpendDailyTotal {
        Checks.envelope(eventId, occurredAt);
        tenantId = Checks.azureId(tenantId, "tenantId");
        subscriptionId = Checks.azureId(subscriptionId, "subscriptionId");
        Checks.required(usageDate, "usageDate");
        Checks.required(costType, "costType");
        totals = Checks.list(totals, "totals").stream()
                .sorted(Comparator.comparing(CurrencyAmount::currency)).toList();
        Set<String> currencies = new HashSet<>();
        for (CurrencyAmount total : totals) {
            if (!currencies.add(total.currency())) {
                throw new IllegalArgumentException("totals has " + total.currency()
                        + " twice: one total per currency");
            }
        }
        Checks.nonNegative(lineCount, "lineCount");
        Checks.required(source, "source");
    }

    /** @return {@code subscriptionId/usageDate/costType}, the key of the {@link SpendSnapshot} it sums */
    @Override
    public String kafkaKey() {
        return SpendSnapshot.key(subscriptionId, usageDate, costType);
    }

    @Override
    public EventType type() {
        return EventType.SPEND_DAILY_TOTAL;
    }
}

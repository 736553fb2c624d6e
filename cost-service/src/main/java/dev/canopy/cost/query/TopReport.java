package dev.canopy.cost.query;

import java.time.LocalDate;
import java.util.List;

import dev.canopy.events.SpendSnapshot.CostType;

/**
 * The answer of {@code GET /spend/top}: the largest groups of a tenant's spend, ranked per currency — amounts of
 * different currencies are never added, so neither are they compared.
 *
 * @param tenant the tenant id, lower-cased
 * @param from first usage day included
 * @param to last usage day included
 * @param costType ACTUAL or AMORTIZED
 * @param by what the groups are: {@code subscription}, {@code resourceGroup}, {@code service} or {@code resource}
 * @param limit the most groups listed per currency
 * @param currencies one ranking per currency with spend, by currency code; empty for a tenant without spend
 */
public record TopReport(String tenant, LocalDate from, LocalDate to, CostType costType, String by, int limit,
        List<Ranking> currencies) {

    /**
     * The groups of one currency, largest first; equal amounts in the order of their keys.
     *
     * @param currency the ISO 4217 code
     * @param total all spend of the query in that currency (also of the groups not listed)
     * @param groupCount how many groups have spend in that currency (the list stops at the limit)
     * @param items the largest groups, at most {@code limit}
     */
    public record Ranking(String currency, String total, int groupCount, List<Item> items) {
    }

    /**
     * One group of a ranking.
     *
     * @param key the group's key as in {@code GET /spend} (e.g. a normalized resource id), or {@code null} for spend
     *     without one (e.g. a charge without a resource)
     * @param label how to show the group
     * @param amount its spend in the ranking's currency, exact, in plain notation
     */
    public record Item(String key, String label, String amount) {
    }
}

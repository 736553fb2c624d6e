package dev.canopy.cost.query;

import java.time.LocalDate;
import java.util.List;

import dev.canopy.events.SpendSnapshot.CostType;

/**
 * The answer of {@code GET /spend}: the query as understood (cost type included, even when defaulted), the total per
 * currency, and the groups.
 *
 * @param tenant the tenant id, lower-cased
 * @param from first usage day included
 * @param to last usage day included
 * @param costType ACTUAL or AMORTIZED
 * @param groupBy what the groups are, e.g. {@code service} or {@code tag:CostCenter}
 * @param tagKey for a tag grouping: the key asked for; else {@code null}
 * @param tagKeySpellings for a tag grouping: every spelling of the key that gave a group its value; else null
 * @param totals all spend of the query per currency
 * @param groups the groups, by key (no key last); a tag value found on resources and on groups is two groups
 */
public record SpendReport(String tenant, LocalDate from, LocalDate to, CostType costType, String groupBy,
        String tagKey, List<String> tagKeySpellings, List<CurrencyTotal> totals, List<SpendGroup> groups) {
}

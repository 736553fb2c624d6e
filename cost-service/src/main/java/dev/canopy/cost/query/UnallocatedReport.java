package dev.canopy.cost.query;

import java.time.LocalDate;
import java.util.List;

import dev.canopy.events.SpendSnapshot.CostType;

/**
 * The answer of {@code GET /spend/unallocated}: spend whose resource has no tag of that key (in any spelling) and whose
 * resource group has none either.
 *
 * @param tenant the tenant id, lower-cased
 * @param from first usage day included
 * @param to last usage day included
 * @param costType ACTUAL or AMORTIZED
 * @param tagKey the key asked for (matched ignoring case)
 * @param totals the unallocated spend per currency
 * @param resources the unallocated spend per resource, by resource id; a charge without a resource has key null
 */
public record UnallocatedReport(String tenant, LocalDate from, LocalDate to, CostType costType, String tagKey,
        List<CurrencyTotal> totals, List<SpendGroup> resources) {
}

package dev.canopy.cost.query;

import java.math.BigDecimal;

/**
 * One row of a group-by query: the exact sum of one group's spend in one currency.
 *
 * @param key the group's key, or {@code null} for spend without one (no resource group, no location, no tag…)
 * @param label how to show the group
 * @param source for a tag grouping: where the value came from; else {@code null}
 * @param spelling for a tag grouping: the key's spelling on the resource or group that gave the value; else null
 * @param currency the ISO 4217 code
 * @param amount the sum, exactly
 */
record GroupRow(String key, String label, TagSource source, String spelling, String currency, BigDecimal amount) {
}

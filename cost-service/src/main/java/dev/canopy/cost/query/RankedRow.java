package dev.canopy.cost.query;

import java.math.BigDecimal;

/**
 * One row of a top-N query: a group among the largest of its currency.
 *
 * @param key the group's key, or {@code null} for spend without one
 * @param label how to show the group
 * @param currency the ISO 4217 code
 * @param amount the group's spend in that currency, exactly
 * @param currencyTotal all of the scope's spend in that currency, exactly
 * @param groupCount how many groups have spend in that currency
 */
record RankedRow(String key, String label, String currency, BigDecimal amount, BigDecimal currencyTotal,
        int groupCount) {
}

package dev.canopy.cost.query;

import java.util.List;

/**
 * One group of an answer, with its spend per currency (never added across currencies).
 *
 * @param key the group's key (e.g. a subscription id, a normalized resource id, a day, a tag value), or {@code null}
 *     for spend that has none
 * @param label how to show the group: the display spelling of an id, a resource group's name; else the key
 * @param tagSource for a tag grouping: {@code resource}, {@code resourceGroup} or {@code none}; else {@code null}
 * @param tagKeySpellings for a tag grouping: the spellings of the key that gave this group its value; else null
 * @param totals the group's spend per currency, by currency code
 */
public record SpendGroup(String key, String label, TagSource tagSource, List<String> tagKeySpellings,
        List<CurrencyTotal> totals) {
}

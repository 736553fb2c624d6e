package dev.canopy.cost.query;

/**
 * An amount in one currency. The amount is a string in plain notation with the scale of its parts (e.g.
 * {@code "12.006000000468"}): a JSON number would be read as a binary double by most clients and lose cents.
 */
public record CurrencyTotal(String currency, String amount) {
}

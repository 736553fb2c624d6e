package dev.canopy.events;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dev.canopy.events.json.DecimalStringSerializer;

import java.math.BigDecimal;

/**
 * An exact amount in one currency, e.g. one currency's part of a {@link SpendDailyTotal}.
 *
 * @param currency the ISO 4217 code, upper-cased
 * @param amount the exact amount; written as a JSON string in plain notation keeping its scale (e.g.
 *     {@code "12.006000000468"}), for the reason given on {@link SpendLine#amount()}
 */
public record CurrencyAmount(
        String currency,
        @JsonSerialize(using = DecimalStringSerializer.class) BigDecimal amount) {

    /** Validates and normalizes the fields. */
    public CurrencyAmount {
        currency = Checks.currency(currency, "currency");
        Checks.required(amount, "amount");
    }
}

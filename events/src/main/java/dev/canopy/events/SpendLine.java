package dev.canopy.events;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dev.canopy.events.azure.ArmResourceId;
import dev.canopy.events.json.DecimalStringSerializer;

import java.math.BigDecimal;

/**
 * One spend amount of a {@link SpendSnapshot}: one resource (or none) × service × meter category, in one currency.
 *
 * @param resourceId the normalized (lower-case) id the cost belongs to, or {@code null} for charges without a
 *     resource (e.g. purchases); derived from {@code displayResourceId} when {@code null}. Cost data may carry ids
 *     outside a subscription (reservation orders), so it is normalized, not parsed as an ARM id.
 * @param displayResourceId the id as the cost source spelled it (often lower-case already), or {@code null}
 * @param resourceGroup the resource group as the cost source spelled it, or {@code null}
 * @param serviceName the service, e.g. {@code Storage}, or {@code null} if the source has none
 * @param meterCategory the meter category, e.g. {@code Virtual Machines}, or {@code null} if the source has none
 * @param amount the exact cost; written as a JSON string (e.g. {@code "0.00001500000"}) keeping its scale, because
 *     a JSON number is read as a binary double by most consumers (JavaScript, Jackson's default for untyped
 *     trees) and spend must add up to the cent; never add amounts of different currencies
 * @param currency the ISO 4217 code of {@code amount}, upper-cased
 */
public record SpendLine(
        String resourceId,
        String displayResourceId,
        String resourceGroup,
        String serviceName,
        String meterCategory,
        @JsonSerialize(using = DecimalStringSerializer.class) BigDecimal amount,
        String currency) {

    /** Validates and normalizes the fields. */
    public SpendLine {
        String displayKey = ArmResourceId.lenientKey(displayResourceId);
        resourceId = resourceId == null ? displayKey : ArmResourceId.lenientKey(resourceId);
        if (displayKey != null && !displayKey.equals(resourceId)) {
            throw new IllegalArgumentException("resourceId '" + resourceId + "' is not the same resource as '"
                    + displayResourceId + "'");
        }
        Checks.required(amount, "amount");
        currency = Checks.currency(currency, "currency");
    }
}

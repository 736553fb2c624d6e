package dev.canopy.cost.export;

import java.math.BigDecimal;
import java.time.LocalDate;

import dev.canopy.events.SpendSnapshot.CostType;

/**
 * One spend fact as an export shows it.
 *
 * @param usageDate the usage day
 * @param subscriptionId the subscription billed, lower-cased
 * @param resourceGroup the resource group as the cost source spelled it, or {@code null}
 * @param resourceId the resource id as the cost source spelled it, or {@code null} for a charge without a resource
 * @param serviceName the cost source's service, or {@code null}
 * @param meterCategory the cost source's meter category, or {@code null}
 * @param costType actual or amortized
 * @param amount the exact amount
 * @param currency the ISO 4217 code of {@code amount}
 */
record ExportedFact(LocalDate usageDate, String subscriptionId, String resourceGroup, String resourceId,
        String serviceName, String meterCategory, CostType costType, BigDecimal amount, String currency) {
}

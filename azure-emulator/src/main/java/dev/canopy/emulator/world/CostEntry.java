package dev.canopy.emulator.world;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Map;

/**
 * One day's cost of one resource (or charge) in one currency, as Cost Management aggregates it.
 *
 * @param costType ActualCost or AmortizedCost
 * @param resourceId the id as the cost data spells it (often lower-cased), or null for charges without one
 * @param tags the resource's tags at usage time (cost data keeps these, not today's tags)
 */
public record CostEntry(LocalDate date, String subscriptionId, String resourceGroup, String resourceId,
                        String resourceType, String location, String serviceName, String meterCategory,
                        String chargeType, String pricingModel, String costType, BigDecimal cost, String currency,
                        Map<String, String> tags) {
    public CostEntry {
        tags = tags == null ? Map.of() : Tags.copy(tags);
        costType = costType == null ? "ActualCost" : costType;
    }
}

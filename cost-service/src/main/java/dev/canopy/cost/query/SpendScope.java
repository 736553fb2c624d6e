package dev.canopy.cost.query;

import java.time.LocalDate;

import dev.canopy.events.SpendSnapshot.CostType;

/**
 * Which spend a query covers: one tenant, one cost type (actual and amortized are never mixed), usage days from
 * {@code from} to {@code to}, both included.
 */
public record SpendScope(String tenantId, LocalDate from, LocalDate to, CostType costType) {
}

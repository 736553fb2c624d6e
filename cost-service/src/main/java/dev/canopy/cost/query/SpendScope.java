package dev.canopy.cost.query;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;

import dev.canopy.events.SpendSnapshot.CostType;

/**
 * Which spend a query covers: one tenant, one cost type (actual and amortized are never mixed), usage days from
 * {@code from} to {@code to}, both included.
 */
public record SpendScope(String tenantId, LocalDate from, LocalDate to, CostType costType) {

    /** The SQL condition that selects the scope's facts ({@code f} is {@code spend_fact}); {@link #bind} fills it. */
    public static final String FACTS_CONDITION =
            "f.tenant_id = ? AND f.cost_type = ? AND f.usage_date BETWEEN ? AND ?";

    /**
     * Binds the four parameters of {@link #FACTS_CONDITION}, starting at {@code first}.
     *
     * @return the index of the next parameter
     */
    public int bind(PreparedStatement statement, int first) throws SQLException {
        statement.setString(first, tenantId);
        statement.setString(first + 1, costType.name());
        statement.setObject(first + 2, from);
        statement.setObject(first + 3, to);
        return first + 4;
    }
}

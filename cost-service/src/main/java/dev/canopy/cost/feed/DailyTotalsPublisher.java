package dev.canopy.cost.feed;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import dev.canopy.events.CurrencyAmount;
import dev.canopy.events.SpendDailyTotal;
import dev.canopy.events.SpendSnapshot;
import dev.canopy.events.SpendSnapshot.CostType;
import dev.canopy.events.topic.CanopyTopic;
import dev.canopy.messaging.outbox.OutboxWriter;

/**
 * Feeds canopy.spend-daily from the spend days cost-service stores: called by SpendLedger right after a day was
 * replaced or removed, on the same connection and in the same transaction, it puts the day's totals per currency (or
 * a tombstone) into the outbox — so the feed holds a day if and only if the database does, and a rolled-back change
 * publishes nothing. The totals are read back from the stored facts, whatever wrote them (the spend topic, an import).
 */
@ApplicationScoped
public class DailyTotalsPublisher {

    private static final String KEY = "subscription_id = ? AND usage_date = ? AND cost_type = ?";
    private static final String DAY = "SELECT tenant_id, source, line_count FROM spend_day WHERE " + KEY;
    private static final String TOTALS = "SELECT currency, sum(amount) AS amount FROM spend_fact WHERE " + KEY
            + " GROUP BY currency ORDER BY currency";
    // Records what the feed is given; the WHERE leaves a day whose figures did not change alone (0 rows), so a
    // restatement with the same numbers, or a replay, publishes nothing new.
    private static final String REMEMBER = """
            INSERT INTO spend_daily_feed (subscription_id, usage_date, cost_type, tenant_id, source, line_count, totals,
                                          event_id, occurred_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (subscription_id, usage_date, cost_type) DO UPDATE SET
                tenant_id = excluded.tenant_id, source = excluded.source, line_count = excluded.line_count,
                totals = excluded.totals, event_id = excluded.event_id, occurred_at = excluded.occurred_at
            WHERE (spend_daily_feed.tenant_id, spend_daily_feed.source, spend_daily_feed.line_count,
                   spend_daily_feed.totals)
                  IS DISTINCT FROM (excluded.tenant_id, excluded.source, excluded.line_count, excluded.totals)""";
    private static final String FORGET = "DELETE FROM spend_daily_feed WHERE " + KEY;

    private final OutboxWriter outbox;

    public DailyTotalsPublisher(OutboxWriter outbox) {
        this.outbox = outbox;
    }

    /**
     * The day was stored anew: publishes its totals, unless the feed has them already.
     *
     * @param c the connection of the transaction that stored the day
     */
    public void dayReplaced(Connection c, String subscriptionId, LocalDate day, CostType costType)
            throws SQLException {
        SpendDailyTotal total = totalOf(c, subscriptionId, day, costType);
        try (PreparedStatement remember = c.prepareStatement(REMEMBER)) {
            bindKey(remember, subscriptionId, day, costType);
            remember.setString(4, total.tenantId());
            remember.setString(5, total.source().name());
            remember.setInt(6, total.lineCount());
            remember.setString(7, comparable(total.totals()));
            remember.setObject(8, total.eventId());
            remember.setTimestamp(9, Timestamp.from(total.occurredAt()));
            if (remember.executeUpdate() == 0) {
                return; // the feed's latest record of the key says the same
            }
        }
        outbox.append(total);
    }

    /**
     * The day was deleted: publishes a tombstone under its key, if the feed ever had it.
     *
     * @param c the connection of the transaction that deleted the day
     */
    public void dayRemoved(Connection c, String subscriptionId, LocalDate day, CostType costType)
            throws SQLException {
        try (PreparedStatement forget = c.prepareStatement(FORGET)) {
            bindKey(forget, subscriptionId, day, costType);
            if (forget.executeUpdate() == 0) {
                return; // never published: nothing to take back
            }
        }
        outbox.appendTombstone(CanopyTopic.SPEND_DAILY, SpendSnapshot.key(subscriptionId, day, costType));
    }

    private static SpendDailyTotal totalOf(Connection c, String subscriptionId, LocalDate day, CostType costType)
            throws SQLException {
        List<CurrencyAmount> totals = new ArrayList<>();
        try (PreparedStatement query = c.prepareStatement(TOTALS)) {
            bindKey(query, subscriptionId, day, costType);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    totals.add(new CurrencyAmount(rs.getString("currency"), rs.getBigDecimal("amount")));
                }
            }
        }
        try (PreparedStatement query = c.prepareStatement(DAY)) {
            bindKey(query, subscriptionId, day, costType);
            try (ResultSet rs = query.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("spend day " + SpendSnapshot.key(subscriptionId, day, costType)
                            + " is not stored: the feed publishes only stored days");
                }
                return new SpendDailyTotal(UUID.randomUUID(), Instant.now(), rs.getString("tenant_id"),
                        subscriptionId, day, costType, totals, rs.getInt("line_count"),
                        SpendSnapshot.Source.valueOf(rs.getString("source")));
            }
        }
    }

    private static void bindKey(PreparedStatement statement, String subscriptionId, LocalDate day, CostType costType)
            throws SQLException {
        statement.setString(1, subscriptionId);
        statement.setObject(2, day);
        statement.setString(3, costType.name());
    }

    // Equal by value, not by scale: a restatement of 1.50 as 1.5 is no change worth a record.
    private static String comparable(List<CurrencyAmount> totals) {
        return totals.stream().map(t -> t.currency() + " " + stripped(t.amount()))
                .collect(Collectors.joining(";"));
    }

    private static String stripped(BigDecimal amount) {
        return amount.stripTrailingZeros().toPlainString();
    }
}

package dev.canopy.cost.ingest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.canopy.cost.db.Jdbc;
import dev.canopy.cost.feed.DailyTotalsPublisher;
import dev.canopy.events.CanopyEvent;
import dev.canopy.events.SpendLine;
import dev.canopy.events.SpendSnapshot;
import dev.canopy.events.SpendSnapshot.CostType;
import dev.canopy.events.azure.ArmResourceId;
import dev.canopy.events.topic.CanopyTopic;

/**
 * Keeps {@code spend_day} and {@code spend_fact} equal to the latest snapshot per key of canopy.spend: a snapshot
 * replaces its (subscription, day, cost type) whole — a restated day is never added to the earlier one — and a
 * tombstone (sent at offboarding) removes it. Cost-export imports replace their days through the same
 * {@link #replaceDay}. Every replaced or removed day is handed to {@link DailyTotalsPublisher} in the same
 * transaction, for canopy.spend-daily.
 */
@ApplicationScoped
public class SpendLedger implements TopicApplier {

    private static final String DELETE_DAY =
            "DELETE FROM spend_day WHERE subscription_id = ? AND usage_date = ? AND cost_type = ?";
    private static final String INSERT_DAY = """
            INSERT INTO spend_day (subscription_id, usage_date, cost_type, tenant_id, source, event_id,
                                   collection_run_id, occurred_at, line_count)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""";
    private static final String INSERT_FACT = """
            INSERT INTO spend_fact (subscription_id, usage_date, cost_type, tenant_id, resource_id,
                                    display_resource_id, resource_group, resource_group_id, service_name,
                                    meter_category, amount, currency)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
    private static final int BATCH = 500;

    private final Jdbc jdbc;
    private final DailyTotalsPublisher dailyTotals;

    public SpendLedger(Jdbc jdbc, DailyTotalsPublisher dailyTotals) {
        this.jdbc = jdbc;
        this.dailyTotals = dailyTotals;
    }

    @Override
    public CanopyTopic topic() {
        return CanopyTopic.SPEND;
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(CanopyEvent event) {
        if (!(event instanceof SpendSnapshot snapshot)) {
            throw unexpected(event);
        }
        replaceDay(snapshot);
    }

    /**
     * Replaces the snapshot's (subscription, day, cost type) with its lines, in the caller's transaction. The one way
     * spend is written — canopy.spend snapshots and cost-export imports alike — so whatever must happen when a day
     * changes happens here for every writer.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void replaceDay(SpendSnapshot snapshot) {
        jdbc.call(c -> {
            // Delete, then insert, in the caller's transaction: readers see the old day or the new one, never both.
            deleteDay(c, snapshot.subscriptionId(), snapshot.usageDate(), snapshot.costType());
            insertDay(c, snapshot);
            insertFacts(c, snapshot);
            // The feed's record of the day goes to the outbox in this transaction: out if and only if the day is in.
            dailyTotals.dayReplaced(c, snapshot.subscriptionId(), snapshot.usageDate(), snapshot.costType());
            return null;
        });
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public void tombstone(String key) {
        String[] parts = key == null ? new String[0] : key.split("/", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("spend key '" + key + "' is not subscription/day/costType");
        }
        LocalDate day;
        CostType costType;
        try {
            day = LocalDate.parse(parts[1]);
            costType = CostType.valueOf(parts[2]);
        } catch (DateTimeParseException | IllegalArgumentException e) {
            throw new IllegalArgumentException("spend key '" + key + "' is not subscription/day/costType", e);
        }
        String subscriptionId = parts[0].toLowerCase(Locale.ROOT);
        jdbc.call(c -> {
            deleteDay(c, subscriptionId, day, costType);
            dailyTotals.dayRemoved(c, subscriptionId, day, costType);
            return null;
        });
    }

    private static int deleteDay(Connection c, String subscriptionId, LocalDate day, CostType costType)
            throws SQLException {
        // The facts go with the day (ON DELETE CASCADE).
        try (PreparedStatement delete = c.prepareStatement(DELETE_DAY)) {
            delete.setString(1, subscriptionId);
            delete.setObject(2, day);
            delete.setString(3, costType.name());
            return delete.executeUpdate();
        }
    }

    private static void insertDay(Connection c, SpendSnapshot s) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(INSERT_DAY)) {
            insert.setString(1, s.subscriptionId());
            insert.setObject(2, s.usageDate());
            insert.setString(3, s.costType().name());
            insert.setString(4, s.tenantId());
            insert.setString(5, s.source().name());
            insert.setObject(6, s.eventId());
            insert.setObject(7, s.collectionRunId());
            insert.setTimestamp(8, Timestamp.from(s.occurredAt()));
            insert.setInt(9, s.lines().size());
            insert.executeUpdate();
        }
    }

    private static void insertFacts(Connection c, SpendSnapshot s) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(INSERT_FACT)) {
            int pending = 0;
            for (SpendLine line : s.lines()) {
                String group = resourceGroupOf(line);
                insert.setString(1, s.subscriptionId());
                insert.setObject(2, s.usageDate());
                insert.setString(3, s.costType().name());
                insert.setString(4, s.tenantId());
                insert.setString(5, line.resourceId());
                insert.setString(6, line.displayResourceId());
                insert.setString(7, group);
                insert.setString(8, resourceGroupId(s.subscriptionId(), line.resourceId(), group));
                insert.setString(9, line.serviceName());
                insert.setString(10, line.meterCategory());
                insert.setBigDecimal(11, line.amount());
                insert.setString(12, line.currency());
                insert.addBatch();
                if (++pending == BATCH) {
                    insert.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                insert.executeBatch();
            }
        }
    }

    // The cost source's resource group; when it gives none, the group named in the resource id.
    private static String resourceGroupOf(SpendLine line) {
        if (line.resourceGroup() != null && !line.resourceGroup().isBlank()) {
            return line.resourceGroup();
        }
        ArmResourceId id = parseOrNull(line.resourceId());
        return id == null ? null : id.resourceGroup();
    }

    /**
     * The normalized ARM id of the line's resource group — the key under which canopy.tags and canopy.resources carry
     * the group — so a resource without a tag can fall back to its group's. The subscription is the resource's own
     * when its id names one, else the snapshot's.
     */
    static String resourceGroupId(String snapshotSubscription, String resourceId, String resourceGroup) {
        if (resourceGroup == null) {
            return null;
        }
        ArmResourceId resource = parseOrNull(resourceId);
        String subscription = resource != null ? resource.subscriptionId() : snapshotSubscription;
        ArmResourceId group = parseOrNull("/subscriptions/" + subscription + "/resourceGroups/" + resourceGroup);
        return group == null || group.scopeKind() != ArmResourceId.ScopeKind.RESOURCE_GROUP ? null : group.key();
    }

    private static ArmResourceId parseOrNull(String id) {
        if (id == null) {
            return null;
        }
        try {
            return ArmResourceId.parse(id);
        } catch (IllegalArgumentException e) {
            return null; // cost data carries ids outside subscriptions (reservation orders); they have no group
        }
    }
}

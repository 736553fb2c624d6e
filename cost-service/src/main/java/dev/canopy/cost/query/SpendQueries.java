package dev.canopy.cost.query;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import dev.canopy.cost.db.Jdbc;

/**
 * The group-by SQL over {@code spend_fact} and the dimension tables. Sums are PostgreSQL NUMERIC sums (exact), always
 * per currency; joins are on the normalized ids written at ingest, so the casing of an id in spend and in the inventory
 * never splits a resource in two.
 */
@ApplicationScoped
public class SpendQueries {

    // The scope's spend per resource first (far fewer rows than facts), then, per resource, the first entry of the tag
    // key in any spelling: the resource's own, and the one of its group as a fallback.
    private static final String TAGGED_FACTS = """
            WITH facts AS (
                SELECT f.resource_id, f.resource_group_id, f.currency,
                       min(f.display_resource_id) AS display_resource_id, sum(f.amount) AS amount
                FROM spend_fact f
                WHERE %s
                GROUP BY f.resource_id, f.resource_group_id, f.currency
            ), keyed AS (
                SELECT DISTINCT ON (e.resource_id) e.resource_id, e.name, e.value
                FROM tag_entry e JOIN tag_set s ON s.resource_id = e.resource_id
                WHERE e.name_key = ? AND s.tenant_id = ?
                ORDER BY e.resource_id, e.position
            )
            """.formatted(SpendScope.FACTS_CONDITION);
    private static final String TAG_JOINS = """
            FROM facts
            LEFT JOIN keyed r ON r.resource_id = facts.resource_id
            LEFT JOIN keyed g ON g.resource_id = facts.resource_group_id
            """;

    private static final String BY_TAG = TAGGED_FACTS + """
            SELECT coalesce(r.value, g.value) AS group_key,
                   CASE WHEN r.resource_id IS NOT NULL THEN 'resource'
                        WHEN g.resource_id IS NOT NULL THEN 'resourceGroup'
                        ELSE 'none' END AS source,
                   coalesce(r.name, g.name) AS spelling, facts.currency, sum(facts.amount) AS amount
            """ + TAG_JOINS + """
            GROUP BY 1, 2, 3, 4""";

    private static final String UNALLOCATED = TAGGED_FACTS + """
            SELECT facts.resource_id AS group_key,
                   min(coalesce(res.display_id, facts.display_resource_id)) AS label,
                   facts.currency, sum(facts.amount) AS amount
            """ + TAG_JOINS + """
            LEFT JOIN resource_dim res ON res.resource_id = facts.resource_id AND res.tenant_id = ?
            WHERE r.resource_id IS NULL AND g.resource_id IS NULL
            GROUP BY 1, 3""";

    private static final String RANKED = """
                SELECT grouped.*,
                       row_number() OVER (PARTITION BY currency
                                          ORDER BY amount DESC, group_key COLLATE "C" NULLS LAST) AS rank,
                       sum(amount) OVER (PARTITION BY currency) AS currency_total,
                       count(*) OVER (PARTITION BY currency) AS group_count
                FROM grouped
            """;

    private final Jdbc jdbc;

    public SpendQueries(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Spend per group and currency for every dimension but {@link Dimension#TAG}. */
    List<GroupRow> byDimension(SpendScope scope, Dimension dimension) {
        return jdbc.call(c -> read(c, grouped(dimension), scope, List.of(),
                rs -> new GroupRow(rs.getString("group_key"), rs.getString("label"), null, null,
                        rs.getString("currency"), rs.getBigDecimal("amount"))));
    }

    /**
     * Per currency, the {@code limit} groups with the most spend — ties in the order of their keys (byte order, as
     * Java compares them, whatever the database's collation), spend without a key last among equals — with the
     * currency's total and number of groups. Ranked in the database: a tenant's many resources never reach Java.
     */
    List<RankedRow> top(SpendScope scope, Dimension dimension, int limit) {
        String sql = "WITH grouped AS (\n" + grouped(dimension) + "\n), ranked AS (\n" + RANKED + ")\n"
                + "SELECT * FROM ranked WHERE rank <= ? ORDER BY currency, rank";
        return jdbc.call(c -> read(c, sql, scope, List.of(limit), rs -> new RankedRow(rs.getString("group_key"),
                rs.getString("label"), rs.getString("currency"), rs.getBigDecimal("amount"),
                rs.getBigDecimal("currency_total"), rs.getInt("group_count"))));
    }

    // One row per group and currency; the dimension's expressions are constants of the enum, never request text.
    private static String grouped(Dimension dimension) {
        return "SELECT " + dimension.keySql() + " AS group_key, min(" + dimension.labelSql() + ") AS label, "
                + "f.currency, sum(f.amount) AS amount\nFROM spend_fact f\n"
                + (dimension.joinsResource()
                        ? "LEFT JOIN resource_dim res ON res.resource_id = f.resource_id AND res.tenant_id = f.tenant_id\n"
                        : "")
                + (dimension.joinsResourceGroup()
                        ? "LEFT JOIN resource_dim rg ON rg.resource_id = f.resource_group_id AND rg.tenant_id = f.tenant_id\n"
                        : "")
                + "WHERE " + SpendScope.FACTS_CONDITION + "\nGROUP BY 1, f.currency";
    }

    /**
     * Spend per value of a tag key (ignoring the key's case) and currency: the resource's value, else its resource
     * group's, else none — one row per value, source and spelling of the key.
     */
    List<GroupRow> byTag(SpendScope scope, String tagKey) {
        return jdbc.call(c -> read(c, BY_TAG, scope, List.of(keyOf(tagKey), scope.tenantId()),
                rs -> new GroupRow(rs.getString("group_key"), rs.getString("group_key"),
                        TagSource.fromJson(rs.getString("source")), rs.getString("spelling"),
                        rs.getString("currency"), rs.getBigDecimal("amount"))));
    }

    /** Spend per resource and currency where neither the resource nor its resource group has the tag key. */
    List<GroupRow> unallocated(SpendScope scope, String tagKey) {
        return jdbc.call(c -> read(c, UNALLOCATED, scope, List.of(keyOf(tagKey), scope.tenantId(), scope.tenantId()),
                rs -> new GroupRow(rs.getString("group_key"), rs.getString("label"), null, null,
                        rs.getString("currency"), rs.getBigDecimal("amount"))));
    }

    /**
     * The statement a group-by runs, bound to the scope: what {@link #byDimension} and {@link #byTag} execute, for
     * the benchmark, which times it straight on the database next to the API.
     */
    public static PreparedStatement prepareGrouped(Connection c, SpendScope scope, GroupBy groupBy)
            throws SQLException {
        boolean byTag = groupBy.dimension() == Dimension.TAG;
        PreparedStatement statement = c.prepareStatement(byTag ? BY_TAG : grouped(groupBy.dimension()));
        int next = scope.bind(statement, 1);
        if (byTag) {
            statement.setString(next, keyOf(groupBy.tagKey()));
            statement.setString(next + 1, scope.tenantId());
        }
        return statement;
    }

    // The same lower-casing as at ingest (tag_entry.name_key), so both sides agree for every script.
    private static String keyOf(String tagKey) {
        return tagKey.toLowerCase(Locale.ROOT);
    }

    @FunctionalInterface
    private interface RowReader<R> {
        R read(ResultSet rs) throws SQLException;
    }

    private static <R> List<R> read(Connection c, String sql, SpendScope scope, List<?> more, RowReader<R> reader)
            throws SQLException {
        try (PreparedStatement query = c.prepareStatement(sql)) {
            int next = scope.bind(query, 1);
            for (Object parameter : more) {
                query.setObject(next++, parameter);
            }
            List<R> rows = new ArrayList<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    rows.add(reader.read(rs));
                }
            }
            return rows;
        }
    }
}

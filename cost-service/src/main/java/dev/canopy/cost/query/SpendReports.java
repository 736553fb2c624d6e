package dev.canopy.cost.query;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;

import dev.canopy.cost.query.SpendParameters.GroupedQuery;
import dev.canopy.cost.query.SpendParameters.TopQuery;
import dev.canopy.cost.query.SpendParameters.UnallocatedQuery;

/** Answers the spend API's queries: runs the SQL and shapes its rows into groups with per-currency totals. */
@ApplicationScoped
public class SpendReports {

    private static final Comparator<SpendGroup> BY_KEY_THEN_SOURCE = Comparator
            .comparing(SpendGroup::key, Comparator.nullsLast(Comparator.<String>naturalOrder()))
            .thenComparing(SpendGroup::tagSource, Comparator.nullsLast(Comparator.<TagSource>naturalOrder()));

    private final SpendQueries queries;

    public SpendReports(SpendQueries queries) {
        this.queries = queries;
    }

    /** {@code GET /spend}. */
    public SpendReport grouped(GroupedQuery query) {
        SpendScope scope = query.scope();
        GroupBy groupBy = query.groupBy();
        boolean byTag = groupBy.dimension() == Dimension.TAG;
        List<GroupRow> rows = byTag ? queries.byTag(scope, groupBy.tagKey())
                : queries.byDimension(scope, groupBy.dimension());
        List<SpendGroup> groups = groups(rows, byTag);
        List<String> spellings = byTag ? List.copyOf(spellingsOf(rows)) : null;
        return new SpendReport(scope.tenantId(), scope.from(), scope.to(), scope.costType(), groupBy.parameter(),
                groupBy.tagKey(), spellings, totals(rows), groups);
    }

    /** {@code GET /spend/unallocated}. */
    public UnallocatedReport unallocated(UnallocatedQuery query) {
        SpendScope scope = query.scope();
        List<GroupRow> rows = queries.unallocated(scope, query.tagKey());
        return new UnallocatedReport(scope.tenantId(), scope.from(), scope.to(), scope.costType(), query.tagKey(),
                totals(rows), groups(rows, false));
    }

    /** {@code GET /spend/top}: one ranking per currency, in the order the database ranked the groups. */
    public TopReport top(TopQuery query) {
        SpendScope scope = query.scope();
        SortedMap<String, List<RankedRow>> byCurrency = new TreeMap<>();
        for (RankedRow row : queries.top(scope, query.by(), query.limit())) {
            byCurrency.computeIfAbsent(row.currency(), currency -> new ArrayList<>()).add(row);
        }
        List<TopReport.Ranking> rankings = byCurrency.values().stream().map(rows -> {
            RankedRow first = rows.get(0);
            return new TopReport.Ranking(first.currency(), first.currencyTotal().toPlainString(), first.groupCount(),
                    rows.stream().map(r -> new TopReport.Item(r.key(), r.label(), r.amount().toPlainString()))
                            .toList());
        }).toList();
        return new TopReport(scope.tenantId(), scope.from(), scope.to(), scope.costType(), query.by().parameter(),
                query.limit(), rankings);
    }

    // Rows are per (key, source, spelling, currency); a group is per (key, source).
    private static List<SpendGroup> groups(List<GroupRow> rows, boolean byTag) {
        Map<List<Object>, List<GroupRow>> byGroup = new LinkedHashMap<>();
        for (GroupRow row : rows) {
            byGroup.computeIfAbsent(Arrays.asList(row.key(), row.source()), k -> new ArrayList<>()).add(row);
        }
        List<SpendGroup> groups = new ArrayList<>();
        for (List<GroupRow> members : byGroup.values()) {
            GroupRow first = members.get(0);
            String label = members.stream().map(GroupRow::label).filter(Objects::nonNull).min(Comparator.naturalOrder())
                    .orElse(null);
            groups.add(new SpendGroup(first.key(), label, first.source(),
                    byTag ? List.copyOf(spellingsOf(members)) : null, totals(members)));
        }
        groups.sort(BY_KEY_THEN_SOURCE);
        return groups;
    }

    // Exact: BigDecimal addition, one sum per currency, never across currencies.
    private static List<CurrencyTotal> totals(List<GroupRow> rows) {
        SortedMap<String, BigDecimal> sums = new TreeMap<>();
        rows.forEach(row -> sums.merge(row.currency(), row.amount(), BigDecimal::add));
        return sums.entrySet().stream().map(e -> new CurrencyTotal(e.getKey(), e.getValue().toPlainString())).toList();
    }

    private static SortedSet<String> spellingsOf(List<GroupRow> rows) {
        SortedSet<String> spellings = new TreeSet<>();
        rows.stream().map(GroupRow::spelling).filter(Objects::nonNull).forEach(spellings::add);
        return spellings;
    }
}

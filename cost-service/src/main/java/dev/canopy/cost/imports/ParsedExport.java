package dev.canopy.cost.imports;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import dev.canopy.events.SpendLine;
import dev.canopy.events.SpendSnapshot.CostType;

/**
 * Everything read from one valid export file, ready to be written: its charges grouped by the spend key they replace,
 * and the counts and totals the import answers with.
 */
final class ParsedExport {

    /** A spend key: the unit an import replaces, as a canopy.spend snapshot does. */
    record SpendKey(String subscriptionId, LocalDate day, CostType costType) {
        static final Comparator<SpendKey> ORDER = Comparator.comparing(SpendKey::subscriptionId)
                .thenComparing(SpendKey::day).thenComparing(SpendKey::costType);
    }

    /**
     * One charge of a spend key. Held instead of a {@link SpendLine} until written: its texts are shared between the
     * rows that repeat them, so a file of a million rows fits in memory.
     */
    record Charge(String resourceId, String resourceGroup, String service, String meterCategory, BigDecimal amount,
            String currency) {

        SpendLine toLine() {
            return new SpendLine(null, resourceId, resourceGroup, service, meterCategory, amount, currency);
        }
    }

    final ExportFormat format;
    final List<CostType> costTypes;
    private final SortedMap<SpendKey, List<Charge>> days = new TreeMap<>(SpendKey.ORDER);
    private final Map<CostType, Map<String, BigDecimal>> totals = new EnumMap<>(CostType.class);
    private final Map<String, Long> skippedByProvider = new TreeMap<>();
    private final Map<String, Long> firstRowOfSubscription = new LinkedHashMap<>();
    private final Map<String, String> shared = new HashMap<>();
    private long rowsRead;
    private long rowsImported;
    private String sha256;
    private long bytes;

    ParsedExport(ExportFormat format, List<CostType> costTypes) {
        this.format = format;
        this.costTypes = List.copyOf(costTypes);
        costTypes.forEach(type -> totals.put(type, new TreeMap<>()));
    }

    void rowRead() {
        rowsRead++;
    }

    void skipped(String provider) {
        skippedByProvider.merge(provider, 1L, Long::sum);
    }

    /** Adds the charges of one imported row (one per cost type). */
    void imported(long row, String subscriptionId, LocalDate day, Map<CostType, Charge> charges) {
        rowsImported++;
        firstRowOfSubscription.putIfAbsent(subscriptionId, row);
        charges.forEach((costType, charge) -> {
            days.computeIfAbsent(new SpendKey(subscriptionId, day, costType), k -> new ArrayList<>()).add(charge);
            totals.get(costType).merge(charge.currency(), charge.amount(), BigDecimal::add);
        });
    }

    /** The one instance of an equal text already seen (resource ids, groups and services repeat row after row). */
    String share(String text) {
        return text == null ? null : shared.computeIfAbsent(text, t -> t);
    }

    void finished(String sha256, long bytes) {
        this.sha256 = sha256;
        this.bytes = bytes;
        shared.clear();
    }

    SortedMap<SpendKey, List<Charge>> days() {
        return days;
    }

    Map<CostType, Map<String, BigDecimal>> totals() {
        return totals;
    }

    Map<String, Long> skippedByProvider() {
        return skippedByProvider;
    }

    /** Each subscription of the file with the first row that names it, in file order. */
    Map<String, Long> subscriptions() {
        return firstRowOfSubscription;
    }

    long rowsRead() {
        return rowsRead;
    }

    long rowsImported() {
        return rowsImported;
    }

    long rowsSkipped() {
        return rowsRead - rowsImported;
    }

    String sha256() {
        return sha256;
    }

    long bytes() {
        return bytes;
    }
}

package dev.canopy.cost;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import dev.canopy.events.SpendSnapshot.CostType;

/**
 * A cost-export file for the import tests — a real sample (src/test/resources/cost-exports) or one derived from it —
 * and what importing it must give: counts and totals the test computes itself, with Jackson's CSV reader and the
 * columns named plainly, not with cost-service's format detection and mapping.
 */
final class ExportFile {

    private static final String BOM = "\uFEFF";
    private static final DateTimeFormatter US_DATE = DateTimeFormatter.ofPattern("MM/dd/yyyy");
    private static final Pattern GUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    final String name;
    final byte[] bytes;
    private final String text;
    private List<Map<String, String>> rows;
    private List<String> columns;

    private ExportFile(String name, byte[] bytes) {
        this.name = name;
        this.bytes = bytes;
        String decoded = new String(bytes, StandardCharsets.UTF_8);
        this.text = decoded.startsWith(BOM) ? decoded.substring(1) : decoded;
    }

    /** A sample file, byte for byte. */
    static ExportFile sample(String fileName) {
        try (InputStream in = ExportFile.class.getResourceAsStream("/cost-exports/" + fileName)) {
            if (in == null) {
                throw new IllegalStateException("missing sample " + fileName);
            }
            return new ExportFile(fileName, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The header row as CSV. */
    String header() {
        return String.join(",", columns());
    }

    // Parsed when asked, so that a test can build a file this reader would refuse too.
    private List<String> columns() {
        rows();
        return columns;
    }

    private List<Map<String, String>> rows() {
        if (rows == null) {
            List<String[]> table = table(text);
            columns = List.of(table.get(0));
            rows = new ArrayList<>();
            for (String[] values : table.subList(1, table.size())) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 0; i < columns.size(); i++) {
                    row.put(columns.get(i), i < values.length ? values[i] : null);
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /** Whether this is a FOCUS file (else an EA one: the samples hold no MCA file). */
    boolean focus() {
        return columns().contains("BilledCost");
    }

    /**
     * The same file with every subscription id replaced (in any casing, wherever it stands: also inside resource ids)
     * by a fresh one, or by the one {@code fixed} gives it: the samples' subscriptions are shared by all tests of a
     * test JVM, and an import of one tenant's subscription under another is refused.
     */
    ExportFile withSubscriptions(Map<String, String> fixed) {
        Map<String, String> mapping = new HashMap<>();
        subscriptions().forEach(s -> mapping.put(s, fixed.getOrDefault(s, UUID.randomUUID().toString())));
        Matcher guids = GUID.matcher(text);
        StringBuilder renamed = new StringBuilder();
        while (guids.find()) {
            String found = guids.group();
            String to = mapping.get(found.toLowerCase(Locale.ROOT));
            String replacement = to == null ? found : found.equals(found.toUpperCase(Locale.ROOT))
                    ? to.toUpperCase(Locale.ROOT) : to;
            guids.appendReplacement(renamed, replacement);
        }
        guids.appendTail(renamed);
        return of("renamed-" + name, renamed.toString());
    }

    ExportFile withFreshSubscriptions() {
        return withSubscriptions(Map.of());
    }

    /** The same file with one cell changed; {@code row} counts the header as row 1. */
    ExportFile withCell(int row, String column, String value) {
        List<String[]> table = table(text);
        table.get(row - 1)[columns().indexOf(column)] = value;
        return of(name, csv(table));
    }

    /** The same file with every value of one column mapped. */
    ExportFile withColumn(String column, UnaryOperator<String> change) {
        List<String[]> table = table(text);
        int index = columns().indexOf(column);
        table.subList(1, table.size()).forEach(values -> values[index] = change.apply(values[index]));
        return of(name, csv(table));
    }

    /** The same EA file with every cost changed (Cost Management restating its days). */
    ExportFile withCosts(UnaryOperator<BigDecimal> change) {
        return withColumn("Cost", cost -> change.apply(new BigDecimal(cost)).toPlainString());
    }

    /** A file of exactly these bytes (e.g. not UTF-8). */
    static ExportFile raw(String name, byte[] bytes) {
        return new ExportFile(name, bytes);
    }

    /** A file of the given text, UTF-8 with a byte-order mark as Cost Management writes them. */
    static ExportFile of(String name, String text) {
        return new ExportFile(name, (BOM + text).getBytes(StandardCharsets.UTF_8));
    }

    /** The subscription ids of the file's rows, lower-cased, in file order. */
    Set<String> subscriptions() {
        return rows().stream().filter(this::isMicrosoft).map(this::subscription)
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    long rowCount() {
        return rows().size();
    }

    /** The rows an import keeps: all of an EA file, the Microsoft ones of a FOCUS file. */
    List<Map<String, String>> importedRows() {
        return rows().stream().filter(this::isMicrosoft).toList();
    }

    Map<String, Long> skippedByProvider() {
        return rows().stream().filter(r -> !isMicrosoft(r))
                .collect(Collectors.groupingBy(r -> r.get("ProviderName"), TreeMap::new, Collectors.counting()));
    }

    /** Per currency, the file's spend of one cost type. */
    Map<String, BigDecimal> totals(CostType costType) {
        return SpendWorld.normalized(sums(costType, r -> "all")).getOrDefault("all", Map.of());
    }

    /** Per group and currency, e.g. per subscription or per ISO day, as {@code GET /spend} groups them. */
    Map<String, Map<String, BigDecimal>> sums(CostType costType, Function<Map<String, String>, String> groupOf) {
        Map<String, Map<String, BigDecimal>> sums = new HashMap<>();
        for (Map<String, String> row : importedRows()) {
            sums.computeIfAbsent(groupOf.apply(row), g -> new HashMap<>())
                    .merge(row.get("BillingCurrency"), amount(row, costType), BigDecimal::add);
        }
        return SpendWorld.normalized(sums);
    }

    /** How many (subscription, day) keys one cost type of the file covers. */
    long days() {
        return importedRows().stream().map(r -> subscription(r) + "/" + day(r)).distinct().count();
    }

    LocalDate firstDay() {
        return importedRows().stream().map(this::day).min(Comparator.naturalOrder()).orElse(null);
    }

    LocalDate lastDay() {
        return importedRows().stream().map(this::day).max(Comparator.naturalOrder()).orElse(null);
    }

    String subscription(Map<String, String> row) {
        String id = focus() ? row.get("SubAccountId").replaceFirst("(?i)^/subscriptions/", "")
                : row.get("SubscriptionId");
        return id.toLowerCase(Locale.ROOT);
    }

    LocalDate day(Map<String, String> row) {
        return focus() ? LocalDate.parse(row.get("ChargePeriodStart").substring(0, 10))
                : LocalDate.parse(row.get("Date"), US_DATE);
    }

    private BigDecimal amount(Map<String, String> row, CostType costType) {
        String column = !focus() ? "Cost" : costType == CostType.ACTUAL ? "BilledCost" : "EffectiveCost";
        return new BigDecimal(row.get(column));
    }

    private boolean isMicrosoft(Map<String, String> row) {
        return !focus() || "Microsoft".equals(row.get("ProviderName"));
    }

    private static List<String[]> table(String text) {
        try (MappingIterator<String[]> it = new CsvMapper().readerFor(String[].class)
                .with(CsvParser.Feature.WRAP_AS_ARRAY).with(CsvParser.Feature.SKIP_EMPTY_LINES).readValues(text)) {
            return new ArrayList<>(it.readAll());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String csv(List<String[]> table) {
        StringWriter out = new StringWriter();
        try (SequenceWriter writer = new CsvMapper().writerFor(String[].class)
                .with(CsvSchema.emptySchema().withLineSeparator("\n")).writeValues(out)) {
            writer.writeAll(table);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}

package dev.canopy.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

/**
 * The test's own reading of the sample cost exports the emulator's default world is built from (FOCUS 1.0 Microsoft
 * rows, EA actual and amortized): every spend line with its subscription, cost type, resource and the tags of the
 * resource's latest row — independent of the emulator's and the services' code, so the demo's figures are checked
 * against the files, not against themselves.
 */
final class SampleFiles {

    /** One line of spend as the files give it. */
    record Line(String subscriptionId, String costType, String resourceKey, LocalDate date, BigDecimal amount,
            String currency) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter EA_DATE = DateTimeFormatter.ofPattern("MM/dd/yyyy");

    private final List<Line> lines = new ArrayList<>();
    /** Per lower-case ARM resource id: the date and tags of its latest row (a later file wins on the same day). */
    private final Map<String, LocalDate> latest = new HashMap<>();
    private final Map<String, Map<String, String>> tags = new HashMap<>();

    SampleFiles() {
        for (Map<String, String> row : csv("focus/focus_sample.microsoft-rows-only.csv")) {
            String id = row.get("ResourceId");
            LocalDate date = LocalDate.parse(row.get("ChargePeriodStart").substring(0, 10));
            // FOCUS names the billing sub-account; the resource's own subscription is in its ARM id.
            String subscription = id.split("/")[2].toLowerCase(Locale.ROOT);
            Map<String, String> rowTags = tags(row.get("Tags"), true);
            add(new Line(subscription, "ACTUAL", key(id), date, new BigDecimal(row.get("BilledCost")),
                    row.get("BillingCurrency")), rowTags);
            add(new Line(subscription, "AMORTIZED", key(id), date, new BigDecimal(row.get("EffectiveCost")),
                    row.get("BillingCurrency")), rowTags);
        }
        for (String[] file : new String[][] {{"finops-toolkit/EA_ActualCost_Small.csv", "ACTUAL"},
                {"finops-toolkit/EA_AmortizedCost_Small.csv", "AMORTIZED"}}) {
            for (Map<String, String> row : csv(file[0])) {
                add(new Line(row.get("SubscriptionId").toLowerCase(Locale.ROOT), file[1], key(row.get("ResourceId")),
                        LocalDate.parse(row.get("Date"), EA_DATE), new BigDecimal(row.get("Cost")),
                        row.get("BillingCurrency")), tags(row.get("Tags"), false));
            }
        }
    }

    List<Line> lines(String costType, Set<String> subscriptions) {
        return lines.stream().filter(l -> l.costType().equals(costType) && subscriptions.contains(l.subscriptionId()))
                .toList();
    }

    /** Spend per subscription and currency. */
    Map<String, Map<String, BigDecimal>> perSubscription(String costType, Set<String> subscriptions) {
        Map<String, Map<String, BigDecimal>> sums = new LinkedHashMap<>();
        for (Line line : lines(costType, subscriptions)) {
            sums.computeIfAbsent(line.subscriptionId(), s -> new HashMap<>()).merge(line.currency(), line.amount(),
                    BigDecimal::add);
        }
        return sums;
    }

    /**
     * Spend per value of a tag key (ignoring its case) of the line's resource, its latest tags; {@code null} for lines
     * without the tag, of a resource that is not an ARM resource, or of a subscription whose tags are not collected.
     */
    Map<String, Map<String, BigDecimal>> perTagValue(String costType, Set<String> subscriptions, String tagKey,
            Set<String> untaggedSubscriptions) {
        Map<String, Map<String, BigDecimal>> sums = new HashMap<>();
        for (Line line : lines(costType, subscriptions)) {
            String value = untaggedSubscriptions.contains(line.subscriptionId()) ? null
                    : tagValue(line.resourceKey(), tagKey).orElse(null);
            sums.computeIfAbsent(value, v -> new HashMap<>()).merge(line.currency(), line.amount(), BigDecimal::add);
        }
        return sums;
    }

    /** ARM resources and resource groups of a subscription (what a collection run lists). */
    int resourcesAndGroups(String subscriptionId) {
        Set<String> resources = new HashSet<>();
        Set<String> groups = new HashSet<>();
        for (Line line : lines) {
            if (line.resourceKey() != null && line.resourceKey().startsWith("/subscriptions/" + subscriptionId + "/")) {
                resources.add(line.resourceKey());
                groups.add(line.resourceKey().split("/")[4]);
            }
        }
        return resources.size() + groups.size();
    }

    private Optional<String> tagValue(String resourceKey, String tagKey) {
        return Optional.ofNullable(resourceKey).map(tags::get).flatMap(t -> t.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(tagKey)).map(Map.Entry::getValue).findFirst());
    }

    private void add(Line line, Map<String, String> rowTags) {
        lines.add(line);
        if (line.resourceKey() != null) {
            LocalDate known = latest.get(line.resourceKey());
            if (known == null || !line.date().isBefore(known)) {
                latest.put(line.resourceKey(), line.date());
                tags.put(line.resourceKey(), rowTags);
            }
        }
    }

    /** The lower-case ARM id, or null for a charge that is not an ARM resource (a reservation order, say). */
    private static String key(String resourceId) {
        String key = resourceId == null ? "" : resourceId.toLowerCase(Locale.ROOT);
        return key.startsWith("/subscriptions/") ? key : null;
    }

    /** FOCUS's Tags column is a JSON object; the EA exports leave off its braces. */
    private static Map<String, String> tags(String column, boolean focus) {
        if (column == null || column.isBlank() || column.equals("NULL")) {
            return Map.of();
        }
        try {
            Map<String, Object> raw = JSON.readValue(focus ? column : "{" + column + "}",
                    new TypeReference<LinkedHashMap<String, Object>>() {
                    });
            Map<String, String> result = new LinkedHashMap<>();
            raw.forEach((k, v) -> result.put(k, String.valueOf(v)));
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException("bad Tags column " + column, e);
        }
    }

    private static List<Map<String, String>> csv(String name) {
        try (InputStream in = SampleFiles.class.getResourceAsStream("/azure-samples/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the sample " + name + " is not on the classpath");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (text.startsWith("\uFEFF")) {
                text = text.substring(1);
            }
            try (MappingIterator<Map<String, String>> rows = new CsvMapper().readerForMapOf(String.class)
                    .with(CsvSchema.emptySchema().withHeader()).readValues(text)) {
                return rows.readAll();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the sample " + name, e);
        }
    }
}

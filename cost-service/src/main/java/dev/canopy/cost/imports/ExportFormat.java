package dev.canopy.cost.imports;

import static dev.canopy.cost.imports.ExportColumn.Field.BILLED_COST;
import static dev.canopy.cost.imports.ExportColumn.Field.CONSUMED_SERVICE;
import static dev.canopy.cost.imports.ExportColumn.Field.COST;
import static dev.canopy.cost.imports.ExportColumn.Field.CURRENCY;
import static dev.canopy.cost.imports.ExportColumn.Field.EFFECTIVE_COST;
import static dev.canopy.cost.imports.ExportColumn.Field.METER_CATEGORY;
import static dev.canopy.cost.imports.ExportColumn.Field.PROVIDER;
import static dev.canopy.cost.imports.ExportColumn.Field.RESOURCE_GROUP;
import static dev.canopy.cost.imports.ExportColumn.Field.RESOURCE_ID;
import static dev.canopy.cost.imports.ExportColumn.Field.SERVICE_NAME;
import static dev.canopy.cost.imports.ExportColumn.Field.SUBSCRIPTION;
import static dev.canopy.cost.imports.ExportColumn.Field.USAGE_DAY;
import static dev.canopy.cost.imports.ExportColumn.of;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import dev.canopy.cost.imports.ExportColumn.Field;
import dev.canopy.platform.problem.FieldViolation;
import dev.canopy.platform.problem.ProblemException;

/**
 * The cost-export files an import understands, told apart by their header row: Cost Management's FOCUS 1.0 export,
 * and its actual/amortized cost exports of Enterprise Agreement (EA) and Microsoft Customer Agreement (MCA) billing
 * accounts.
 */
public enum ExportFormat {

    /** FOCUS 1.0: one file holds both cost types (BilledCost → ACTUAL, EffectiveCost → AMORTIZED), any provider. */
    FOCUS_1_0(List.of(of(PROVIDER, "ProviderName"), of(SUBSCRIPTION, "SubAccountId"),
            of(USAGE_DAY, "ChargePeriodStart"), of(BILLED_COST, "BilledCost"), of(EFFECTIVE_COST, "EffectiveCost"),
            of(CURRENCY, "BillingCurrency"), of(RESOURCE_ID, "ResourceId"), of(SERVICE_NAME, "ServiceName")),
            List.of(of(RESOURCE_GROUP, "x_ResourceGroupName"), of(METER_CATEGORY, "x_SkuMeterCategory"))),

    /** EA cost details: one cost column, whose cost type only the caller knows (actual and amortized look alike). */
    EA(List.of(of(SUBSCRIPTION, "SubscriptionId", "SubscriptionGuid"), of(USAGE_DAY, "Date", "UsageDate"),
            of(COST, "CostInBillingCurrency", "Cost", "PreTaxCost"),
            of(CURRENCY, "BillingCurrency", "BillingCurrencyCode"), of(RESOURCE_ID, "ResourceId", "InstanceId"),
            of(RESOURCE_GROUP, "ResourceGroup", "ResourceGroupName"), of(METER_CATEGORY, "MeterCategory"),
            of(CONSUMED_SERVICE, "ConsumedService")), List.of()),

    /** MCA cost details: as EA, in the camelCase names of the MCA schema. */
    MCA(List.of(of(SUBSCRIPTION, "subscriptionId", "subscriptionGuid"), of(USAGE_DAY, "date"),
            of(COST, "costInBillingCurrency"), of(CURRENCY, "billingCurrency", "billingCurrencyCode"),
            of(RESOURCE_ID, "ResourceId", "instanceId"), of(RESOURCE_GROUP, "resourceGroupName", "resourceGroup"),
            of(METER_CATEGORY, "meterCategory"), of(CONSUMED_SERVICE, "consumedService")), List.of());

    /**
     * EA and MCA exports name what Canopy reads alike once case is ignored (an MCA file would pass for EA); only EA
     * (and pay-as-you-go) billing has enrollment accounts and their owner column.
     */
    private static final String EA_ONLY_COLUMN = "AccountOwnerId";

    private final List<ExportColumn> required;
    private final List<ExportColumn> optional;

    ExportFormat(List<ExportColumn> required, List<ExportColumn> optional) {
        this.required = required;
        this.optional = optional;
    }

    /** The columns this format must have. */
    List<ExportColumn> required() {
        return required;
    }

    /** Whether one file carries both cost types (FOCUS), so the caller need not name one. */
    public boolean carriesBothCostTypes() {
        return this == FOCUS_1_0;
    }

    /**
     * Recognises the format from the header row (names ignoring case; a byte-order mark is the reader's business).
     *
     * @throws ProblemException 400 naming every format known, the columns each expects and those this file lacks
     */
    static ExportLayout detect(List<String> header) {
        Map<String, Integer> positions = new HashMap<>();
        for (int i = header.size() - 1; i >= 0; i--) {
            // A name given twice: the first column wins, as a reader of the file would take it.
            positions.put(header.get(i).strip().toLowerCase(Locale.ROOT), i);
        }
        Map<ExportFormat, List<ExportColumn>> missing = new EnumMap<>(ExportFormat.class);
        List<ExportFormat> matching = new ArrayList<>();
        for (ExportFormat format : values()) {
            List<ExportColumn> lacking = format.required.stream()
                    .filter(column -> position(column, positions) < 0).toList();
            missing.put(format, lacking);
            if (lacking.isEmpty()) {
                matching.add(format);
            }
        }
        if (matching.isEmpty()) {
            throw unknown(header, missing);
        }
        ExportFormat format = matching.get(0);
        if (matching.contains(EA) && matching.contains(MCA)) {
            format = positions.containsKey(EA_ONLY_COLUMN.toLowerCase(Locale.ROOT)) ? EA : MCA;
        }
        return format.layout(positions, header.size());
    }

    private ExportLayout layout(Map<String, Integer> positions, int width) {
        Map<Field, Integer> index = new EnumMap<>(Field.class);
        Map<Field, String> names = new EnumMap<>(Field.class);
        for (List<ExportColumn> columns : List.of(required, optional)) {
            for (ExportColumn column : columns) {
                int position = position(column, positions);
                if (position >= 0) {
                    index.put(column.field(), position);
                    names.put(column.field(), column.spellings().stream()
                            .filter(s -> Integer.valueOf(position).equals(positions.get(s.toLowerCase(Locale.ROOT))))
                            .findFirst().orElseThrow());
                }
            }
        }
        return new ExportLayout(this, index, names, width);
    }

    // The first spelling the header has, in the order of preference.
    private static int position(ExportColumn column, Map<String, Integer> positions) {
        for (String spelling : column.spellings()) {
            Integer position = positions.get(spelling.toLowerCase(Locale.ROOT));
            if (position != null) {
                return position;
            }
        }
        return -1;
    }

    private static ProblemException unknown(List<String> header, Map<ExportFormat, List<ExportColumn>> missing) {
        List<FieldViolation> violations = new ArrayList<>();
        missing.forEach((format, lacking) -> violations.add(new FieldViolation("header", "UnknownFormat",
                format + " expects the columns " + describe(format.required) + "; this file lacks "
                        + describe(lacking))));
        String shown = header.size() <= 12 ? String.join(", ", header)
                : String.join(", ", header.subList(0, 12)) + ", … (" + header.size() + " columns)";
        return ProblemException.invalid("the header row is none of the cost-export formats Canopy reads ("
                + missing.keySet().stream().map(Enum::name).collect(Collectors.joining(", ")) + "): " + shown,
                violations);
    }

    private static String describe(List<ExportColumn> columns) {
        return columns.stream().map(ExportColumn::described).collect(Collectors.joining(", "));
    }
}

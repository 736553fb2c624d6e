package dev.canopy.cost.export;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.apache.commons.csv.CSVFormat;

import dev.canopy.events.SpendSnapshot.CostType;

/**
 * The file formats of {@code GET /spend/export}: the columns of each and how a spend fact fills them. Both are
 * RFC 4180 CSV (commons-csv does the quoting) with a header row; amounts are exact, in plain notation.
 */
public enum ExportFormat {

    /** Canopy's own columns, named as its API names the facts. */
    CSV("csv", "", "usageDate", "subscriptionId", "resourceGroup", "resourceId", "serviceName", "meterCategory",
            "costType", "amount", "currency") {
        @Override
        List<String> row(ExportedFact fact) {
            return Arrays.asList(fact.usageDate().toString(), fact.subscriptionId(), fact.resourceGroup(),
                    fact.resourceId(), fact.serviceName(), fact.meterCategory(), fact.costType().name(),
                    fact.amount().toPlainString(), fact.currency());
        }
    },

    /**
     * The same facts under FOCUS 1.0 column names, spelled as Microsoft's FOCUS export spells them (x_ columns are
     * Microsoft's extensions). Only the columns Canopy can fill are there, plus both cost columns: an export is one
     * cost type, so BilledCost is filled for ACTUAL and EffectiveCost for AMORTIZED, and the other stays empty —
     * Canopy does not hold the other view of the same charge (ask for the other cost type).
     */
    FOCUS("focus", "-focus", "ChargePeriodStart", "ChargePeriodEnd", "BillingCurrency", "BilledCost",
            "EffectiveCost", "SubAccountId", "ResourceId", "x_ResourceGroupName", "ServiceName",
            "x_SkuMeterCategory", "ProviderName", "PublisherName", "InvoiceIssuerName") {
        @Override
        List<String> row(ExportedFact fact) {
            String amount = fact.amount().toPlainString();
            boolean billed = fact.costType() == CostType.ACTUAL;
            // Canopy knows no marketplace publisher or reseller: Microsoft, as for Azure's own charges.
            return Arrays.asList(startOf(fact.usageDate()), startOf(fact.usageDate().plusDays(1)), fact.currency(),
                    billed ? amount : null, billed ? null : amount, "/subscriptions/" + fact.subscriptionId(),
                    fact.resourceId(), fact.resourceGroup(), fact.serviceName(), fact.meterCategory(), MICROSOFT,
                    MICROSOFT, MICROSOFT);
        }
    };

    private static final String MICROSOFT = "Microsoft";

    private final String parameter;
    private final String fileSuffix;
    private final CSVFormat csv;

    ExportFormat(String parameter, String fileSuffix, String... header) {
        this.parameter = parameter;
        this.fileSuffix = fileSuffix;
        // RFC 4180: CRLF between records, fields quoted only where they need it; a null field is empty.
        this.csv = CSVFormat.RFC4180.builder().setHeader(header).get();
    }

    /** The fact's fields in the order of the header; {@code null} for an empty field. */
    abstract List<String> row(ExportedFact fact);

    /** The name in {@code format}, e.g. {@code focus}. */
    public String parameter() {
        return parameter;
    }

    /** The header names in their order. */
    public List<String> header() {
        return List.of(csv.getHeader());
    }

    CSVFormat csv() {
        return csv;
    }

    /** What tells the file apart from the other format's in its name: nothing for csv, {@code -focus}. */
    String fileSuffix() {
        return fileSuffix;
    }

    /** The format with that {@code format} name, ignoring case. */
    public static Optional<ExportFormat> fromParameter(String name) {
        return Arrays.stream(values()).filter(f -> f.parameter.equals(name.toLowerCase(Locale.ROOT))).findFirst();
    }

    // FOCUS date-times are UTC ISO 8601 with seconds (2026-10-01T00:00:00Z); a charge period of a day starts at its
    // midnight and ends, exclusively, at the next.
    private static String startOf(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant().toString();
    }
}

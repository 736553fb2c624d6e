package dev.canopy.cost.imports;

import java.util.List;

/**
 * One value an import reads from a row, and the header names that carry it in one export format: the first is the
 * documented name, the others spellings other schema versions use. Names are matched ignoring case.
 */
record ExportColumn(Field field, List<String> spellings) {

    /** What a column means to Canopy. */
    enum Field {
        /** The charge's provider (FOCUS); rows of providers other than Microsoft are skipped. */
        PROVIDER,
        /** The subscription billed: a GUID, or {@code /subscriptions/{guid}} (FOCUS SubAccountId). */
        SUBSCRIPTION,
        /** The usage day (a date, or the start of the charge period). */
        USAGE_DAY,
        /** EA and MCA: the cost in the billing currency; the caller says whether it is actual or amortized. */
        COST,
        /** FOCUS: the cost as invoiced — actual cost. */
        BILLED_COST,
        /** FOCUS: the cost with purchases amortized over the days that use them — amortized cost. */
        EFFECTIVE_COST,
        /** The ISO 4217 code of the amounts. */
        CURRENCY,
        /** The resource's ARM id; blank for a charge without a resource. */
        RESOURCE_ID,
        /** The resource group's name. */
        RESOURCE_GROUP,
        /** FOCUS: the service name. */
        SERVICE_NAME,
        /** The meter category, e.g. {@code Virtual Machines}: Cost Management's service name. */
        METER_CATEGORY,
        /** EA and MCA: the resource provider that emitted the charge, e.g. {@code Microsoft.Compute}. */
        CONSUMED_SERVICE
    }

    static ExportColumn of(Field field, String... spellings) {
        return new ExportColumn(field, List.of(spellings));
    }

    /** The documented name, as the error answer and the README name it. */
    String name() {
        return spellings.get(0);
    }

    /** How the column is named in an error answer: the documented name and the others it accepts. */
    String described() {
        return spellings.size() == 1 ? name()
                : name() + " (or " + String.join(", ", spellings.subList(1, spellings.size())) + ")";
    }
}

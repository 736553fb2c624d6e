package dev.canopy.cost.imports;

import static dev.canopy.platform.problem.FieldViolation.echo;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Locale;
import java.util.regex.Pattern;

import dev.canopy.cost.imports.ExportColumn.Field;
import dev.canopy.events.azure.ArmResourceId;

/**
 * Reads the values of one row, checking each against its rule; a value that breaks one is recorded in
 * {@link RowProblems} and read as {@code null}, so every fault of the row is reported, not only the first.
 */
final class RowCheck {

    private static final Pattern GUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern CURRENCY = Pattern.compile("[A-Za-z]{3}");
    private static final String SUBSCRIPTION_SCOPE = "/subscriptions/";
    // EA and MCA files write US dates (09/04/2023); leading zeros are sometimes dropped by tools that re-save them.
    private static final DateTimeFormatter US_DATE = DateTimeFormatter.ofPattern("M/d/uuuu", Locale.ROOT)
            .withResolverStyle(ResolverStyle.STRICT);

    private final ExportLayout layout;
    private final String[] row;
    private final long number;
    private final RowProblems problems;
    private boolean broken;

    RowCheck(ExportLayout layout, String[] row, long number, RowProblems problems) {
        this.layout = layout;
        this.row = row;
        this.number = number;
        this.problems = problems;
    }

    /** False once any value of the row broke a rule. */
    boolean ok() {
        return !broken;
    }

    /** An optional value, or {@code null}. */
    String text(Field field) {
        return layout.value(row, field);
    }

    /** A value that must be there. */
    String required(Field field) {
        String value = text(field);
        if (value == null) {
            fail(field, "Required", "is required but empty");
        }
        return value;
    }

    /** An exact decimal amount (plain or exponent notation, as the file writes it). */
    BigDecimal amount(Field field) {
        String value = required(field);
        if (value == null) {
            return null;
        }
        try {
            return new BigDecimal(value);
        } catch (NumberFormatException e) {
            fail(field, "Decimal", "'" + echo(value) + "' is not a decimal amount (e.g. 0.000011139)");
            return null;
        }
    }

    /** An ISO 4217 code, upper-cased. */
    String currency(Field field) {
        String value = required(field);
        if (value == null) {
            return null;
        }
        if (!CURRENCY.matcher(value).matches()) {
            fail(field, "Currency", "'" + echo(value) + "' is not a three-letter ISO 4217 currency code");
            return null;
        }
        return value.toUpperCase(Locale.ROOT);
    }

    /**
     * The usage day: {@code MM/dd/yyyy} (EA, MCA), an ISO date, or an ISO date-time (FOCUS ChargePeriodStart,
     * with a space or a {@code T}); a date-time with an offset counts in UTC, as FOCUS defines its times.
     */
    LocalDate day(Field field) {
        String value = required(field);
        if (value == null) {
            return null;
        }
        try {
            if (value.indexOf('/') >= 0) {
                return LocalDate.parse(value, US_DATE);
            }
            if (value.length() == 10) {
                return LocalDate.parse(value);
            }
            String iso = value.charAt(10) == ' ' ? value.substring(0, 10) + 'T' + value.substring(11) : value;
            boolean offset = iso.endsWith("Z") || iso.lastIndexOf('+') > 10 || iso.lastIndexOf('-') > 10;
            return offset ? OffsetDateTime.parse(iso).withOffsetSameInstant(ZoneOffset.UTC).toLocalDate()
                    : LocalDateTime.parse(iso).toLocalDate();
        } catch (DateTimeParseException | StringIndexOutOfBoundsException e) {
            fail(field, "Date", "'" + echo(value) + "' is not a date (MM/dd/yyyy, yyyy-MM-dd or an ISO date-time)");
            return null;
        }
    }

    /** The subscription id, lower-cased: a GUID, bare or as {@code /subscriptions/{guid}} (FOCUS SubAccountId). */
    String subscription(Field field) {
        String value = required(field);
        if (value == null) {
            return null;
        }
        String id = value.regionMatches(true, 0, SUBSCRIPTION_SCOPE, 0, SUBSCRIPTION_SCOPE.length())
                ? value.substring(SUBSCRIPTION_SCOPE.length()) : value;
        if (!GUID.matcher(id).matches()) {
            fail(field, "SubscriptionId", "'" + echo(value) + "' is not a subscription id (a GUID, or "
                    + "/subscriptions/{guid})");
            return null;
        }
        return id.toLowerCase(Locale.ROOT);
    }

    /**
     * The resource id as the file spells it, or {@code null} for a charge without one. An id inside a subscription
     * must be a well-formed ARM id, since it is joined with the inventory and its resource group taken from it;
     * others (reservation orders, purchases) are kept as they are, normalized by {@code SpendLine}.
     */
    String resourceId(Field field) {
        String value = text(field);
        if (value != null && value.regionMatches(true, 0, SUBSCRIPTION_SCOPE, 0, SUBSCRIPTION_SCOPE.length())) {
            try {
                ArmResourceId.parse(value);
            } catch (IllegalArgumentException e) {
                fail(field, "ResourceId", e.getMessage());
                return null;
            }
        }
        return value;
    }

    private void fail(Field field, String rule, String message) {
        broken = true;
        String column = layout.name(field);
        problems.add(number, column, rule, column + " " + message);
    }
}

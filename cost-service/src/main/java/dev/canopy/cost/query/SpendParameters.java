package dev.canopy.cost.query;

import static dev.canopy.platform.problem.FieldViolation.echo;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

import dev.canopy.cost.export.ExportFormat;
import dev.canopy.events.SpendSnapshot.CostType;
import dev.canopy.platform.problem.ProblemException;

/**
 * Reads the query parameters of the spend API. Every broken rule is collected and answered together in one 400
 * (field and rule named), so a caller fixes a request once. A parameter given twice never gets here: service-platform's
 * SingleValuedQueryParameters refuses it for every API.
 */
public final class SpendParameters {

    /** The longest range one query may cover, both ends included: a year, leap day and all. */
    public static final int MAX_DAYS = 366;
    /** Without {@code costType}, spend is actual cost (as Azure's cost analysis shows by default); the answer says so. */
    public static final CostType DEFAULT_COST_TYPE = CostType.ACTUAL;
    /** Azure's longest tag name. */
    public static final int MAX_TAG_KEY_LENGTH = 512;

    /** How many groups {@code GET /spend/top} lists per currency without {@code limit}. */
    public static final int DEFAULT_TOP_LIMIT = 10;
    /** The most it lists: a ranking, not a dump (GET /spend and the export answer everything). */
    public static final int MAX_TOP_LIMIT = 100;
    /** What {@code GET /spend/top} ranks: the dimensions whose groups are things one can act on. */
    public static final List<Dimension> TOP_DIMENSIONS = List.of(Dimension.RESOURCE, Dimension.RESOURCE_GROUP,
            Dimension.SERVICE, Dimension.SUBSCRIPTION);

    private static final String GROUP_BY_VALUES = Arrays.stream(Dimension.values())
            .map(d -> d == Dimension.TAG ? "tag:{key}" : d.parameter()).collect(Collectors.joining(", "));
    private static final String TOP_BY_VALUES = TOP_DIMENSIONS.stream().map(Dimension::parameter)
            .collect(Collectors.joining(", "));
    private static final String FORMAT_VALUES = Arrays.stream(ExportFormat.values()).map(ExportFormat::parameter)
            .collect(Collectors.joining(", "));

    /** {@code GET /spend}: whose spend, and grouped how. */
    public record GroupedQuery(SpendScope scope, GroupBy groupBy) {
    }

    /** {@code GET /spend/unallocated}: whose spend, and which tag it lacks. */
    public record UnallocatedQuery(SpendScope scope, String tagKey) {
    }

    /** {@code GET /spend/top}: whose spend, ranked by what, how many per currency. */
    public record TopQuery(SpendScope scope, Dimension by, int limit) {
    }

    /** {@code GET /spend/export}: whose spend, in which file format. */
    public record ExportQuery(SpendScope scope, ExportFormat format) {
    }

    private final ParameterViolations violations = new ParameterViolations();

    private SpendParameters() {
    }

    /** @throws ProblemException 400 listing every broken rule */
    public static GroupedQuery grouped(String tenant, String from, String to, String costType, String groupBy) {
        return read(tenant, from, to, costType, (p, scope) -> new GroupedQuery(scope, p.groupBy(groupBy)));
    }

    /** @throws ProblemException 400 listing every broken rule */
    public static UnallocatedQuery unallocated(String tenant, String tagKey, String from, String to,
            String costType) {
        return read(tenant, from, to, costType, (p, scope) -> new UnallocatedQuery(scope, p.tagKey("tagKey", tagKey)));
    }

    /** @throws ProblemException 400 listing every broken rule */
    public static TopQuery top(String tenant, String from, String to, String costType, String by, String limit) {
        return read(tenant, from, to, costType, (p, scope) -> new TopQuery(scope, p.topBy(by), p.topLimit(limit)));
    }

    /** @throws ProblemException 400 listing every broken rule */
    public static ExportQuery export(String tenant, String from, String to, String costType, String format) {
        return read(tenant, from, to, costType, (p, scope) -> new ExportQuery(scope, p.format(format)));
    }

    // The scope every call has, then the call's own parameters; every broken rule of both is answered at once.
    private static <Q> Q read(String tenant, String from, String to, String costType,
            BiFunction<SpendParameters, SpendScope, Q> rest) {
        SpendParameters parameters = new SpendParameters();
        SpendScope scope = parameters.scope(tenant, from, to, costType);
        Q query = rest.apply(parameters, scope);
        parameters.throwIfBroken();
        return query;
    }

    private SpendScope scope(String tenant, String from, String to, String costType) {
        String tenantId = null;
        if (isBlank(tenant)) {
            broken("tenant", "Required", "tenant is required: the id of the customer tenant whose spend to show");
        } else {
            tenantId = tenant.strip().toLowerCase(Locale.ROOT);
        }
        LocalDate start = date("from", from);
        LocalDate end = date("to", to);
        if (start != null && end != null) {
            if (start.isAfter(end)) {
                broken("from", "FromNotAfterTo", "from (" + start + ") must not be after to (" + end + ")");
            } else if (ChronoUnit.DAYS.between(start, end) + 1 > MAX_DAYS) {
                broken("to", "MaxRange", "from " + start + " to " + end + " is " + (ChronoUnit.DAYS.between(start, end)
                        + 1) + " days; one query covers at most " + MAX_DAYS + " days, both ends included");
            }
        }
        return new SpendScope(tenantId, start, end, costType(costType));
    }

    private LocalDate date(String field, String value) {
        if (isBlank(value)) {
            broken(field, "Required", field + " is required: an ISO date (yyyy-MM-dd), the first or last usage day");
            return null;
        }
        try {
            return LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            broken(field, "IsoDate", field + " must be an ISO date (yyyy-MM-dd), was '" + echo(value) + "'");
            return null;
        }
    }

    private CostType costType(String value) {
        if (isBlank(value)) {
            return DEFAULT_COST_TYPE;
        }
        try {
            return CostType.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            broken("costType", "OneOf", "costType must be ACTUAL or AMORTIZED (default ACTUAL), was '" + echo(value)
                    + "'");
            return null;
        }
    }

    private GroupBy groupBy(String value) {
        if (isBlank(value)) {
            broken("groupBy", "Required", "groupBy is required: one of " + GROUP_BY_VALUES);
            return null;
        }
        String text = value.strip();
        int colon = text.indexOf(':');
        String name = colon < 0 ? text : text.substring(0, colon);
        Dimension dimension = Dimension.fromParameter(name).orElse(null);
        if (dimension == null || (dimension == Dimension.TAG) != (colon >= 0)) {
            broken("groupBy", "OneOf", "groupBy must be one of " + GROUP_BY_VALUES + ", was '" + echo(value) + "'");
            return null;
        }
        if (dimension != Dimension.TAG) {
            return new GroupBy(dimension, null);
        }
        String key = tagKey("groupBy", text.substring(colon + 1));
        return key == null ? null : new GroupBy(dimension, key);
    }

    private Dimension topBy(String value) {
        if (isBlank(value)) {
            broken("by", "Required", "by is required: one of " + TOP_BY_VALUES);
            return null;
        }
        Dimension dimension = Dimension.fromParameter(value.strip()).filter(TOP_DIMENSIONS::contains).orElse(null);
        if (dimension == null) {
            broken("by", "OneOf", "by must be one of " + TOP_BY_VALUES + ", was '" + echo(value) + "'");
        }
        return dimension;
    }

    private int topLimit(String value) {
        if (isBlank(value)) {
            return DEFAULT_TOP_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value.strip());
            if (limit >= 1 && limit <= MAX_TOP_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below, as any other value out of range
        }
        broken("limit", "Range", "limit must be a whole number from 1 to " + MAX_TOP_LIMIT + " (default "
                + DEFAULT_TOP_LIMIT + "), was '" + echo(value) + "'");
        return 0;
    }

    private ExportFormat format(String value) {
        if (isBlank(value)) {
            return ExportFormat.CSV;
        }
        ExportFormat format = ExportFormat.fromParameter(value.strip()).orElse(null);
        if (format == null) {
            broken("format", "OneOf", "format must be one of " + FORMAT_VALUES + " (default csv), was '"
                    + echo(value) + "'");
        }
        return format;
    }

    private String tagKey(String field, String value) {
        if (isBlank(value)) {
            broken(field, "TagKeyRequired", field + " needs a tag key, e.g. "
                    + (field.equals("groupBy") ? "tag:CostCenter" : "CostCenter") + " (matched ignoring case)");
            return null;
        }
        String key = value.strip();
        if (key.length() > MAX_TAG_KEY_LENGTH) {
            broken(field, "TagKeyLength", "a tag key has at most " + MAX_TAG_KEY_LENGTH + " characters, this one has "
                    + key.length());
            return null;
        }
        return key;
    }

    private void broken(String field, String rule, String message) {
        violations.broken(field, rule, message);
    }

    private void throwIfBroken() {
        violations.throwIfBroken();
    }

    private static boolean isBlank(String value) {
        return ParameterViolations.isBlank(value);
    }
}

package dev.canopy.cost.imports;

import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import dev.canopy.cost.query.ParameterViolations;
import dev.canopy.events.SpendSnapshot.CostType;
import dev.canopy.platform.problem.FieldViolation;
import dev.canopy.platform.problem.ProblemException;

/**
 * Reads the query parameters of the imports API. As for the spend API, every broken rule is answered together in one
 * 400, and parameters are checked before the tenant access (a 400 says nothing about a tenant).
 */
public final class ImportParameters {

    /** How many imports {@code GET /imports} answers without {@code limit}. */
    public static final int DEFAULT_LIMIT = 100;
    /** The most {@code GET /imports} answers. */
    public static final int MAX_LIMIT = 1000;

    /** {@code POST /imports}: whose spend, and which cost type (null: every type the file carries). */
    public record ImportQuery(String tenantId, CostType costType) {
    }

    /** {@code GET /imports}: whose imports, and how many of the latest. */
    public record ListQuery(String tenantId, int limit) {
    }

    private final ParameterViolations violations = new ParameterViolations();

    private ImportParameters() {
    }

    /** @throws ProblemException 400 listing every broken rule */
    public static ImportQuery forImport(String tenant, String costType) {
        ImportParameters parameters = new ImportParameters();
        String tenantId = parameters.tenant(tenant);
        CostType type = parameters.costType(costType);
        parameters.violations.throwIfBroken();
        return new ImportQuery(tenantId, type);
    }

    /** @throws ProblemException 400 listing every broken rule */
    public static ListQuery forList(String tenant, String limit) {
        ImportParameters parameters = new ImportParameters();
        String tenantId = parameters.tenant(tenant);
        int max = parameters.limit(limit);
        parameters.violations.throwIfBroken();
        return new ListQuery(tenantId, max);
    }

    /** An import id; anything that is not a UUID names no import, so it is not found rather than invalid. */
    public static Optional<UUID> importId(String id) {
        try {
            return Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private String tenant(String value) {
        if (ParameterViolations.isBlank(value)) {
            violations.broken("tenant", "Required", "tenant is required: the id of the customer tenant the spend "
                    + "belongs to");
            return null;
        }
        return value.strip().toLowerCase(Locale.ROOT);
    }

    private CostType costType(String value) {
        if (ParameterViolations.isBlank(value)) {
            return null;
        }
        try {
            return CostType.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            violations.broken("costType", "OneOf", "costType must be ACTUAL or AMORTIZED (required for EA and MCA "
                    + "exports, optional for FOCUS), was '" + FieldViolation.echo(value) + "'");
            return null;
        }
    }

    private int limit(String value) {
        if (ParameterViolations.isBlank(value)) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value.strip());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below, as for an out-of-range number
        }
        violations.broken("limit", "Range", "limit must be a whole number from 1 to " + MAX_LIMIT + " (default "
                + DEFAULT_LIMIT + ")");
        return DEFAULT_LIMIT;
    }
}

package dev.canopy.cost.imports;

import java.util.List;

/**
 * The answer of {@code GET /imports}: a tenant's latest imports, newest first.
 *
 * @param tenant the tenant id, lower-cased
 * @param imports at most the {@code limit} asked for
 */
public record ImportList(String tenant, List<ImportReport> imports) {
}

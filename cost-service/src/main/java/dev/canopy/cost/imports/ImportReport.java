package dev.canopy.cost.imports;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.canopy.cost.query.CurrencyTotal;
import dev.canopy.events.SpendSnapshot.CostType;

/**
 * One cost-export import as the API answers it.
 *
 * @param id the import's id (also the {@code collection_run_id} of the spend days it wrote)
 * @param tenant the tenant id, lower-cased
 * @param format FOCUS_1_0, EA or MCA, as recognised from the header
 * @param costTypes the cost types imported: both for a FOCUS file unless the caller chose one
 * @param rowsRead the data rows of the file (the header not counted)
 * @param rowsImported the rows written as spend
 * @param rowsSkipped the rows left out: charges of providers other than Microsoft in a FOCUS file
 * @param skippedByProvider the skipped rows per provider, e.g. {@code {"AWS": 942}}
 * @param days how many (subscription, usage day, cost type) keys the import replaced
 * @param firstDay the first usage day in the file, or {@code null} for a file without rows
 * @param lastDay the last usage day in the file, or {@code null}
 * @param totals per cost type, the file's spend per currency (exact, as strings)
 * @param sha256 the SHA-256 of the body: the same bytes for the same tenant and cost types are one import
 * @param bytes the size of the body
 * @param importedAt when the import was written
 * @param importedBy the subject of the caller's token
 * @param duplicate true when these bytes had been imported already and this answer is that earlier import
 */
public record ImportReport(UUID id, String tenant, ExportFormat format, List<CostType> costTypes, long rowsRead,
        long rowsImported, long rowsSkipped, Map<String, Long> skippedByProvider, int days, LocalDate firstDay,
        LocalDate lastDay, Map<CostType, List<CurrencyTotal>> totals, String sha256, long bytes, Instant importedAt,
        String importedBy, boolean duplicate) {

    /** The same import, answered to a repeated upload. */
    ImportReport asDuplicate() {
        return new ImportReport(id, tenant, format, costTypes, rowsRead, rowsImported, rowsSkipped, skippedByProvider,
                days, firstDay, lastDay, totals, sha256, bytes, importedAt, importedBy, true);
    }
}

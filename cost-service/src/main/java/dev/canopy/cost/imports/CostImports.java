package dev.canopy.cost.imports;

import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.canopy.events.SpendSnapshot.CostType;
import dev.canopy.platform.problem.ProblemException;

/**
 * Cost-export imports: a file is read and checked whole first, outside any transaction (no database connection is
 * held while an upload streams in), then written in one transaction by {@link ImportWriter}.
 */
@ApplicationScoped
public class CostImports {

    private static final Logger LOG = Logger.getLogger(CostImports.class);

    private final ImportWriter writer;
    private final ImportRecords records;

    public CostImports(ImportWriter writer, ImportRecords records) {
        this.writer = writer;
        this.records = records;
    }

    /**
     * Imports one export file for a tenant the caller administers.
     *
     * @param costType the cost type the caller named, or {@code null} (allowed for FOCUS only)
     * @return the import, or the earlier import of the same bytes marked {@code duplicate}
     * @throws ProblemException 400 for a file Canopy cannot read or that breaks a rule; nothing is written then
     */
    public ImportReport importFile(String tenantId, CostType costType, InputStream body, String caller) {
        long started = System.nanoTime();
        ParsedExport export = CostExportReader.read(body, costType);
        long read = System.nanoTime();
        ImportReport report = writer.write(tenantId, export, caller);
        LOG.infof("import %s%s: read %d rows (%d bytes) in %d ms, wrote in %d ms", report.id(),
                report.duplicate() ? " (duplicate)" : "", report.rowsRead(), report.bytes(),
                (read - started) / 1_000_000, (System.nanoTime() - read) / 1_000_000);
        return report;
    }

    /** An import by id, whatever its tenant: the caller checks access. */
    public Optional<ImportReport> find(UUID id) {
        return records.find(id);
    }

    /** The tenant's latest imports, newest first. */
    public List<ImportReport> list(String tenantId, int limit) {
        return records.list(tenantId, limit);
    }
}

package dev.canopy.cost.imports;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import dev.canopy.cost.db.Jdbc;
import dev.canopy.cost.imports.ParsedExport.Charge;
import dev.canopy.cost.imports.ParsedExport.SpendKey;
import dev.canopy.cost.ingest.SpendLedger;
import dev.canopy.cost.query.CurrencyTotal;
import dev.canopy.events.SpendSnapshot;
import dev.canopy.events.SpendSnapshot.CostType;
import dev.canopy.platform.problem.FieldViolation;
import dev.canopy.platform.problem.ProblemException;
import io.quarkus.narayana.jta.runtime.TransactionConfiguration;

/**
 * Writes a checked import in one transaction: its record, then every spend key of the file replaced through
 * {@link SpendLedger} — or nothing at all, when the tenant guard refuses the file or anything fails.
 */
@ApplicationScoped
public class ImportWriter {

    private static final Logger LOG = Logger.getLogger(ImportWriter.class);

    // Subscriptions another tenant already has in cost-service: its spend, or its inventory.
    private static final String FOREIGN_SUBSCRIPTIONS = """
            SELECT subscription_id FROM spend_day WHERE subscription_id = ANY (?) AND tenant_id <> ?
            UNION
            SELECT subscription_id FROM resource_dim WHERE subscription_id = ANY (?) AND tenant_id <> ?
            ORDER BY 1""";
    // Serializes the guard and the writes of concurrent imports naming one subscription, so two tenants cannot both
    // pass the guard for it.
    private static final String LOCK_SUBSCRIPTION = "SELECT pg_advisory_xact_lock(hashtextextended(?, 0))";
    private static final String LOCK_NAMESPACE = "canopy.cost-import.subscription:";

    private final ImportRecords records;
    private final SpendLedger ledger;
    private final Jdbc jdbc;

    public ImportWriter(ImportRecords records, SpendLedger ledger, Jdbc jdbc) {
        this.records = records;
        this.ledger = ledger;
        this.jdbc = jdbc;
    }

    /**
     * Writes the import, or finds that the tenant imported these bytes as these cost types before.
     *
     * @return the import written, or the earlier one marked {@code duplicate}
     * @throws ProblemException 400 when a subscription of the file belongs to another tenant
     */
    @Transactional
    // Generous: a file at the body limit (up to about a million rows; 204,000 took 16 s) is written in this one
    // transaction.
    @TransactionConfiguration(timeout = 3600, timeoutFromConfigProperty = "canopy.cost.imports.transaction-timeout")
    public ImportReport write(String tenantId, ParsedExport export, String caller) {
        ImportReport report = report(tenantId, export, caller);
        if (!records.insert(report)) {
            return records.findSame(tenantId, export.sha256(), export.costTypes).orElseThrow().asDuplicate();
        }
        requireOwnSubscriptions(tenantId, export);
        Iterator<Map.Entry<SpendKey, List<Charge>>> days = export.days().entrySet().iterator();
        while (days.hasNext()) {
            Map.Entry<SpendKey, List<Charge>> day = days.next();
            SpendKey key = day.getKey();
            ledger.replaceDay(new SpendSnapshot(UUID.randomUUID(), report.importedAt(), tenantId, key.subscriptionId(),
                    key.day(), key.costType(), SpendSnapshot.Source.COST_EXPORT,
                    day.getValue().stream().map(Charge::toLine).toList(), report.id()));
            days.remove(); // written: its charges need not stay in memory until the commit
        }
        LOG.infof("import %s of tenant %s: %s, %d of %d rows, %d days replaced", report.id(), tenantId,
                report.format(), report.rowsImported(), report.rowsRead(), report.days());
        return report;
    }

    private static ImportReport report(String tenantId, ParsedExport export, String caller) {
        Map<CostType, List<CurrencyTotal>> totals = new EnumMap<>(CostType.class);
        export.totals().forEach((costType, byCurrency) -> totals.put(costType, byCurrency.entrySet().stream()
                .map(e -> new CurrencyTotal(e.getKey(), e.getValue().toPlainString())).toList()));
        Set<SpendKey> keys = export.days().keySet();
        return new ImportReport(UUID.randomUUID(), tenantId, export.format, export.costTypes, export.rowsRead(),
                export.rowsImported(), export.rowsSkipped(), export.skippedByProvider(), keys.size(),
                keys.stream().map(SpendKey::day).min(Comparator.naturalOrder()).orElse(null),
                keys.stream().map(SpendKey::day).max(Comparator.naturalOrder()).orElse(null), totals,
                export.sha256(), export.bytes(),
                // As PostgreSQL keeps it: the answer to the upload equals what GET /imports/{id} answers later.
                Instant.now().truncatedTo(ChronoUnit.MICROS), caller, false);
    }

    /**
     * Refuses the whole file when one of its subscriptions is known under another tenant: otherwise one tenant's
     * admin could replace another tenant's spend days. The other tenant is not named.
     */
    private void requireOwnSubscriptions(String tenantId, ParsedExport export) {
        Map<String, Long> subscriptions = new TreeMap<>(export.subscriptions());
        List<FieldViolation> violations = jdbc.call(c -> {
            try (PreparedStatement lock = c.prepareStatement(LOCK_SUBSCRIPTION)) {
                for (String subscription : subscriptions.keySet()) { // sorted: two imports lock in one order
                    lock.setString(1, LOCK_NAMESPACE + subscription);
                    lock.execute();
                }
            }
            List<FieldViolation> found = new ArrayList<>();
            try (PreparedStatement query = c.prepareStatement(FOREIGN_SUBSCRIPTIONS)) {
                Object[] ids = subscriptions.keySet().toArray();
                query.setArray(1, c.createArrayOf("text", ids));
                query.setString(2, tenantId);
                query.setArray(3, c.createArrayOf("text", ids));
                query.setString(4, tenantId);
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        String subscription = rs.getString(1);
                        found.add(new FieldViolation("subscriptions['" + subscription + "']", "OtherTenant",
                                "subscription " + subscription + " (first in row " + subscriptions.get(subscription)
                                        + ") belongs to another tenant in Canopy; a tenant imports its own "
                                        + "subscriptions only"));
                    }
                }
            }
            return found;
        });
        if (!violations.isEmpty()) {
            throw ProblemException.invalid(violations.size() + " subscriptions of the file belong to another "
                    + "tenant; nothing was imported", violations);
        }
    }
}

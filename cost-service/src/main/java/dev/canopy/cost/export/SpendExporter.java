package dev.canopy.cost.export;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.commons.csv.CSVPrinter;
import org.jboss.logging.Logger;

import dev.canopy.cost.db.Jdbc;
import dev.canopy.cost.query.SpendParameters.ExportQuery;
import dev.canopy.cost.query.SpendScope;
import dev.canopy.events.SpendSnapshot.CostType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Writes a tenant's spend facts as a CSV file while it reads them: one query in a read-only transaction, read through
 * a cursor {@link #FETCH_SIZE} rows at a time, each row printed to the response as it comes. Memory holds one fetch
 * and a few buffers whatever the range holds; the client's pace (TCP back-pressure) paces the reading.
 */
@ApplicationScoped
public class SpendExporter {

    /** Facts per round trip to PostgreSQL: at most this many are in memory at once. */
    static final int FETCH_SIZE = 1_000;

    private static final Logger LOG = Logger.getLogger(SpendExporter.class);
    private static final int WRITE_BUFFER = 64 * 1024;

    // The comment names the query in pg_stat_activity. One statement is one snapshot: a day restated while the file
    // streams is in it either before or after, never half. Ordered, so two exports of the same data are the same file.
    private static final String FACTS = "/* canopy spend export */ "
            + "SELECT f.usage_date, f.subscription_id, f.resource_group, f.display_resource_id, f.service_name, "
            + "f.meter_category, f.cost_type, f.amount, f.currency FROM spend_fact f WHERE "
            + SpendScope.FACTS_CONDITION + " ORDER BY f.usage_date, f.subscription_id, f.id";

    private final Jdbc jdbc;
    // Facts written per format, counted as they are written: a long export shows its progress in /q/metrics.
    private final Map<ExportFormat, Counter> written = new EnumMap<>(ExportFormat.class);

    public SpendExporter(Jdbc jdbc, MeterRegistry metrics) {
        this.jdbc = jdbc;
        for (ExportFormat format : ExportFormat.values()) {
            written.put(format, Counter.builder("canopy.cost.export.facts").tag("format", format.parameter())
                    .description("Spend facts written by GET /spend/export").register(metrics));
        }
    }

    /**
     * Writes the header and every fact of the query's scope to {@code out}.
     *
     * @return the number of facts written
     * @throws IOException if the client went away (the transaction ends, nothing more is read)
     */
    public long write(ExportQuery query, OutputStream out) throws IOException {
        long started = System.nanoTime();
        long rows;
        try {
            rows = jdbc.readOnly(c -> {
                try (PreparedStatement facts = c.prepareStatement(FACTS)) {
                    facts.setFetchSize(FETCH_SIZE);
                    query.scope().bind(facts, 1);
                    try (ResultSet rs = facts.executeQuery()) {
                        return print(rs, query.format(), written.get(query.format()), out);
                    }
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        long millis = Math.max(1, (System.nanoTime() - started) / 1_000_000);
        LOG.infof("exported %d spend facts of tenant %s (%s, %s to %s, %s) in %d ms, %d facts/s", rows,
                query.scope().tenantId(), query.format().parameter(), query.scope().from(), query.scope().to(),
                query.scope().costType(), millis, rows * 1000 / millis);
        return rows;
    }

    /** The file's name, e.g. {@code canopy-spend-<tenant>-2026-10-01-2026-10-31-actual-focus.csv}. */
    public static String fileName(ExportQuery query) {
        SpendScope scope = query.scope();
        // The tenant is the caller's text (ops may name any): only what is safe in a header's quoted string.
        String tenant = scope.tenantId().replaceAll("[^a-z0-9-]", "_");
        return "canopy-spend-" + tenant + "-" + scope.from() + "-" + scope.to() + "-"
                + scope.costType().name().toLowerCase(Locale.ROOT) + query.format().fileSuffix() + ".csv";
    }

    private static long print(ResultSet rs, ExportFormat format, Counter counter, OutputStream out)
            throws SQLException {
        try {
            Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), WRITE_BUFFER);
            // Not closed: that would close the response stream, which the container owns. Flushed at the end.
            CSVPrinter printer = new CSVPrinter(writer, format.csv());
            long rows = 0;
            while (rs.next()) {
                printer.printRecord(format.row(factOf(rs)));
                counter.increment();
                rows++;
            }
            printer.flush();
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ExportedFact factOf(ResultSet rs) throws SQLException {
        return new ExportedFact(rs.getObject("usage_date", LocalDate.class), rs.getString("subscription_id"),
                rs.getString("resource_group"), rs.getString("display_resource_id"), rs.getString("service_name"),
                rs.getString("meter_category"), CostType.valueOf(rs.getString("cost_type")),
                rs.getBigDecimal("amount"), rs.getString("currency"));
    }
}

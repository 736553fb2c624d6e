package dev.canopy.cost.imports;

import java.sql.Array;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.canopy.cost.db.Jdbc;
import dev.canopy.cost.query.CurrencyTotal;
import dev.canopy.events.SpendSnapshot.CostType;

/** The {@code cost_import} table: one row per import, found by id, by tenant, or by the bytes it imported. */
@ApplicationScoped
public class ImportRecords {

    private static final String COLUMNS = """
            id, tenant_id, format, cost_types, body_sha256, body_bytes, rows_read, rows_imported, rows_skipped,
            skipped_by_provider, days_replaced, first_day, last_day, totals, created_at, created_by""";
    // ON CONFLICT: a concurrent upload of the same bytes waits for this one's transaction, then finds it committed.
    private static final String INSERT = "INSERT INTO cost_import (" + COLUMNS + """
            ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), ?, ?, ?, CAST(? AS jsonb), ?, ?)
            ON CONFLICT (tenant_id, body_sha256, cost_types) DO NOTHING""";
    private static final TypeReference<Map<String, Long>> BY_PROVIDER = new TypeReference<>() {
    };
    private static final TypeReference<Map<CostType, List<CurrencyTotal>>> TOTALS = new TypeReference<>() {
    };

    private final Jdbc jdbc;
    private final ObjectMapper json;

    public ImportRecords(Jdbc jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /**
     * Records an import in the caller's transaction, unless the tenant imported the same bytes as the same cost
     * types already.
     *
     * @return false if such an import exists (nothing was recorded)
     */
    boolean insert(ImportReport report) {
        return jdbc.call(c -> {
            try (PreparedStatement insert = c.prepareStatement(INSERT)) {
                int i = 0;
                insert.setObject(++i, report.id());
                insert.setString(++i, report.tenant());
                insert.setString(++i, report.format().name());
                insert.setArray(++i, costTypes(c, report.costTypes()));
                insert.setString(++i, report.sha256());
                insert.setLong(++i, report.bytes());
                insert.setLong(++i, report.rowsRead());
                insert.setLong(++i, report.rowsImported());
                insert.setLong(++i, report.rowsSkipped());
                insert.setString(++i, write(report.skippedByProvider()));
                insert.setInt(++i, report.days());
                insert.setObject(++i, report.firstDay());
                insert.setObject(++i, report.lastDay());
                insert.setString(++i, write(report.totals()));
                insert.setTimestamp(++i, Timestamp.from(report.importedAt()));
                insert.setString(++i, report.importedBy());
                return insert.executeUpdate() == 1;
            }
        });
    }

    /** The tenant's import of these bytes as these cost types, if there is one. */
    Optional<ImportReport> findSame(String tenantId, String sha256, List<CostType> costTypes) {
        return jdbc.call(c -> {
            try (PreparedStatement query = c.prepareStatement("SELECT " + COLUMNS
                    + " FROM cost_import WHERE tenant_id = ? AND body_sha256 = ? AND cost_types = ?")) {
                query.setString(1, tenantId);
                query.setString(2, sha256);
                query.setArray(3, costTypes(c, costTypes));
                return read(query).stream().findFirst();
            }
        });
    }

    /** An import by id, whatever its tenant: the caller checks access. */
    public Optional<ImportReport> find(UUID id) {
        return jdbc.call(c -> {
            try (PreparedStatement query = c.prepareStatement("SELECT " + COLUMNS + " FROM cost_import WHERE id = ?")) {
                query.setObject(1, id);
                return read(query).stream().findFirst();
            }
        });
    }

    /** The tenant's latest imports, newest first. */
    public List<ImportReport> list(String tenantId, int limit) {
        return jdbc.call(c -> {
            try (PreparedStatement query = c.prepareStatement("SELECT " + COLUMNS
                    + " FROM cost_import WHERE tenant_id = ? ORDER BY created_at DESC, id LIMIT ?")) {
                query.setString(1, tenantId);
                query.setInt(2, limit);
                return read(query);
            }
        });
    }

    private List<ImportReport> read(PreparedStatement query) throws SQLException {
        List<ImportReport> reports = new ArrayList<>();
        try (ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                reports.add(new ImportReport(rs.getObject("id", UUID.class), rs.getString("tenant_id"),
                        ExportFormat.valueOf(rs.getString("format")),
                        Arrays.stream((String[]) rs.getArray("cost_types").getArray()).map(CostType::valueOf).toList(),
                        rs.getLong("rows_read"), rs.getLong("rows_imported"), rs.getLong("rows_skipped"),
                        parse(rs.getString("skipped_by_provider"), BY_PROVIDER), rs.getInt("days_replaced"),
                        localDate(rs.getDate("first_day")), localDate(rs.getDate("last_day")),
                        parse(rs.getString("totals"), TOTALS), rs.getString("body_sha256"), rs.getLong("body_bytes"),
                        rs.getTimestamp("created_at").toInstant(), rs.getString("created_by"), false));
            }
        }
        return reports;
    }

    private static Array costTypes(Connection c, List<CostType> costTypes) throws SQLException {
        return c.createArrayOf("text", costTypes.stream().map(Enum::name).toArray());
    }

    private static java.time.LocalDate localDate(Date date) {
        return date == null ? null : date.toLocalDate();
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value + " as JSON", e);
        }
    }

    private <T> T parse(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cost_import holds JSON that does not read back: " + text, e);
        }
    }
}

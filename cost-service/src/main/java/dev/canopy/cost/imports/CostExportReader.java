package dev.canopy.cost.imports;

import static dev.canopy.cost.imports.ExportColumn.Field.BILLED_COST;
import static dev.canopy.cost.imports.ExportColumn.Field.CONSUMED_SERVICE;
import static dev.canopy.cost.imports.ExportColumn.Field.COST;
import static dev.canopy.cost.imports.ExportColumn.Field.CURRENCY;
import static dev.canopy.cost.imports.ExportColumn.Field.EFFECTIVE_COST;
import static dev.canopy.cost.imports.ExportColumn.Field.METER_CATEGORY;
import static dev.canopy.cost.imports.ExportColumn.Field.PROVIDER;
import static dev.canopy.cost.imports.ExportColumn.Field.RESOURCE_GROUP;
import static dev.canopy.cost.imports.ExportColumn.Field.RESOURCE_ID;
import static dev.canopy.cost.imports.ExportColumn.Field.SERVICE_NAME;
import static dev.canopy.cost.imports.ExportColumn.Field.SUBSCRIPTION;
import static dev.canopy.cost.imports.ExportColumn.Field.USAGE_DAY;

import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;

import dev.canopy.cost.imports.ExportColumn.Field;
import dev.canopy.cost.imports.ParsedExport.Charge;
import dev.canopy.events.SpendSnapshot.CostType;
import dev.canopy.platform.problem.ProblemException;

/**
 * Reads one cost-export file from a stream, row by row, with Jackson's CSV parser: recognises the format from the
 * header, checks every row, and hashes the bytes on the way. Nothing is written here; a file with any broken rule
 * ends in one 400 listing them.
 */
final class CostExportReader {

    /** The provider whose rows a FOCUS import keeps; Canopy holds Azure spend only. */
    static final String MICROSOFT = "Microsoft";

    private static final ObjectReader ROWS = new CsvMapper().readerFor(String[].class)
            .with(CsvParser.Feature.WRAP_AS_ARRAY).with(CsvParser.Feature.SKIP_EMPTY_LINES);
    private static final char BYTE_ORDER_MARK = '\uFEFF';

    private CostExportReader() {
    }

    /**
     * Reads and checks a whole file.
     *
     * @param body the request body, read to its end
     * @param requested the cost type the caller named, or {@code null}
     * @throws ProblemException 400 for an unknown header, a missing or unusable cost type, or rows that break rules
     */
    static ParsedExport read(InputStream body, CostType requested) {
        Fingerprint fingerprint = new Fingerprint(body);
        RowProblems problems = new RowProblems();
        long rowsRead = 0;
        long row = 1; // the row being read; row numbers count the header as row 1, as a spreadsheet shows the file
        try (Reader text = utf8(fingerprint); MappingIterator<String[]> rows = ROWS.readValues(text)) {
            if (!rows.hasNextValue()) {
                throw ProblemException.invalid("body", "Header", "the file is empty: a cost export starts with a "
                        + "header row");
            }
            ExportLayout layout = ExportFormat.detect(Arrays.asList(rows.nextValue()));
            ParsedExport export = new ParsedExport(layout.format(), costTypes(layout.format(), requested));
            Map<CostType, Field> amounts = amountColumns(layout.format(), export.costTypes);
            for (row = 2; rows.hasNextValue(); row++) {
                String[] values = rows.nextValue();
                rowsRead++;
                export.rowRead();
                readRow(layout, values, row, amounts, export, problems);
            }
            problems.throwIfAny(rowsRead);
            export.finished(fingerprint.sha256(), fingerprint.bytes());
            return export;
        } catch (JsonProcessingException e) {
            // Broken CSV (an unclosed quote): the parser cannot tell where the next row starts, so the read ends here.
            problems.add(row, null, "Csv", "is not well-formed CSV: " + e.getOriginalMessage());
            throw problems.problem(Math.max(rowsRead, row - 1));
        } catch (CharacterCodingException e) {
            throw ProblemException.invalid("body", "Utf8", "the file is not UTF-8 text (near row " + row
                    + "); Cost Management writes its exports in UTF-8");
        } catch (IOException e) {
            // The client went away, or Quarkus cut a chunked body at the size limit (it answered 413 itself).
            throw new UncheckedIOException("the request body could not be read", e);
        }
    }

    private static void readRow(ExportLayout layout, String[] values, long row, Map<CostType, Field> amounts,
            ParsedExport export, RowProblems problems) {
        if (values.length != layout.width()) {
            problems.add(row, null, "ColumnCount", "has " + values.length + " values; the header has "
                    + layout.width() + " columns");
            return;
        }
        RowCheck check = new RowCheck(layout, values, row, problems);
        if (layout.index().containsKey(PROVIDER)) {
            String provider = check.required(PROVIDER);
            if (provider != null && !provider.equalsIgnoreCase(MICROSOFT)) {
                // Another cloud's charge in a multi-provider FOCUS file: not Azure spend, and not an error.
                export.skipped(provider);
                return;
            }
        }
        String subscription = check.subscription(SUBSCRIPTION);
        LocalDate day = check.day(USAGE_DAY);
        String currency = check.currency(CURRENCY);
        String resourceId = check.resourceId(RESOURCE_ID);
        Map<CostType, BigDecimal> costs = new EnumMap<>(CostType.class);
        amounts.forEach((costType, column) -> costs.put(costType, check.amount(column)));
        if (!check.ok()) {
            return;
        }
        // Cost Management's service name is the meter category (what the collector's query groups by); FOCUS names
        // its own ServiceName. A purchase may have neither, then the resource provider names the service.
        String service = firstOf(check.text(SERVICE_NAME), check.text(METER_CATEGORY), check.text(CONSUMED_SERVICE));
        Map<CostType, Charge> charges = new EnumMap<>(CostType.class);
        costs.forEach((costType, amount) -> charges.put(costType, new Charge(export.share(resourceId),
                export.share(check.text(RESOURCE_GROUP)), export.share(service),
                export.share(check.text(METER_CATEGORY)), amount, export.share(currency))));
        export.imported(row, export.share(subscription), day, charges);
    }

    /**
     * Which cost types the file yields. FOCUS carries both (the caller may keep one); EA and MCA carry one, and their
     * actual and amortized files have the same header, so only the caller can say which this is.
     */
    private static List<CostType> costTypes(ExportFormat format, CostType requested) {
        if (requested != null) {
            return List.of(requested);
        }
        if (format.carriesBothCostTypes()) {
            return List.of(CostType.values());
        }
        throw ProblemException.invalid("costType", "Required", "costType (ACTUAL or AMORTIZED) is required for an "
                + format + " export: its actual and amortized cost files have the same columns, so the file cannot "
                + "say which it is");
    }

    private static Map<CostType, Field> amountColumns(ExportFormat format, List<CostType> costTypes) {
        Map<CostType, Field> columns = new EnumMap<>(CostType.class);
        for (CostType costType : costTypes) {
            columns.put(costType, !format.carriesBothCostTypes() ? COST
                    : costType == CostType.ACTUAL ? BILLED_COST : EFFECTIVE_COST);
        }
        return columns;
    }

    private static String firstOf(String... values) {
        for (String value : values) {
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    // Strict UTF-8 (a stray Latin-1 byte is an error, not a replacement character), without the byte-order mark
    // Cost Management writes at the start of its EA and MCA exports.
    private static Reader utf8(InputStream in) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)));
        reader.mark(1);
        if (reader.read() != BYTE_ORDER_MARK) {
            reader.reset();
        }
        return reader;
    }

    /** Counts and hashes (SHA-256) the bytes as they are read: the file's identity for idempotent imports. */
    private static final class Fingerprint extends FilterInputStream {

        private final MessageDigest digest;
        private long bytes;
        private boolean closed;

        Fingerprint(InputStream in) {
            super(in);
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK has SHA-256", e);
            }
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                digest.update((byte) b);
                bytes++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                digest.update(buffer, offset, n);
                bytes += n;
            }
            return n;
        }

        // Jackson closes its source at the end of the rows; anything after them (trailing blank lines) counts too.
        @Override
        public void close() throws IOException {
            if (!closed) {
                byte[] rest = new byte[8192];
                while (read(rest, 0, rest.length) >= 0) {
                    // drained into the digest
                }
                closed = true;
                super.close();
            }
        }

        String sha256() throws IOException {
            close();
            return HexFormat.of().formatHex(digest.digest());
        }

        long bytes() {
            return bytes;
        }
    }
}

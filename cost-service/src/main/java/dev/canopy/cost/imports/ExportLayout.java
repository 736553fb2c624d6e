package dev.canopy.cost.imports;

import java.util.Map;

import dev.canopy.cost.imports.ExportColumn.Field;

/**
 * A recognised header: the format, and where each column Canopy reads stands in a row.
 *
 * @param format the export format
 * @param index the position of each column found (optional columns may be absent)
 * @param names each column's name as this file spells it, for error messages
 * @param width the number of columns of the header; every row must have as many
 */
record ExportLayout(ExportFormat format, Map<Field, Integer> index, Map<Field, String> names, int width) {

    /**
     * The value of a column in a row, stripped; {@code null} when the column is absent, blank, or the literal
     * {@code NULL} that FOCUS files write for a missing value.
     */
    String value(String[] row, Field field) {
        Integer position = index.get(field);
        if (position == null || position >= row.length || row[position] == null) {
            return null;
        }
        String value = row[position].strip();
        return value.isEmpty() || value.equals("NULL") ? null : value;
    }

    /** The column's name in this file (e.g. {@code Cost} or {@code costInBillingCurrency}). */
    String name(Field field) {
        return names.get(field);
    }
}

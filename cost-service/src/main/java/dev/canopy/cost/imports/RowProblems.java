package dev.canopy.cost.imports;

import java.util.ArrayList;
import java.util.List;

import dev.canopy.platform.problem.FieldViolation;
import dev.canopy.platform.problem.ProblemException;

/**
 * The rules the rows of one file break. Every row is checked before anything is written, so one answer lists the
 * broken rules of the whole file — the first {@value #LISTED}, with the count of all — and a caller fixes the file
 * once.
 */
final class RowProblems {

    /** How many violations one answer lists; a file with a systematic fault would otherwise answer megabytes. */
    static final int LISTED = 50;

    private final List<FieldViolation> listed = new ArrayList<>();
    private long violations;
    private long rows;
    private long lastRow = -1;

    /**
     * Records a broken rule.
     *
     * @param row the row number, counting the header as row 1 (as a spreadsheet numbers them)
     * @param column the column as the file names it, or {@code null} for the row as a whole
     */
    void add(long row, String column, String rule, String message) {
        violations++;
        if (row != lastRow) {
            rows++;
            lastRow = row;
        }
        if (listed.size() < LISTED) {
            listed.add(new FieldViolation("row[" + row + "]" + (column == null ? "" : "." + column), rule,
                    "row " + row + ": " + message));
        }
    }

    boolean isEmpty() {
        return violations == 0;
    }

    /** @throws ProblemException 400 listing the violations, if there are any */
    void throwIfAny(long rowsRead) {
        if (!isEmpty()) {
            throw problem(rowsRead);
        }
    }

    /** The 400 listing the violations recorded. */
    ProblemException problem(long rowsRead) {
        String shown = violations > listed.size() ? "; the first " + listed.size() + " are listed" : "";
        return ProblemException.invalid(rows + " of " + rowsRead + " rows break " + violations
                + (violations == 1 ? " rule" : " rules") + shown
                + "; nothing was imported", listed);
    }
}

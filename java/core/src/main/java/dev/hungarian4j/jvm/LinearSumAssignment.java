package dev.hungarian4j.jvm;

import java.util.Arrays;

/**
 * Exact rectangular linear sum assignment by shortest augmenting paths (D. F. Crouse, "On
 * implementing 2D rectangular assignment algorithms", IEEE TAES 52(4), 2016), following
 * {@code scipy.optimize.linear_sum_assignment} step for step so that ties are broken the same way:
 * a matrix with more rows than columns is solved transposed, columns are scanned in descending
 * order, and among equally short paths an unassigned column is preferred. Costs are widened to
 * double and all dual arithmetic is in double.
 *
 * <p>An instance keeps its workspaces and only grows them, so repeated solves of similar sizes
 * allocate nothing. Instances are not thread-safe; use one per thread.
 */
public final class LinearSumAssignment {

    private double[] cost = new double[0];
    private double[] u = new double[0];
    private double[] v = new double[0];
    private double[] shortestPathCosts = new double[0];
    private int[] path = new int[0];
    private int[] col4row = new int[0];
    private int[] row4col = new int[0];
    private int[] remaining = new int[0];
    private int[] visitedRows = new int[0];
    private int[] visitedCols = new int[0];
    private int numVisitedRows;
    private int numVisitedCols;
    private double minVal;

    /** Creates a solver with empty workspaces; they grow on first use. */
    public LinearSumAssignment() {
    }

    /**
     * Solves one problem with a freshly allocated solver; convenient, but allocates.
     *
     * @see #solve(float[], int, int, int, int[], int)
     * @param cost           row-major costs, {@code cost[offset + r*cols + c]}
     * @param offset         index of the first cost
     * @param rows           number of rows, {@code >= 0}
     * @param cols           number of columns, {@code >= 0}
     * @param rowToCol       receives the column of each row, or -1
     * @param rowToColOffset index where row 0's entry goes
     * @return the summed cost of the matching
     * @throws IllegalArgumentException as {@link #solve(float[], int, int, int, int[], int)}
     */
    public static double solveOnce(float[] cost, int offset, int rows, int cols, int[] rowToCol, int rowToColOffset) {
        return new LinearSumAssignment().solve(cost, offset, rows, cols, rowToCol, rowToColOffset);
    }

    /**
     * Finds a minimum-cost matching of size {@code min(rows, cols)}, the one scipy would return.
     *
     * @param cost           row-major costs, {@code cost[offset + r*cols + c]}
     * @param offset         index of the first cost
     * @param rows           number of rows, {@code >= 0} (0 gives an empty matching)
     * @param cols           number of columns, {@code >= 0} (0 gives an empty matching)
     * @param rowToCol       receives {@code rowToCol[rowToColOffset + r]} = matched column of row
     *                       {@code r}, or -1 when the row is unmatched
     * @param rowToColOffset index where row 0's entry goes
     * @return the summed cost (in double, over rows in ascending order) of the matching
     * @throws IllegalArgumentException for negative sizes, arrays too short, or a non-finite entry
     *                                  (the message names its row and column)
     */
    public double solve(float[] cost, int offset, int rows, int cols, int[] rowToCol, int rowToColOffset) {
        checkArgs(cost, offset, rows, cols, rowToCol, rowToColOffset);
        Arrays.fill(rowToCol, rowToColOffset, rowToColOffset + rows, -1);
        if (rows == 0 || cols == 0) {
            return 0.0;
        }
        // Like scipy: a tall matrix is solved transposed so every row of the work matrix is matched.
        boolean transpose = cols < rows;
        int nr = transpose ? cols : rows;
        int nc = transpose ? rows : cols;
        ensureCapacity(nr, nc);
        loadCost(cost, offset, rows, cols, transpose);

        Arrays.fill(u, 0, nr, 0.0);
        Arrays.fill(v, 0, nc, 0.0);
        Arrays.fill(path, 0, nc, -1);
        Arrays.fill(col4row, 0, nr, -1);
        Arrays.fill(row4col, 0, nc, -1);

        for (int curRow = 0; curRow < nr; curRow++) {
            int sink = augmentingPath(nc, curRow);
            if (sink < 0) {
                // Unreachable with finite costs: every column stays reachable from any row.
                throw new IllegalStateException("cost matrix is infeasible");
            }
            updateDuals(curRow);
            augment(sink, curRow);
        }

        double total = 0.0;
        if (transpose) {
            for (int c = 0; c < nr; c++) {
                rowToCol[rowToColOffset + col4row[c]] = c;
            }
        } else {
            System.arraycopy(col4row, 0, rowToCol, rowToColOffset, nr);
        }
        for (int r = 0; r < rows; r++) {
            int c = rowToCol[rowToColOffset + r];
            if (c >= 0) {
                total += cost[offset + r * cols + c];
            }
        }
        return total;
    }

    private static void checkArgs(float[] cost, int offset, int rows, int cols, int[] rowToCol, int rowToColOffset) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("rows and cols must be >= 0, got " + rows + " x " + cols);
        }
        if (cost == null || offset < 0 || (long) offset + (long) rows * cols > cost.length) {
            throw new IllegalArgumentException("cost must hold " + rows + " x " + cols + " entries from offset " + offset);
        }
        if (rowToCol == null || rowToColOffset < 0 || (long) rowToColOffset + rows > rowToCol.length) {
            throw new IllegalArgumentException("rowToCol must hold " + rows + " entries from offset " + rowToColOffset);
        }
    }

    /** Grows the workspaces to an {@code nr x nc} work matrix ({@code nr <= nc}). */
    private void ensureCapacity(int nr, int nc) {
        if (cost.length < nr * nc) {
            cost = new double[nr * nc];
        }
        if (u.length < nr) {
            u = new double[nr];
            col4row = new int[nr];
            visitedRows = new int[nr];
        }
        if (v.length < nc) {
            v = new double[nc];
            shortestPathCosts = new double[nc];
            path = new int[nc];
            row4col = new int[nc];
            remaining = new int[nc];
            visitedCols = new int[nc];
        }
    }

    /**
     * Widens the input to the double work matrix (transposed if asked), rejecting NaN and infinities. Two loops, so
     * that neither branches on the layout per element; the transposed one walks the input row by row.
     */
    private void loadCost(float[] in, int offset, int rows, int cols, boolean transpose) {
        final double[] w = cost;
        for (int r = 0; r < rows; r++) {
            int base = offset + r * cols;
            if (transpose) {
                for (int c = 0, o = r; c < cols; c++, o += rows) {
                    w[o] = in[base + c];
                }
            } else {
                for (int c = 0, o = r * cols; c < cols; c++, o++) {
                    w[o] = in[base + c];
                }
            }
            for (int c = 0; c < cols; c++) { // apart from the copy, so that the copy vectorises
                if (!Float.isFinite(in[base + c])) {
                    throw new IllegalArgumentException("cost[" + r + "][" + c + "] is " + in[base + c]
                            + "; costs must be finite");
                }
            }
        }
    }

    /**
     * Dijkstra-like search from the free row {@code start} for the closest free column in reduced
     * costs; records visited rows/columns for the dual update, stores the path length in
     * {@code minVal} and returns the sink column, or -1 when none is reachable.
     */
    private int augmentingPath(int nc, int start) {
        double min = 0.0;
        int numRemaining = nc;
        // Descending order makes a constant matrix come out as the identity (as in scipy, #11602).
        for (int it = 0; it < nc; it++) {
            remaining[it] = nc - it - 1;
        }
        Arrays.fill(shortestPathCosts, 0, nc, Double.POSITIVE_INFINITY);
        numVisitedRows = 0;
        numVisitedCols = 0;

        int i = start;
        int sink = -1;
        while (sink == -1) {
            visitedRows[numVisitedRows++] = i;
            int index = -1;
            double lowest = Double.POSITIVE_INFINITY;
            int rowBase = i * nc;
            double ui = u[i];
            for (int it = 0; it < numRemaining; it++) {
                int j = remaining[it];
                double r = min + cost[rowBase + j] - ui - v[j];
                if (r < shortestPathCosts[j]) {
                    path[j] = i;
                    shortestPathCosts[j] = r;
                }
                // On a tie prefer a free column: it ends the search (scipy's rule).
                if (shortestPathCosts[j] < lowest || (shortestPathCosts[j] == lowest && row4col[j] == -1)) {
                    lowest = shortestPathCosts[j];
                    index = it;
                }
            }
            min = lowest;
            if (min == Double.POSITIVE_INFINITY) {
                return -1;
            }
            int j = remaining[index];
            if (row4col[j] == -1) {
                sink = j;
            } else {
                i = row4col[j];
            }
            visitedCols[numVisitedCols++] = j;
            remaining[index] = remaining[--numRemaining];
        }
        minVal = min;
        return sink;
    }

    /** Dual update after a search from {@code curRow}, over the visited rows and columns only. */
    private void updateDuals(int curRow) {
        u[curRow] += minVal;
        for (int k = 0; k < numVisitedRows; k++) {
            int i = visitedRows[k];
            if (i != curRow) {
                u[i] += minVal - shortestPathCosts[col4row[i]];
            }
        }
        for (int k = 0; k < numVisitedCols; k++) {
            int j = visitedCols[k];
            v[j] -= minVal - shortestPathCosts[j];
        }
    }

    /** Flips the alternating path ending at {@code sink} back to {@code curRow}. */
    private void augment(int sink, int curRow) {
        int j = sink;
        while (true) {
            int i = path[j];
            row4col[j] = i;
            int previous = col4row[i];
            col4row[i] = j;
            j = previous;
            if (i == curRow) {
                break;
            }
        }
    }
}

package dev.hungarian4j.jvm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Optimality, feasibility and scipy-identical tie-breaking of {@link LinearSumAssignment}. */
class LinearSumAssignmentTest {

    /** Solves {@code c} and checks the result is a feasible matching of size min(rows, cols). */
    private static int[] solveChecked(LinearSumAssignment solver, float[][] c, int rows, int cols) {
        float[] flat = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(c[r], 0, flat, r * cols, cols);
        }
        int[] out = new int[rows];
        double got = solver.solve(flat, 0, rows, cols, out, 0);
        boolean[] usedCol = new boolean[cols];
        int matched = 0;
        double sum = 0.0;
        for (int r = 0; r < rows; r++) {
            int j = out[r];
            assertTrue(j >= -1 && j < cols, "row " + r + " -> " + j);
            if (j >= 0) {
                assertTrue(!usedCol[j], "column " + j + " used twice");
                usedCol[j] = true;
                matched++;
                sum += c[r][j];
            }
        }
        assertEquals(Math.min(rows, cols), matched, "matching size");
        assertEquals(sum, got, 0.0, "returned cost must be the sum of the matched entries");
        return out;
    }

    private static float[][] random(Random rnd, int rows, int cols, double scale) {
        float[][] c = new float[rows][cols];
        for (float[] row : c) {
            for (int j = 0; j < cols; j++) {
                row[j] = (float) ((rnd.nextDouble() - 0.3) * scale);
            }
        }
        return c;
    }

    private static double[][] widen(float[][] c) {
        double[][] d = new double[c.length][];
        for (int i = 0; i < c.length; i++) {
            d[i] = new double[c[i].length];
            for (int j = 0; j < c[i].length; j++) {
                d[i][j] = c[i][j];
            }
        }
        return d;
    }

    @Test
    void matchesBruteForceOnEveryShapeUpTo7() {
        Random rnd = new Random(12345);
        LinearSumAssignment solver = new LinearSumAssignment();
        for (int rows = 0; rows <= 7; rows++) {
            for (int cols = 0; cols <= 7; cols++) {
                for (int trial = 0; trial < 3; trial++) {
                    // Trial 2 uses small integers: many ties and degenerate duals.
                    float[][] c = trial < 2 ? random(rnd, rows, cols, 10.0) : new float[rows][cols];
                    if (trial == 2) {
                        for (float[] row : c) {
                            for (int j = 0; j < cols; j++) {
                                row[j] = rnd.nextInt(3);
                            }
                        }
                    }
                    int[] out = solveChecked(solver, c, rows, cols);
                    double got = 0.0;
                    for (int r = 0; r < rows; r++) {
                        got += out[r] >= 0 ? c[r][out[r]] : 0.0;
                    }
                    double want = rows == 0 || cols == 0 ? 0.0 : ReferenceAssignment.bruteForce(widen(c));
                    assertEquals(want, got, 1e-9 * (1 + Math.abs(want)), rows + "x" + cols + " trial " + trial);
                }
            }
        }
    }

    @Test
    void matchesHungarianOnLargerRandomShapes() {
        Random rnd = new Random(99);
        LinearSumAssignment solver = new LinearSumAssignment();
        int[][] shapes = {{100, 10}, {10, 100}, {50, 50}, {100, 1}, {1, 100}, {100, 30}, {7, 200}, {64, 63}};
        for (int[] s : shapes) {
            for (int trial = 0; trial < 3; trial++) {
                float[][] c = random(rnd, s[0], s[1], trial == 2 ? 1e-3 : 20.0);
                int[] out = solveChecked(solver, c, s[0], s[1]);
                double got = 0.0;
                for (int r = 0; r < s[0]; r++) {
                    got += out[r] >= 0 ? c[r][out[r]] : 0.0;
                }
                double want = ReferenceAssignment.hungarian(widen(c));
                assertEquals(want, got, 1e-9 * (1 + Math.abs(want)), s[0] + "x" + s[1] + " trial " + trial);
            }
        }
    }

    @Test
    void hungarianOracleAgreesWithBruteForce() {
        // Guards the oracle used above: both oracles on the same small matrices.
        Random rnd = new Random(5);
        for (int rows = 1; rows <= 6; rows++) {
            for (int cols = 1; cols <= 6; cols++) {
                double[][] c = widen(random(rnd, rows, cols, 5.0));
                assertEquals(ReferenceAssignment.bruteForce(c), ReferenceAssignment.hungarian(c), 1e-9);
            }
        }
    }

    @Test
    void constantMatricesGiveScipysIdentity() {
        LinearSumAssignment solver = new LinearSumAssignment();
        // scipy scans the free columns in descending order and keeps the last tied free column,
        // so row r of a constant matrix takes column r; a tall matrix is transposed first.
        assertArrayEquals(new int[] {0, 1, 2}, solveChecked(solver, new float[3][5], 3, 5));
        assertArrayEquals(new int[] {0, 1, 2, -1, -1}, solveChecked(solver, new float[5][3], 5, 3));
        float[][] sevens = new float[4][4];
        for (float[] row : sevens) {
            Arrays.fill(row, 7f);
        }
        assertArrayEquals(new int[] {0, 1, 2, 3}, solveChecked(solver, sevens, 4, 4));
        float[][] negative = new float[2][6];
        for (float[] row : negative) {
            Arrays.fill(row, -3.5f);
        }
        assertArrayEquals(new int[] {0, 1}, solveChecked(solver, negative, 2, 6));
    }

    @Test
    void handTracedTiesMatchScipy() {
        LinearSumAssignment solver = new LinearSumAssignment();
        // Row 0 takes its zero column 2. Row 1 reaches column 2 at 0 (taken), so it continues from
        // row 0; scipy then swaps the last remaining column into the removed slot, so the scan order
        // is (0, 1). Columns 0 and 1 tie at 1 via row 1, both free, and the later one wins: row 1
        // gets column 1, row 0 keeps column 2.
        assertArrayEquals(new int[] {2, 1}, solveChecked(solver, new float[][] {{1, 1, 0}, {1, 1, 0}}, 2, 3));
        // The transpose of the above: scipy solves the 2x3 transpose and maps back.
        assertArrayEquals(new int[] {-1, 1, 0}, solveChecked(solver, new float[][] {{1, 1}, {1, 1}, {0, 0}}, 3, 2));
    }

    /** Small integer matrices full of ties; expected outputs are scipy 1.17's linear_sum_assignment. */
    @Test
    void tiedIntegerMatricesMatchScipy() {
        Object[][] cases = {
                {new int[][] {{2, 1, 2}, {2, 1, 2}, {2, 0, 0}}, new int[] {1, 0, 2}},
                {new int[][] {{0, 0, 2, 2, 0, 1}, {2, 0, 2, 0, 1, 2}, {0, 1, 0, 2, 0, 2}, {1, 1, 1, 1, 1, 1}}, new int[] {0, 1, 2, 3}},
                {new int[][] {{2, 2, 2, 2}, {1, 1, 2, 1}, {0, 2, 0, 2}, {1, 0, 0, 1}, {0, 0, 1, 2}, {1, 2, 2, 2}}, new int[] {-1, 3, 0, 2, 1, -1}},
                {new int[][] {{1, 1, 1, 0, 1}, {1, 0, 2, 0, 0}, {0, 2, 2, 2, 0}, {2, 1, 1, 0, 1}, {2, 1, 0, 1, 0}}, new int[] {3, 1, 0, 2, 4}},
                {new int[][] {{2, 2, 0, 1, 2, 2, 2}, {1, 0, 2, 1, 0, 0, 1}}, new int[] {2, 1}},
                {new int[][] {{2, 1}, {1, 2}, {2, 1}, {1, 1}, {0, 0}, {1, 1}, {1, 0}}, new int[] {-1, -1, -1, -1, 0, -1, 1}},
                {new int[][] {{0, 0, 1, 2, 1, 1}, {1, 2, 1, 1, 1, 1}, {1, 1, 1, 2, 2, 0}, {1, 1, 1, 0, 0, 1}, {2, 0, 1, 2, 2, 0}, {0, 2, 0, 0, 1, 2}}, new int[] {0, 2, 5, 4, 1, 3}},
                {new int[][] {{0, 1, 1, 0}, {2, 2, 1, 2}, {1, 2, 2, 1}, {0, 0, 1, 0}}, new int[] {0, 2, 3, 1}},
                {new int[][] {{2, 2, 0, 1, 0, 0, 1, 2}, {2, 1, 1, 1, 0, 1, 2, 1}, {0, 0, 2, 0, 2, 2, 1, 1}, {2, 1, 1, 0, 1, 2, 0, 0}, {2, 1, 2, 0, 2, 0, 1, 2}}, new int[] {2, 4, 0, 3, 5}},
                {new int[][] {{0, 1, 2, 1, 0}, {1, 1, 2, 2, 1}, {0, 1, 0, 2, 2}, {1, 2, 1, 1, 2}, {2, 2, 2, 0, 1}, {2, 0, 0, 1, 2}, {2, 2, 1, 0, 2}, {1, 2, 2, 2, 0}}, new int[] {0, -1, 2, -1, 3, 1, -1, 4}},
                {new int[][] {{2, 1, 1, 2}}, new int[] {1}},
                {new int[][] {{2}, {1}, {0}, {2}}, new int[] {-1, -1, 0, -1}},
                {new int[][] {{0, 0, 0, 0, 2, 1}, {0, 0, 1, 1, 0, 2}, {2, 1, 2, 1, 0, 0}, {0, 2, 0, 1, 0, 2}, {0, 1, 2, 1, 2, 2}, {2, 2, 1, 1, 2, 1}}, new int[] {3, 1, 4, 2, 0, 5}},
                {new int[][] {{2, 2, 1, 1, 2, 2, 0}, {0, 0, 1, 0, 1, 1, 2}, {2, 0, 2, 2, 2, 2, 0}}, new int[] {6, 0, 1}},
                {new int[][] {{2, 0, 1}, {2, 2, 0}, {0, 1, 1}, {2, 0, 0}, {0, 1, 0}, {0, 2, 2}, {2, 1, 0}}, new int[] {1, 2, 0, -1, -1, -1, -1}},
                {new int[][] {{2, 1, 2, 1, 0, 1, 1, 1}, {1, 0, 0, 2, 2, 1, 0, 1}, {1, 1, 0, 0, 2, 0, 2, 1}, {0, 2, 2, 2, 2, 2, 2, 0}, {2, 2, 2, 2, 2, 2, 2, 1}, {2, 2, 0, 0, 0, 0, 1, 0}, {0, 0, 2, 0, 2, 0, 2, 1}, {0, 0, 0, 1, 0, 0, 0, 2}}, new int[] {4, 1, 2, 0, 7, 3, 5, 6}},
        };
        LinearSumAssignment solver = new LinearSumAssignment();
        for (int k = 0; k < cases.length; k++) {
            int[][] m = (int[][]) cases[k][0];
            float[][] c = new float[m.length][m[0].length];
            for (int r = 0; r < m.length; r++) {
                for (int j = 0; j < m[0].length; j++) {
                    c[r][j] = m[r][j];
                }
            }
            assertArrayEquals((int[]) cases[k][1], solveChecked(solver, c, m.length, m[0].length), "case " + k);
        }
    }

    @Test
    void offsetsAndWorkspaceReuseDoNotChangeResults() {
        Random rnd = new Random(3);
        LinearSumAssignment reused = new LinearSumAssignment();
        // Large first, so later small problems run in oversized, dirty workspaces.
        int[][] shapes = {{90, 40}, {3, 4}, {40, 90}, {5, 2}, {1, 1}, {20, 20}};
        for (int[] s : shapes) {
            int rows = s[0];
            int cols = s[1];
            float[] flat = new float[7 + rows * cols];
            for (int i = 0; i < flat.length; i++) {
                flat[i] = (float) rnd.nextGaussian();
            }
            int[] a = new int[rows + 3];
            int[] b = new int[rows];
            double ca = reused.solve(flat, 7, rows, cols, a, 3);
            double cb = LinearSumAssignment.solveOnce(Arrays.copyOfRange(flat, 7, flat.length), 0, rows, cols, b, 0);
            assertEquals(cb, ca, 0.0);
            assertArrayEquals(b, Arrays.copyOfRange(a, 3, 3 + rows));
        }
    }

    @Test
    void emptyShapesGiveEmptyMatching() {
        int[] out = {5, 5, 5};
        assertEquals(0.0, LinearSumAssignment.solveOnce(new float[0], 0, 3, 0, out, 0));
        assertArrayEquals(new int[] {-1, -1, -1}, out);
        assertEquals(0.0, LinearSumAssignment.solveOnce(new float[0], 0, 0, 4, new int[0], 0));
    }

    @Test
    void nonFiniteEntriesAreRejectedWithTheirPosition() {
        float[] c = {1, 2, 3, 4, Float.NaN, 6};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LinearSumAssignment.solveOnce(c, 0, 2, 3, new int[2], 0));
        assertTrue(e.getMessage().contains("[1][1]"), e.getMessage());
        float[] tall = {1, 2, 3, Float.NEGATIVE_INFINITY, 5, 6};
        e = assertThrows(IllegalArgumentException.class,
                () -> LinearSumAssignment.solveOnce(tall, 0, 3, 2, new int[3], 0));
        assertTrue(e.getMessage().contains("[1][1]"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> LinearSumAssignment.solveOnce(new float[] {Float.POSITIVE_INFINITY}, 0, 1, 1, new int[1], 0));
    }

    @Test
    void badShapesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> LinearSumAssignment.solveOnce(new float[4], 0, -1, 2, new int[2], 0));
        assertThrows(IllegalArgumentException.class, () -> LinearSumAssignment.solveOnce(new float[5], 0, 2, 3, new int[2], 0));
        assertThrows(IllegalArgumentException.class, () -> LinearSumAssignment.solveOnce(new float[6], 0, 2, 3, new int[1], 0));
    }
}

package dev.hungarian4j.jvm;

/**
 * Independent test oracles for the assignment problem: exhaustive search for tiny problems and the
 * textbook O(n^2 m) Hungarian algorithm with potentials (Kuhn-Munkres as in Jonker-Volgenant's
 * Dijkstra formulation) for larger ones. Both return only the optimal cost, in double.
 */
final class ReferenceAssignment {

    private ReferenceAssignment() {
    }

    /** Minimum cost over all matchings of size min(rows, cols), by exhaustive search. */
    static double bruteForce(double[][] c) {
        int rows = c.length;
        int cols = rows == 0 ? 0 : c[0].length;
        if (rows == 0 || cols == 0) {
            return 0.0;
        }
        double[][] m = rows <= cols ? c : transpose(c);
        return search(m, 0, new boolean[m[0].length]);
    }

    private static double search(double[][] m, int row, boolean[] used) {
        if (row == m.length) {
            return 0.0;
        }
        double best = Double.POSITIVE_INFINITY;
        for (int j = 0; j < used.length; j++) {
            if (!used[j]) {
                used[j] = true;
                best = Math.min(best, m[row][j] + search(m, row + 1, used));
                used[j] = false;
            }
        }
        return best;
    }

    /** Minimum cost over all matchings of size min(rows, cols), by the Hungarian method. */
    static double hungarian(double[][] c) {
        int rows = c.length;
        int cols = rows == 0 ? 0 : c[0].length;
        if (rows == 0 || cols == 0) {
            return 0.0;
        }
        double[][] a = rows <= cols ? c : transpose(c);
        int n = a.length;
        int m = a[0].length;
        // 1-based potentials; p[j] = row matched to column j (0 = none).
        double[] u = new double[n + 1];
        double[] v = new double[m + 1];
        int[] p = new int[m + 1];
        int[] way = new int[m + 1];
        for (int i = 1; i <= n; i++) {
            p[0] = i;
            int j0 = 0;
            double[] minv = new double[m + 1];
            boolean[] used = new boolean[m + 1];
            java.util.Arrays.fill(minv, Double.POSITIVE_INFINITY);
            do {
                used[j0] = true;
                int i0 = p[j0];
                double delta = Double.POSITIVE_INFINITY;
                int j1 = 0;
                for (int j = 1; j <= m; j++) {
                    if (!used[j]) {
                        double cur = a[i0 - 1][j - 1] - u[i0] - v[j];
                        if (cur < minv[j]) {
                            minv[j] = cur;
                            way[j] = j0;
                        }
                        if (minv[j] < delta) {
                            delta = minv[j];
                            j1 = j;
                        }
                    }
                }
                for (int j = 0; j <= m; j++) {
                    if (used[j]) {
                        u[p[j]] += delta;
                        v[j] -= delta;
                    } else {
                        minv[j] -= delta;
                    }
                }
                j0 = j1;
            } while (p[j0] != 0);
            do {
                int j1 = way[j0];
                p[j0] = p[j1];
                j0 = j1;
            } while (j0 != 0);
        }
        double total = 0.0;
        for (int j = 1; j <= m; j++) {
            if (p[j] != 0) {
                total += a[p[j] - 1][j - 1];
            }
        }
        return total;
    }

    static double[][] transpose(double[][] c) {
        double[][] t = new double[c[0].length][c.length];
        for (int i = 0; i < c.length; i++) {
            for (int j = 0; j < c[0].length; j++) {
                t[j][i] = c[i][j];
            }
        }
        return t;
    }
}

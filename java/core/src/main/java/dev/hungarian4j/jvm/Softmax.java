package dev.hungarian4j.jvm;

/**
 * Max-subtracted softmax pieces over one row of float logits, in double, shared by the cost and
 * loss kernels so both see the same numbers.
 */
final class Softmax {

    private Softmax() {
    }

    /** Largest of {@code x[off..off+n)}; subtracting it keeps {@code exp} from overflowing. */
    static double max(float[] x, int off, int n) {
        double m = x[off];
        for (int k = 1; k < n; k++) {
            m = Math.max(m, x[off + k]);
        }
        return m;
    }

    /**
     * Writes {@code exp(x[off+k] - max)} into {@code e[0..n)} and returns their sum (at least 1,
     * as the maximum contributes exp(0)); callers reuse the terms instead of recomputing them.
     */
    static double expShifted(float[] x, int off, int n, double max, double[] e) {
        double s = 0.0;
        for (int k = 0; k < n; k++) {
            double t = Math.exp(x[off + k] - max);
            e[k] = t;
            s += t;
        }
        return s;
    }
}

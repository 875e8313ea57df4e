package dev.hungarian4j.jvm;

/**
 * The softmax statistics of one row of float logits, computed as the native CPU kernels compute them
 * ({@code native/src/cpu_kernels.h}, {@code row_softmax} and {@code exp_le0}), operation for operation: the same
 * float exp, the same double sum in the same lane order. The jvm and native backends therefore produce bit-identical
 * {@code prob} class costs, and so the same matchings.
 *
 * <p>The exp: {@code exp(x)} for {@code x <= 0} in float, range-reduced as {@code x = n ln2 + r} (a Cody-Waite split
 * of ln2), the degree-7 Taylor polynomial of {@code exp(r)} (truncation below 3e-9 relative), scaled by {@code 2^n}
 * built in the exponent bits: at most ~2 ulp from the correctly rounded float (RowSoftmaxTest checks it against
 * {@link Math#exp} over [-87, 0]). Results below {@code e^-87} are flushed to 0; next to the row's largest term,
 * {@code exp(0) = 1}, they are invisible in the sum. The contract's tolerances (1e-4 relative on the loss terms,
 * 1e-3 of the largest gradient) are four orders of magnitude above this error. The first loop is plain float
 * arithmetic that C2 vectorises; the second scales by the powers of two, the third flushes, then the sum.
 */
final class RowSoftmax {
    private static final float LOG2E = 1.44269504088896341f;
    private static final float SHIFTER = 12582912.0f; // 1.5 * 2^23: adding it rounds to an integer
    private static final int SHIFTER_BITS = Float.floatToRawIntBits(SHIFTER);
    private static final float LN2_HI = 0.693359375f; // 9 bits: n * LN2_HI is exact
    private static final float LN2_LO = -2.12194440e-4f;
    private static final float LOWEST = -87.0f;
    private static final float C7 = 1.0f / 5040.0f;
    private static final float C6 = 1.0f / 720.0f;
    private static final float C5 = 1.0f / 120.0f;
    private static final float C4 = 1.0f / 24.0f;
    private static final float C3 = 1.0f / 6.0f;

    private RowSoftmax() {
    }

    /** {@code exp(x)} for {@code x <= 0} as described above (one value; the row loop inlines the same steps). */
    static float expLe0(float x) {
        boolean under = x < LOWEST;
        float xc = under ? LOWEST : x;
        float t = xc * LOG2E + SHIFTER;
        float n = t - SHIFTER;
        float r = xc - n * LN2_HI;
        r = r - n * LN2_LO;
        float p = poly(r);
        float y = p * Float.intBitsToFloat(((int) n + 127) << 23);
        return under ? 0.0f : y;
    }

    private static float poly(float r) {
        float p = C7;
        p = p * r + C6;
        p = p * r + C5;
        p = p * r + C4;
        p = p * r + C3;
        p = p * r + 0.5f;
        p = p * r + 1.0f;
        p = p * r + 1.0f;
        return p;
    }

    /** Largest of {@code x[0..n)} (for finite values the same whatever the order, so the same as the native one). */
    static float max(float[] x, int n) {
        float m = x[0];
        for (int c = 1; c < n; c++) {
            m = Math.max(m, x[c]);
        }
        return m;
    }

    /**
     * The softmax statistics of {@code row[off..off+n)}: copies the row into {@code x[0..n)}, writes
     * {@code e[c] = exp(x[c] - m)} for {@code c < n}, and returns the maximum {@code m} in {@code stats[0]} and the
     * sum of the exps in double in {@code stats[1]}, accumulated as the native kernel does (8 lanes over blocks of
     * 8, combined pairwise, then the tail in order; at least 1). Every loop indexes its arrays from 0: C2 (JDK 17)
     * vectorises a loop only when its loads and stores share the same offset.
     *
     * @param x       at least {@code n} floats: receives the row
     * @param e       at least {@code n} floats: receives the exps
     * @param scratch at least {@code n} floats of scratch (the exponents of the powers of two)
     * @param stats   at least 2 doubles: receives {@code m} and the sum
     * @return whether every value of the row is finite, found on the way (the maximum is NaN after a NaN and +inf
     *         after a +inf; a -inf takes the rare clamp branch), so that the values need no pass of their own;
     *         {@code stats} and {@code e} are meaningless when not
     */
    static boolean row(float[] row, int off, int n, float[] x, float[] e, float[] scratch, double[] stats) {
        System.arraycopy(row, off, x, 0, n);
        float m = max(x, n);
        for (int c = 0; c < n; c++) { // float arithmetic only: vectorised by C2
            float d = x[c] - m;
            float t = d * LOG2E + SHIFTER;
            float k = t - SHIFTER;
            float r = d - k * LN2_HI;
            r = r - k * LN2_LO;
            e[c] = poly(r);
            scratch[c] = t;
        }
        for (int c = 0; c < n; c++) { // 2^k from t's bits (t = 1.5 * 2^23 + k exactly): no float-to-int conversion
            e[c] = e[c] * Float.intBitsToFloat((Float.floatToRawIntBits(scratch[c]) - SHIFTER_BITS + 127) << 23);
        }
        boolean negativeInfinity = false;
        for (int c = 0; c < n; c++) { // the clamp of expLe0: below LOWEST the value is 0 (rare: a predicted branch)
            if (x[c] - m < LOWEST) {
                e[c] = 0.0f;
                negativeInfinity |= x[c] == Float.NEGATIVE_INFINITY;
            }
        }
        double a0 = 0;
        double a1 = 0;
        double a2 = 0;
        double a3 = 0;
        double b0 = 0;
        double b1 = 0;
        double b2 = 0;
        double b3 = 0;
        int c = 0;
        for (; c + 8 <= n; c += 8) {
            a0 += e[c];
            a1 += e[c + 1];
            a2 += e[c + 2];
            a3 += e[c + 3];
            b0 += e[c + 4];
            b1 += e[c + 5];
            b2 += e[c + 6];
            b3 += e[c + 7];
        }
        double s = ((a0 + b0) + (a1 + b1)) + ((a2 + b2) + (a3 + b3));
        for (; c < n; c++) {
            s += e[c];
        }
        stats[0] = m;
        stats[1] = s;
        return Float.isFinite(m) && !negativeInfinity;
    }
}

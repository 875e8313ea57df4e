package dev.hungarian4j.jvm;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The float exp and row statistics of {@link RowSoftmax} against {@link Math#exp} in double. */
class RowSoftmaxTest {

    @Test
    void expIsWithinThreeUlpOfTheCorrectlyRoundedFloatOnItsDomain() {
        SplittableRandom rnd = new SplittableRandom(11);
        double worstUlps = 0;
        for (int i = 0; i < 2_000_000; i++) {
            float x = i < 1000 ? -i * 0.087f : (float) (-87.0 * rnd.nextDouble());
            double want = Math.exp(x);
            float got = RowSoftmax.expLe0(x);
            double ulps = Math.abs(got - want) / Math.ulp((float) want);
            worstUlps = Math.max(worstUlps, ulps);
        }
        assertTrue(worstUlps <= 3.0, "worst error " + worstUlps + " ulp");
        assertTrue(worstUlps > 0.0, "degenerate: every value exact");
        assertEquals(1.0f, RowSoftmax.expLe0(0.0f), 0.0f);
        assertEquals(1.0f, RowSoftmax.expLe0(-0.0f), 0.0f);
        assertEquals(0.0f, RowSoftmax.expLe0(-87.5f), 0.0f, "below e^-87: flushed to 0");
        assertEquals(0.0f, RowSoftmax.expLe0(Float.NEGATIVE_INFINITY), 0.0f);
    }

    @Test
    void rowLoopEqualsTheScalarExpAndSumsInDouble() {
        SplittableRandom rnd = new SplittableRandom(12);
        for (int n : new int[] {1, 2, 3, 4, 5, 7, 8, 9, 16, 91, 92, 300}) {
            float[] row = new float[n + 3];
            for (int i = 0; i < row.length; i++) {
                row[i] = (float) (rnd.nextDouble() * 200 - 100);
            }
            float[] x = new float[n];
            float[] e = new float[n];
            double[] stats = new double[2];
            RowSoftmax.row(row, 3, n, x, e, new float[n], stats);
            float m = (float) stats[0];
            double s = stats[1];
            double want = 0;
            double exact = 0;
            for (int c = 0; c < n; c++) {
                assertTrue(row[3 + c] <= m);
                float one = RowSoftmax.expLe0(row[3 + c] - m);
                assertEquals(one, e[c], 0.0f, "n=" + n + " c=" + c);
                assertEquals(row[3 + c], x[c], 0.0f);
                want += one;
                exact += Math.exp((double) row[3 + c] - m);
            }
            assertEquals(want, s, 1e-15 * want, "n=" + n);
            assertEquals(exact, s, 3e-7 * exact, "n=" + n);
            assertTrue(s >= 1.0);
            float wantMax = row[3];
            for (int c = 1; c < n; c++) {
                wantMax = Math.max(wantMax, row[3 + c]);
            }
            assertEquals(wantMax, m, 0.0f, "n=" + n);
        }
    }
}

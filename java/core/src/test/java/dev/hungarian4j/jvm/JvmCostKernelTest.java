package dev.hungarian4j.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The ragged cost-block layout and the cost formula of {@link JvmCostKernel}. */
class JvmCostKernelTest {

    private static final int B = 3;
    private static final int Q = 4;
    private static final int NL = 5;
    private static final int[] OFFSETS = {0, 2, 2, 7}; // M = 2, 0, 5 (more targets than queries)

    private static float[] randomArray(Random rnd, int n, double lo, double hi) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (lo + rnd.nextDouble() * (hi - lo));
        }
        return a;
    }

    private static float[] randomBoxes(Random rnd, int n) {
        float[] a = new float[4 * n];
        for (int i = 0; i < n; i++) {
            a[4 * i] = (float) (0.1 + 0.8 * rnd.nextDouble());
            a[4 * i + 1] = (float) (0.1 + 0.8 * rnd.nextDouble());
            a[4 * i + 2] = (float) (0.05 + 0.4 * rnd.nextDouble());
            a[4 * i + 3] = (float) (0.05 + 0.4 * rnd.nextDouble());
        }
        return a;
    }

    @Test
    void blocksHoldTheFormulaAtTheirRaggedPositions() {
        Random rnd = new Random(11);
        int total = OFFSETS[B];
        float[] logits = randomArray(rnd, B * Q * NL, -3, 3);
        float[] boxes = randomBoxes(rnd, B * Q);
        int[] labels = {3, 0, 1, 1, 2, 0, 3};
        float[] tboxes = randomBoxes(rnd, total);
        for (boolean logProb : new boolean[] {false, true}) {
            float[] out = new float[Q * total + 3];
            Arrays.fill(out, Float.NaN); // entries past the blocks must stay untouched
            JvmCostKernel.costBlocks(B, Q, NL, logits, boxes, OFFSETS, labels, tboxes, 1.5, 5.0, 2.0, logProb, out);
            for (int b = 0; b < B; b++) {
                int m = OFFSETS[b + 1] - OFFSETS[b];
                for (int q = 0; q < Q; q++) {
                    int p = b * Q + q;
                    // Plain (not max-subtracted) softmax is accurate for logits in [-3, 3].
                    double z = 0;
                    for (int k = 0; k < NL; k++) {
                        z += Math.exp(logits[p * NL + k]);
                    }
                    for (int j = 0; j < m; j++) {
                        int t = OFFSETS[b] + j;
                        double x = logits[p * NL + labels[t]];
                        double cls = logProb ? -(x - Math.log(z)) : -Math.exp(x) / z;
                        double l1 = 0;
                        for (int c = 0; c < 4; c++) {
                            l1 += Math.abs((double) boxes[4 * p + c] - tboxes[4 * t + c]);
                        }
                        double want = 1.5 * cls + 5.0 * l1 - 2.0 * BoxMath.giou(boxes, 4 * p, tboxes, 4 * t);
                        float got = out[Q * OFFSETS[b] + q * m + j];
                        assertEquals((float) want, got, 2e-6f * (float) (1 + Math.abs(want)), "b" + b + " q" + q + " j" + j);
                    }
                }
            }
            for (int i = Q * total; i < out.length; i++) {
                assertTrue(Float.isNaN(out[i]), "wrote past the blocks at " + i);
            }
        }
    }

    @Test
    void confidentLogitsStayFinite() {
        // Without max-subtraction exp(1000) overflows to infinity and the costs become NaN.
        float[] logits = {1000f, 0f, -1000f};
        float[] boxes = {0.5f, 0.5f, 0.2f, 0.2f};
        int[] offsets = {0, 2};
        int[] labels = {0, 1};
        float[] tboxes = {0.5f, 0.5f, 0.2f, 0.2f, 0.5f, 0.5f, 0.2f, 0.2f};
        float[] out = new float[2];
        JvmCostKernel.costBlocks(1, 1, 3, logits, boxes, offsets, labels, tboxes, 1, 0, 0, false, out);
        assertEquals(-1.0f, out[0], 0f);
        assertEquals(0.0f, out[1], 0f);
        JvmCostKernel.costBlocks(1, 1, 3, logits, boxes, offsets, labels, tboxes, 1, 0, 0, true, out);
        assertEquals(0.0f, out[0], 0f);
        assertEquals(1000.0f, out[1], 1e-3f);
    }

    @Test
    void badArgumentsAreRejected() {
        float[] l = new float[3];
        float[] bx = new float[4];
        float[] tb = new float[4];
        float[] out = new float[1];
        assertThrows(IllegalArgumentException.class,
                () -> JvmCostKernel.costBlocks(1, 1, 3, l, bx, new int[] {0, 1}, new int[] {2}, tb, 1, 1, 1, false, out),
                "label K (no-object) is not a target label");
        assertThrows(IllegalArgumentException.class,
                () -> JvmCostKernel.costBlocks(1, 1, 3, l, bx, new int[] {1, 1}, new int[] {0}, tb, 1, 1, 1, false, out));
        assertThrows(IllegalArgumentException.class,
                () -> JvmCostKernel.costBlocks(1, 1, 3, l, bx, new int[] {0, 1}, new int[] {0}, tb, 1, 1, 1, false, new float[0]));
        assertThrows(IllegalArgumentException.class,
                () -> JvmCostKernel.costBlocks(1, 1, 1, l, bx, new int[] {0, 0}, new int[0], tb, 1, 1, 1, false, out));
    }
}

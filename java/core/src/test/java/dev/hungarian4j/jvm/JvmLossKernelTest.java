package dev.hungarian4j.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Loss values and gradients of {@link JvmLossKernel}. */
class JvmLossKernelTest {

    /** Step of the central differences; inputs sit on a 2^-16 grid so input +- H is exact in float. */
    private static final double H = 0x1p-14;

    /** A random batch with a fixed, valid assignment, kept away from every kink of the loss. */
    private static final class Problem {
        final int batch = 3;
        final int queries = 5;
        final int numLogits = 4;
        final int[] offsets = {0, 2, 2, 9}; // M = 2, 0, 7 (more targets than queries)
        final int[] labels;
        final float[] logits;
        final float[] boxes;
        final float[] targetBoxes;
        final int[] assignment;

        Problem(long seed) {
            Random rnd = new Random(seed);
            int total = offsets[batch];
            labels = new int[total];
            for (int t = 0; t < total; t++) {
                labels[t] = rnd.nextInt(numLogits - 1);
            }
            logits = new float[batch * queries * numLogits];
            for (int i = 0; i < logits.length; i++) {
                logits[i] = grid(rnd, -4, 4);
            }
            targetBoxes = new float[4 * total];
            for (int t = 0; t < total; t++) {
                box(rnd, targetBoxes, 4 * t);
            }
            // image 0: queries 3 and 1 take targets 0 and 1; image 2: five of its seven targets.
            assignment = new int[] {-1, 1, -1, 0, -1, -1, -1, -1, -1, -1, 4, 6, 0, 2, 3};
            boxes = new float[4 * batch * queries];
            for (int p = 0; p < batch * queries; p++) {
                int b = p / queries;
                do {
                    box(rnd, boxes, 4 * p);
                } while (assignment[p] >= 0 && nearKink(boxes, 4 * p, targetBoxes, 4 * (offsets[b] + assignment[p])));
            }
        }

        double[] loss(double ce, double bbox, double giou, double eos, boolean sum, float[] gl, float[] gb) {
            return JvmLossKernel.loss(batch, queries, numLogits, logits, boxes, offsets, labels, targetBoxes,
                    ce, bbox, giou, eos, sum, assignment, gl, gb);
        }

        /**
         * contract.md §1's terms {@code {ce, bbox, giou}} evaluated independently in double (Math.exp, log-sum-exp):
         * the oracle of the value and central-difference tests. The kernel's float softmax is ~1e-7 relative off
         * it, too coarse to difference with a step of 2^-14.
         */
        double[] reference(double eos, boolean sum) {
            double num = 0;
            double den = 0;
            double l1 = 0;
            double gi = 0;
            for (int i = 0; i < batch * queries; i++) {
                int b = i / queries;
                int j = assignment[i];
                int t = j >= 0 ? labels[offsets[b] + j] : numLogits - 1;
                double w = j >= 0 ? 1 : eos;
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < numLogits; k++) {
                    max = Math.max(max, logits[i * numLogits + k]);
                }
                double z = 0;
                for (int k = 0; k < numLogits; k++) {
                    z += Math.exp(logits[i * numLogits + k] - max);
                }
                num += w * (max + Math.log(z) - logits[i * numLogits + t]);
                den += w;
                if (j >= 0) {
                    int to = 4 * (offsets[b] + j);
                    for (int c = 0; c < 4; c++) {
                        l1 += Math.abs((double) boxes[4 * i + c] - targetBoxes[to + c]);
                    }
                    gi += 1 - BoxMath.giou(boxes, 4 * i, targetBoxes, to);
                }
            }
            double nb = Math.max(1, offsets[batch]);
            return new double[] {sum ? num : (den > 0 ? num / den : 0), sum ? l1 : l1 / nb, sum ? gi : gi / nb};
        }

        double referenceTotal(double ce, double bbox, double giou, double eos, boolean sum) {
            double[] r = reference(eos, sum);
            return ce * r[0] + bbox * r[1] + giou * r[2];
        }

        private static void box(Random rnd, float[] a, int o) {
            a[o] = grid(rnd, 0.1, 0.9);
            a[o + 1] = grid(rnd, 0.1, 0.9);
            a[o + 2] = grid(rnd, 0.05, 0.5);
            a[o + 3] = grid(rnd, 0.05, 0.5);
        }

        private static boolean nearKink(float[] a, int ao, float[] t, int to) {
            float[] pair = new float[8];
            System.arraycopy(a, ao, pair, 0, 4);
            System.arraycopy(t, to, pair, 4, 4);
            for (int c = 0; c < 4; c++) {
                if (Math.abs(pair[c] - pair[4 + c]) < 4 * H) {
                    return true; // L1 kink
                }
            }
            return BoxMathTest.nearKink(pair, 4 * H);
        }
    }

    private static float grid(Random rnd, double lo, double hi) {
        return (float) (Math.rint((lo + rnd.nextDouble() * (hi - lo)) * 65536) / 65536);
    }

    /** Checks both gradients of {@code total} against central differences of the double oracle. */
    private static void checkGradients(Problem p, double ce, double bbox, double giou, double eos, boolean sum) {
        float[] gl = new float[p.logits.length];
        float[] gb = new float[p.boxes.length];
        java.util.Arrays.fill(gl, Float.NaN); // must be overwritten everywhere
        java.util.Arrays.fill(gb, Float.NaN);
        p.loss(ce, bbox, giou, eos, sum, gl, gb);
        double maxGrad = 0;
        for (float[] arr : new float[][] {p.logits, p.boxes}) {
            float[] g = arr == p.logits ? gl : gb;
            for (int i = 0; i < arr.length; i++) {
                float x = arr[i];
                arr[i] = (float) (x + H);
                assertEquals(x + H, arr[i], 0.0, "perturbation must be exact in float");
                double up = p.referenceTotal(ce, bbox, giou, eos, sum);
                arr[i] = (float) (x - H);
                double down = p.referenceTotal(ce, bbox, giou, eos, sum);
                arr[i] = x;
                double fd = (up - down) / (2 * H);
                // float storage of the gradient costs ~6e-8 relative; the difference quotient ~1e-7.
                assertEquals(fd, g[i], 1e-5 * (1 + Math.abs(fd)),
                        (arr == p.logits ? "logits[" : "boxes[") + i + "] eos=" + eos + " sum=" + sum);
                maxGrad = Math.max(maxGrad, Math.abs(fd));
            }
        }
        assertTrue(maxGrad > 0.01, "degenerate test: all gradients near 0");
    }

    @Test
    void gradientsMatchCentralDifferencesDetrReduction() {
        Problem p = new Problem(1);
        checkGradients(p, 1.0, 5.0, 2.0, 0.1, false);
        checkGradients(p, 0.7, 1.3, 3.1, 0.5, false);
    }

    @Test
    void gradientsMatchCentralDifferencesSumReduction() {
        Problem p = new Problem(2);
        checkGradients(p, 1.0, 5.0, 2.0, 0.1, true);
        checkGradients(p, 1.0, 2.0, 0.5, 1.0, true);
    }

    @Test
    void gradientsMatchCentralDifferencesWithZeroEosCoef() {
        Problem p = new Problem(3);
        checkGradients(p, 1.0, 5.0, 2.0, 0.0, false);
        checkGradients(p, 1.0, 5.0, 2.0, 0.0, true);
    }

    /**
     * The kernel's terms against the double oracle: ce to 1e-6 relative (the softmax is in float with double sums,
     * as on the native backend; the contract allows 1e-4), the box terms (all double) to 1e-12.
     */
    @Test
    void valuesMatchTheContractFormula() {
        Problem p = new Problem(4);
        for (boolean sum : new boolean[] {false, true}) {
            double eos = 0.3;
            double[] want = p.reference(eos, sum);
            double ce = want[0];
            double bbox = want[1];
            double giou = want[2];
            double nb = p.offsets[p.batch]; // 9 targets, so max(1, 9) = 9
            double[] r = p.loss(2.0, 3.0, 4.0, eos, sum, null, null);
            assertEquals(ce, r[JvmLossKernel.CE], 1e-6 * (1 + ce));
            assertEquals(bbox, r[JvmLossKernel.BBOX], 1e-12 * (1 + bbox));
            assertEquals(giou, r[JvmLossKernel.GIOU], 1e-12 * (1 + giou));
            assertEquals(2 * ce + 3 * bbox + 4 * giou, r[JvmLossKernel.TOTAL], 2e-6 * (1 + r[JvmLossKernel.TOTAL]));
            assertEquals(nb, r[JvmLossKernel.NUM_BOXES], 0.0);
        }
    }

    @Test
    void zeroClassWeightSumGivesZeroCe() {
        // No targets and eos_coef 0: sum w(t) = 0, so ce and its gradient are 0, num_boxes is 1.
        float[] logits = {1, 2, 3, -1, 0, 4};
        float[] boxes = {0.5f, 0.5f, 0.1f, 0.1f, 0.2f, 0.3f, 0.1f, 0.2f};
        float[] gl = new float[6];
        float[] gb = new float[8];
        java.util.Arrays.fill(gl, 9f);
        java.util.Arrays.fill(gb, 9f);
        for (boolean sum : new boolean[] {false, true}) {
            double[] r = JvmLossKernel.loss(1, 2, 3, logits, boxes, new int[] {0, 0}, new int[0], new float[0],
                    1, 5, 2, 0.0, sum, new int[] {-1, -1}, gl, gb);
            assertEquals(0.0, r[JvmLossKernel.CE], 0.0);
            assertEquals(0.0, r[JvmLossKernel.TOTAL], 0.0);
            assertEquals(1.0, r[JvmLossKernel.NUM_BOXES], 0.0);
            for (float g : gl) {
                assertEquals(0f, g, 0f);
            }
            for (float g : gb) {
                assertEquals(0f, g, 0f);
            }
        }
    }

    @Test
    void hungarianSeedFormulaWithSumReduction() {
        // eos_coef 1, sum, weights (1, l1, iou): sum_i -log p(c_i) + matched (iou (1 - GIoU) + l1 |b - b'|).
        float[] logits = {2, 0, 0, 1};
        float[] boxes = {0.5f, 0.5f, 0.2f, 0.2f, 0.3f, 0.3f, 0.1f, 0.1f};
        float[] tbox = {0.5f, 0.5f, 0.2f, 0.4f}; // a box twice as tall around the same centre: GIoU 0.5
        double[] r = JvmLossKernel.loss(1, 2, 2, logits, boxes, new int[] {0, 1}, new int[] {0}, tbox,
                1, 5, 2, 1.0, true, new int[] {0, -1}, null, null);
        double nll0 = -Math.log(Math.exp(2) / (Math.exp(2) + 1));
        double nll1 = -Math.log(Math.exp(1) / (Math.exp(0) + Math.exp(1)));
        double l1 = 0.4f - 0.2f;
        assertEquals(nll0 + nll1, r[JvmLossKernel.CE], 1e-6 * (nll0 + nll1)); // float softmax, double sums
        assertEquals(l1, r[JvmLossKernel.BBOX], 1e-7);
        assertEquals(0.5, r[JvmLossKernel.GIOU], 1e-7);
        assertEquals(nll0 + nll1 + 5 * l1 + 2 * 0.5, r[JvmLossKernel.TOTAL], 1e-6);
    }

    @Test
    void l1GradientIsZeroAtEqualCoordinates() {
        // Identical boxes: every L1 term at its kink (sign 0) and GIoU at its maximum (gradient 0).
        float[] box = {0.4f, 0.6f, 0.2f, 0.1f};
        float[] gb = new float[4];
        JvmLossKernel.loss(1, 1, 2, new float[] {0, 0}, box, new int[] {0, 1}, new int[] {0}, box.clone(),
                1, 5, 2, 0.1, false, new int[] {0}, null, gb);
        for (float g : gb) {
            assertEquals(0f, g, 1e-6f);
        }
    }

    @Test
    void assignmentOutOfRangeIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> JvmLossKernel.loss(1, 1, 2, new float[2], new float[4],
                new int[] {0, 1}, new int[] {0}, new float[4], 1, 1, 1, 0.1, false, new int[] {1}, null, null));
        assertThrows(IllegalArgumentException.class, () -> JvmLossKernel.loss(1, 1, 2, new float[2], new float[4],
                new int[] {0, 1}, new int[] {0}, new float[4], 1, 1, 1, 0.1, false, new int[] {-2}, null, null));
    }
}

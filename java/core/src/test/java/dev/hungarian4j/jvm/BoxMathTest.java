package dev.hungarian4j.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Hand-worked GIoU values, degenerate boxes, and the GIoU gradient against finite differences. */
class BoxMathTest {

    private static double giou(float... ab) {
        return BoxMath.giou(ab, 0, ab, 4);
    }

    @Test
    void identicalBoxesGiveOne() {
        assertEquals(1.0, giou(0.5f, 0.5f, 0.2f, 0.3f, 0.5f, 0.5f, 0.2f, 0.3f), 1e-12);
        assertEquals(1.0, giou(0.1f, 0.9f, 1e-3f, 2e-3f, 0.1f, 0.9f, 1e-3f, 2e-3f), 1e-9);
    }

    @Test
    void handWorkedOverlap() {
        // a = [0,2]x[0,2], b = [1,3]x[1,3]: inter 1, union 7, enclosure 9 -> 1/7 - 2/9.
        assertEquals(1.0 / 7 - 2.0 / 9, giou(1, 1, 2, 2, 2, 2, 2, 2), 1e-12);
        // b inside a: a = [0,4]x[0,4], b = [1,2]x[1,2]: iou 1/16, enclosure = union -> 1/16.
        assertEquals(1.0 / 16, giou(2, 2, 4, 4, 1.5f, 1.5f, 1, 1), 1e-12);
    }

    @Test
    void closeDisjointBoxesAreNegative() {
        // a = [0,1]x[0,1], b = [1.5,2.5]x[0,1]: no overlap, union 2, enclosure 2.5 -> -0.2.
        assertEquals(-0.2, giou(0.5f, 0.5f, 1, 1, 2, 0.5f, 1, 1), 1e-12);
    }

    @Test
    void farDisjointBoxesApproachMinusOne() {
        double g = giou(0.01f, 0.01f, 0.01f, 0.01f, 0.99f, 0.99f, 0.01f, 0.01f);
        assertTrue(g < -0.999 && g >= -1.0, "giou " + g);
        // union 2e-4, enclosure 0.99^2 -> -(1 - 2e-4 / 0.9801).
        assertEquals(-(1 - 2e-4 / 0.9801), g, 1e-6);
    }

    @Test
    void zeroAreaBoxesStayFinite() {
        float[][] pairs = {
                {0.5f, 0.5f, 0, 0, 0.5f, 0.5f, 0, 0},       // identical points
                {0.2f, 0.2f, 0, 0, 0.7f, 0.7f, 0, 0},       // distinct points
                {0.5f, 0.5f, 0, 0.3f, 0.5f, 0.5f, 0, 0.3f}, // identical vertical segments
                {0.5f, 0.5f, 0, 0, 0.5f, 0.5f, 0.2f, 0.2f}, // point inside a box
                {0.1f, 0.5f, 0.4f, 0, 0.6f, 0.5f, 0.4f, 0}, // collinear segments
        };
        double[] grad = new double[4];
        for (float[] p : pairs) {
            double g = BoxMath.giou(p, 0, p, 4);
            double gg = BoxMath.giouWithGrad(p, 0, p, 4, grad);
            assertTrue(Double.isFinite(g) && g >= -1 && g <= 1, "giou " + g);
            assertEquals(g, gg, 0.0);
            for (double d : grad) {
                assertTrue(Double.isFinite(d), "gradient " + d);
            }
        }
        // Two identical points: union and enclosure floored, iou 0, nothing enclosed -> 0.
        assertEquals(0.0, BoxMath.giou(pairs[0], 0, pairs[0], 4), 0.0);
        // Point inside a box: iou 0, enclosure = union -> 0.
        assertEquals(0.0, BoxMath.giou(pairs[3], 0, pairs[3], 4), 1e-12);
    }

    @Test
    void giouWithGradReturnsTheSameValue() {
        Random rnd = new Random(1);
        double[] grad = new double[4];
        for (int i = 0; i < 1000; i++) {
            float[] ab = randomPair(rnd);
            assertEquals(BoxMath.giou(ab, 0, ab, 4), BoxMath.giouWithGrad(ab, 0, ab, 4, grad), 0.0);
        }
    }

    /**
     * Central differences on the float API itself: inputs are multiples of 2^-16 and the step is
     * 2^-14, so every perturbed input is exact in float32 and the difference is a pure double one.
     */
    @Test
    void gradientMatchesCentralDifferences() {
        Random rnd = new Random(2024);
        double h = 0x1p-14;
        double[] grad = new double[4];
        int checked = 0;
        for (int i = 0; i < 2000; i++) {
            float[] ab = randomPair(rnd);
            if (nearKink(ab, 2 * h)) {
                continue;
            }
            BoxMath.giouWithGrad(ab, 0, ab, 4, grad);
            for (int c = 0; c < 4; c++) {
                float[] plus = ab.clone();
                float[] minus = ab.clone();
                plus[c] = (float) (ab[c] + h);
                minus[c] = (float) (ab[c] - h);
                assertEquals(ab[c] + h, plus[c], 0.0, "perturbation must be exact");
                double fd = (BoxMath.giou(plus, 0, plus, 4) - BoxMath.giou(minus, 0, minus, 4)) / (2 * h);
                assertEquals(fd, grad[c], 1e-5 * (1 + Math.abs(fd)), "pair " + i + " coord " + c);
            }
            checked++;
        }
        assertTrue(checked > 1000, "too few kink-free pairs: " + checked);
    }

    @Test
    void identicalBoxesHaveZeroGradient() {
        // Every min/max ties; the even split is the symmetric subgradient, 0 at the maximum.
        float[] ab = {0.4f, 0.6f, 0.2f, 0.1f, 0.4f, 0.6f, 0.2f, 0.1f};
        double[] grad = new double[4];
        BoxMath.giouWithGrad(ab, 0, ab, 4, grad);
        for (double d : grad) {
            assertEquals(0.0, d, 1e-9);
        }
    }

    /** Two random boxes on a 2^-16 grid in [0,1]; about a third of the pairs do not overlap. */
    static float[] randomPair(Random rnd) {
        float[] ab = new float[8];
        for (int k = 0; k < 2; k++) {
            ab[4 * k] = grid(rnd, 0.05, 0.95);
            ab[4 * k + 1] = grid(rnd, 0.05, 0.95);
            ab[4 * k + 2] = grid(rnd, 0.02, 0.6);
            ab[4 * k + 3] = grid(rnd, 0.02, 0.6);
        }
        return ab;
    }

    private static float grid(Random rnd, double lo, double hi) {
        return (float) (Math.rint((lo + rnd.nextDouble() * (hi - lo)) * 65536) / 65536);
    }

    /** True when some corner comparison or intersection side is within {@code tol} of a kink. */
    static boolean nearKink(float[] ab, double tol) {
        for (int axis = 0; axis < 2; axis++) {
            double a0 = ab[axis] - 0.5 * ab[axis + 2];
            double a1 = ab[axis] + 0.5 * ab[axis + 2];
            double b0 = ab[4 + axis] - 0.5 * ab[4 + axis + 2];
            double b1 = ab[4 + axis] + 0.5 * ab[4 + axis + 2];
            if (Math.abs(a0 - b0) < tol || Math.abs(a1 - b1) < tol
                    || Math.abs(a1 - b0) < tol || Math.abs(b1 - a0) < tol) {
                return true;
            }
        }
        return false;
    }
}

package dev.hungarian4j.cli;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checks of testdata/vectors/README.md's "Tolerances", on a parsed CLI output. */
final class OutputChecks {
    private OutputChecks() {
    }

    /** A matching read from an output: per image, pred and target indices. */
    record Pairs(int[][] pred, int[][] target) {
        boolean sameAs(Pairs o) {
            return Arrays.deepEquals(pred, o.pred) && Arrays.deepEquals(target, o.target);
        }
    }

    /** Reads {@code matches} of an output tree. */
    static Pairs pairs(Map<String, Object> out) {
        List<Object> ms = JsonTree.arr(out.get("matches"));
        int[][] pred = new int[ms.size()][];
        int[][] target = new int[ms.size()][];
        for (int b = 0; b < ms.size(); b++) {
            Map<String, Object> m = JsonTree.obj(ms.get(b));
            assertEquals(List.of("pred", "target"), List.copyOf(m.keySet()), "matches[" + b + "] keys");
            pred[b] = JsonTree.ints(m.get("pred"));
            target[b] = JsonTree.ints(m.get("target"));
        }
        return new Pairs(pred, target);
    }

    /**
     * Checks {@code matches} and {@code matching_cost}: feasible, of size min(Q, M_b), pred strictly ascending,
     * optimal within max(1e-4, 1e-4|opt|), reported cost within max(1e-4, 1e-4|c|) of its recomputed cost and
     * exactly 0 for an image without targets.
     */
    static Pairs checkMatching(ReferenceProblem p, Map<String, Object> out, String label) {
        Pairs pr = pairs(out);
        List<Object> costs = JsonTree.arr(out.get("matching_cost"));
        assertEquals(p.batch, pr.pred().length, label + ": matches has one entry per image");
        assertEquals(p.batch, costs.size(), label + ": matching_cost has one entry per image");
        for (int b = 0; b < p.batch; b++) {
            int[] pred = pr.pred()[b];
            int[] target = pr.target()[b];
            String where = label + " image " + b;
            assertEquals(Math.min(p.queries, p.targets(b)), pred.length, where + ": matching size");
            assertEquals(pred.length, target.length, where + ": pred and target lengths");
            boolean[] seen = new boolean[p.targets(b)];
            for (int i = 0; i < pred.length; i++) {
                assertTrue(pred[i] >= 0 && pred[i] < p.queries, where + ": pred index in range");
                assertTrue(i == 0 || pred[i] > pred[i - 1], where + ": pred strictly ascending");
                assertTrue(target[i] >= 0 && target[i] < p.targets(b), where + ": target index in range");
                assertTrue(!seen[target[i]], where + ": target " + target[i] + " matched twice");
                seen[target[i]] = true;
            }
            double c = p.matchingCost(b, pred, target);
            double opt = p.optimum(b);
            assertTrue(Math.abs(c - opt) <= Math.max(1e-4, 1e-4 * Math.abs(opt)),
                    where + ": matching cost " + c + " is not optimal (" + opt + ")");
            double reported = JsonTree.num(costs.get(b));
            if (p.targets(b) == 0) {
                assertEquals(0.0, reported, 0.0, where + ": matching_cost of an image without targets");
            } else {
                assertTrue(Math.abs(reported - c) <= Math.max(1e-4, 1e-4 * Math.abs(c)),
                        where + ": matching_cost " + reported + " vs recomputed " + c);
            }
        }
        return pr;
    }

    /** Each loss term within max(1e-6, 1e-4|expected|). */
    static void checkLoss(double[] expected, Map<String, Object> loss, String label) {
        assertEquals(List.of("ce", "bbox", "giou", "total"), List.copyOf(loss.keySet()), label + ": loss keys");
        String[] names = {"ce", "bbox", "giou", "total"};
        for (int i = 0; i < 4; i++) {
            double got = JsonTree.num(loss.get(names[i]));
            assertTrue(Math.abs(got - expected[i]) <= Math.max(1e-6, 1e-4 * Math.abs(expected[i])),
                    label + ": loss." + names[i] + " = " + got + ", expected " + expected[i]);
        }
    }

    /** The loss terms of an expected-output tree. */
    static double[] lossOf(Map<String, Object> out) {
        Map<String, Object> l = JsonTree.obj(out.get("loss"));
        return new double[] {JsonTree.num(l.get("ce")), JsonTree.num(l.get("bbox")), JsonTree.num(l.get("giou")),
            JsonTree.num(l.get("total"))};
    }

    /** Checks that {@code tensor} is a d0 x d1 x d2 nested array. */
    static void checkShape(Object tensor, int d0, int d1, int d2, String label) {
        List<Object> a = JsonTree.arr(tensor);
        assertEquals(d0, a.size(), label + " dim 0");
        for (Object x : a) {
            List<Object> b = JsonTree.arr(x);
            assertEquals(d1, b.size(), label + " dim 1");
            for (Object y : b) {
                assertEquals(d2, JsonTree.arr(y).size(), label + " dim 2");
            }
        }
    }

    /** max |got - expected| &lt;= 1e-3 max |expected|; an all-zero expected array within 1e-7 of 0. */
    static void checkArray(double[] expected, double[] got, String label) {
        assertEquals(expected.length, got.length, label + ": length");
        double maxExp = 0;
        double maxDiff = 0;
        int at = -1;
        for (int i = 0; i < got.length; i++) {
            maxExp = Math.max(maxExp, Math.abs(expected[i]));
            double d = Math.abs(got[i] - expected[i]);
            if (d > maxDiff) {
                maxDiff = d;
                at = i;
            }
        }
        double tol = maxExp == 0 ? 1e-7 : 1e-3 * maxExp;
        assertTrue(maxDiff <= tol, label + ": max |got - expected| = " + maxDiff + " at flat index " + at
                + " exceeds " + tol);
    }

    /** Flattens an assignment for comparisons. */
    static int[] assignment(ReferenceProblem p, Pairs pr) {
        return p.assignment(pr.pred(), pr.target());
    }

    /** Asserts two matchings are equal, with a readable message. */
    static void assertSame(Pairs expected, Pairs got, String label) {
        for (int b = 0; b < expected.pred().length; b++) {
            assertArrayEquals(expected.pred()[b], got.pred()[b], label + " image " + b + " pred");
            assertArrayEquals(expected.target()[b], got.target()[b], label + " image " + b + " target");
        }
    }
}

package dev.hungarian4j;

import dev.hungarian4j.natives.NativeBackend;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * contract.md §3 through the Java API on jvm and native: one call for L = 6 layers and G = 3 query groups equals
 * 18 separate section-1 calls (one per layer and group), both loss classes; the gradients of groups, an external
 * normalizer and the focal loss against central differences of the double total; caller-owned gradient arrays for
 * every layer; the backends agree.
 */
class DetrFamilyTest {
    private static final int L = 6;
    private static final int G = 3;
    private static final int Q = 12;
    private static final int K = 5;
    private static final int[] COUNTS = {2, 0, 9, 4};

    private static HungarianLoss loss(BackendKind kind, HungarianConfig c) {
        if (kind == BackendKind.NATIVE) {
            Assumptions.assumeTrue(NativeBackend.status().available(), "native backend not usable here");
        }
        return HungarianLoss.create(c, kind);
    }

    private static HungarianConfig.Builder config(LossClass lc) {
        return HungarianConfig.builder().lossClass(lc);
    }

    /** The rows {@code [g·Q/G, (g+1)·Q/G)} of every image of one layer, as a section-1 batch of Q/G queries. */
    private static Batch slice(Batch batch, int l, int g) {
        Predictions p = batch.layer(l);
        int qg = Q / G;
        int c = p.numLogits();
        float[] lg = new float[p.batch() * qg * c];
        float[] bx = new float[p.batch() * qg * 4];
        for (int b = 0; b < p.batch(); b++) {
            int row = b * Q + g * qg;
            System.arraycopy(p.logits(), row * c, lg, b * qg * c, qg * c);
            System.arraycopy(p.boxes(), row * 4, bx, b * qg * 4, qg * 4);
        }
        return new Batch(new Predictions(p.batch(), qg, c, lg, bx, p.lossClass()), batch.targets());
    }

    @ParameterizedTest
    @EnumSource(value = BackendKind.class, names = {"JVM", "NATIVE"})
    void sixLayersOfThreeGroupsEqualEighteenSeparateCalls(BackendKind kind) {
        for (LossClass lc : LossClass.values()) {
            Batch batch = SyntheticBatch.generate(11, Q, K, COUNTS, L, lc);
            for (Reduction red : Reduction.values()) {
                HungarianLoss all = loss(kind, config(lc).groups(G).reduction(red).build());
                HungarianLoss one = loss(kind, config(lc).reduction(Reduction.SUM).build());
                LossResult r = all.compute(batch, true);
                assertEquals(L - 1, r.aux().size());
                double expectedNorm = 15.0 * G; // max(1, 2 + 0 + 9 + 4) * G
                assertEquals(expectedNorm, r.numBoxes(), 0.0);
                double totalAll = 0;
                for (int l = 0; l < L; l++) {
                    Matching m = l == 0 ? r.matching() : r.aux().get(l - 1).matching();
                    LossTerms t = l == 0 ? r.loss() : r.aux().get(l - 1).loss();
                    float[] gl = l == 0 ? r.gradLogits() : r.aux().get(l - 1).gradLogits();
                    float[] gb = l == 0 ? r.gradBoxes() : r.aux().get(l - 1).gradBoxes();
                    double[] sums = new double[3];
                    double[] cost = new double[COUNTS.length];
                    for (int g = 0; g < G; g++) {
                        Batch s = slice(batch, l, g);
                        LossResult sr = one.compute(s, true);
                        sums[0] += sr.loss().ce();
                        sums[1] += sr.loss().bbox();
                        sums[2] += sr.loss().giou();
                        int c = s.numLogits();
                        int qg = Q / G;
                        for (int b = 0; b < COUNTS.length; b++) {
                            cost[b] += sr.matching().cost(b);
                            for (int q = 0; q < qg; q++) {
                                int row = b * Q + g * qg + q;
                                String at = kind + " " + lc + " " + red + " layer " + l + " group " + g + " image " + b;
                                assertEquals(sr.matching().targetOf(b, q), m.targetOf(b, g * qg + q), at);
                                if (red == Reduction.SUM) { // the same per-element math: bit for bit
                                    assertArrayEquals(Arrays.copyOfRange(sr.gradLogits(), (b * qg + q) * c,
                                            (b * qg + q + 1) * c), Arrays.copyOfRange(gl, row * c, (row + 1) * c), at);
                                    assertArrayEquals(Arrays.copyOfRange(sr.gradBoxes(), (b * qg + q) * 4,
                                            (b * qg + q + 1) * 4), Arrays.copyOfRange(gb, row * 4, (row + 1) * 4), at);
                                }
                            }
                        }
                    }
                    double norm = red == Reduction.SUM ? 1 : expectedNorm;
                    String at = kind + " " + lc + " " + red + " layer " + l;
                    assertEquals(sums[1] / norm, t.bbox(), 1e-12 * (1 + sums[1]), at + " bbox");
                    assertEquals(sums[2] / norm, t.giou(), 1e-12 * (1 + sums[2]), at + " giou");
                    if (lc == LossClass.FOCAL || red == Reduction.SUM) {
                        assertEquals(sums[0] / norm, t.ce(), 1e-12 * (1 + sums[0]), at + " ce");
                    }
                    for (int b = 0; b < cost.length; b++) {
                        assertEquals(cost[b], m.cost(b), 1e-9 * (1 + Math.abs(cost[b])), at + " matching cost " + b);
                    }
                    totalAll += t.total();
                }
                assertEquals(totalAll, r.totalAllLayers(), 1e-12 * Math.abs(totalAll));
            }
        }
    }

    @Test
    void backendsAgreeOnLayersGroupsNormalizerAndFocal() {
        Assumptions.assumeTrue(NativeBackend.status().available(), "native backend not usable here");
        for (LossClass lc : LossClass.values()) {
            Batch batch = SyntheticBatch.generate(5, Q, K, COUNTS, 3, lc);
            HungarianConfig c = config(lc).groups(2).numBoxes(7.25).focalAlpha(0.4).focalGamma(1.5).build();
            LossResult j = HungarianLoss.create(c, BackendKind.JVM).compute(batch, true);
            LossResult n = HungarianLoss.create(c, BackendKind.NATIVE).compute(batch, true);
            assertEquals(14.5, n.numBoxes(), 0.0);
            for (int l = 0; l < 3; l++) {
                LossTerms tj = l == 0 ? j.loss() : j.aux().get(l - 1).loss();
                LossTerms tn = l == 0 ? n.loss() : n.aux().get(l - 1).loss();
                Matching mj = l == 0 ? j.matching() : j.aux().get(l - 1).matching();
                Matching mn = l == 0 ? n.matching() : n.aux().get(l - 1).matching();
                assertArrayEquals(mj.assignment(), mn.assignment(), lc + " layer " + l);
                assertEquals(tj.total(), tn.total(), 1e-5 * Math.abs(tj.total()), lc + " layer " + l);
                assertEquals(tj.ce(), tn.ce(), 1e-5 * Math.abs(tj.ce()), lc + " layer " + l);
                float[] gj = l == 0 ? j.gradLogits() : j.aux().get(l - 1).gradLogits();
                float[] gn = l == 0 ? n.gradLogits() : n.aux().get(l - 1).gradLogits();
                for (int i = 0; i < gj.length; i++) {
                    assertEquals(gj[i], gn[i], 1e-6 + 1e-4 * Math.abs(gj[i]), lc + " layer " + l + " grad " + i);
                }
            }
        }
    }

    /** d total / d inputs against central differences of the double total (h = 2^-14 keeps inputs exact). */
    @ParameterizedTest
    @EnumSource(value = BackendKind.class, names = {"JVM", "NATIVE"})
    void gradientsOfGroupsNormalizerAndFocalMatchCentralDifferences(BackendKind kind) {
        for (LossClass lc : LossClass.values()) {
            for (Reduction red : Reduction.values()) {
                Batch batch = SyntheticBatch.generate(23, 6, 3, new int[] {2, 5}, 1, lc);
                HungarianLoss hl = loss(kind, config(lc).groups(2).numBoxes(3.5).reduction(red).eosCoef(0.3)
                        .focalGamma(1.5).build());
                Matching m = hl.match(batch);
                LossResult r = hl.loss(batch, m, true);
                float h = 1f / 16384;
                float[][] inputs = {batch.predictions().logits(), batch.predictions().boxes()};
                float[][] grads = {r.gradLogits(), r.gradBoxes()};
                for (int a = 0; a < 2; a++) {
                    for (int i = 0; i < inputs[a].length; i++) {
                        float x = inputs[a][i];
                        inputs[a][i] = x + h;
                        double plus = hl.loss(batch, m, false).loss().total();
                        inputs[a][i] = x - h;
                        double minus = hl.loss(batch, m, false).loss().total();
                        inputs[a][i] = x;
                        double fd = (plus - minus) / (2 * h);
                        assertEquals(fd, grads[a][i], 2e-4 + 2e-3 * Math.abs(fd),
                                kind + " " + lc + " " + red + (a == 0 ? " logit " : " box ") + i);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = BackendKind.class, names = {"JVM", "NATIVE"})
    void focalLogitsOfEightyStayFinite(BackendKind kind) {
        Batch batch = SyntheticBatch.generate(3, 8, 4, new int[] {3, 1}, 2, LossClass.FOCAL);
        for (Predictions p : List.of(batch.predictions(), batch.aux().get(0))) {
            float[] lg = p.logits();
            for (int i = 0; i < lg.length; i++) {
                lg[i] = i % 3 == 0 ? 80f : i % 3 == 1 ? -80f : lg[i];
            }
        }
        LossResult r = loss(kind, config(LossClass.FOCAL).build()).compute(batch, true);
        assertTrue(Double.isFinite(r.totalAllLayers()) && r.loss().ce() > 0, r.loss().toString());
        for (float[] g : List.of(r.gradLogits(), r.gradBoxes(), r.aux().get(0).gradLogits())) {
            for (float v : g) {
                assertTrue(Float.isFinite(v));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = BackendKind.class, names = {"JVM", "NATIVE"})
    void computeIntoFillsTheCallersArraysOfEveryLayer(BackendKind kind) {
        Batch batch = SyntheticBatch.generate(8, Q, K, COUNTS, 3, LossClass.CE);
        HungarianLoss hl = loss(kind, HungarianConfig.DEFAULTS);
        float[][] gl = new float[3][batch.predictions().logits().length];
        float[][] gb = new float[3][batch.predictions().boxes().length];
        for (float[] a : gl) {
            Arrays.fill(a, Float.NaN);
        }
        LossResult into = hl.computeInto(batch, gl, gb);
        LossResult fresh = hl.compute(batch, true);
        assertSame(gl[0], into.gradLogits());
        assertSame(gb[2], into.aux().get(1).gradBoxes());
        assertArrayEquals(fresh.gradLogits(), gl[0]);
        assertArrayEquals(fresh.aux().get(0).gradLogits(), gl[1]);
        assertArrayEquals(fresh.aux().get(1).gradBoxes(), gb[2]);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> hl.computeInto(batch, new float[][] {gl[0], gl[1], new float[3]}, gb));
        assertEquals("gradLogits[2]", e.field());
        InvalidInputException g = assertThrows(InvalidInputException.class,
                () -> HungarianLoss.create(HungarianConfig.builder().groups(5).build(), kind).compute(batch, false));
        assertEquals("config.groups", g.field());
        InvalidInputException f = assertThrows(InvalidInputException.class,
                () -> HungarianLoss.create(config(LossClass.FOCAL).build(), kind).compute(batch, false));
        assertEquals("config.loss_class", f.field());
    }
}

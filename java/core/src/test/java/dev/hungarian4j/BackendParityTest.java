package dev.hungarian4j;

import dev.hungarian4j.natives.NativeBackend;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The jvm and native backends agree on seeded random batches: identical matchings (or equal cost where the
 * optimum is tied), loss and gradients within float32 rounding. The native library is part of the build, so
 * it must load here (the test fails, not skips, when it does not).
 */
class BackendParityTest {
    private static final int BATCHES = 1000;

    @BeforeAll
    static void nativeMustLoad() {
        BackendStatus s = NativeBackend.status();
        assertTrue(s.available(), "native backend did not load: " + s.detail());
    }

    static Batch randomBatch(SplittableRandom rnd) {
        int b = 1 + rnd.nextInt(4);
        int q = 1 + rnd.nextInt(30);
        int k = 1 + rnd.nextInt(10);
        int[] m = new int[b];
        for (int i = 0; i < b; i++) {
            m[i] = rnd.nextInt(10) == 0 ? 0 : rnd.nextInt(rnd.nextBoolean() ? q + 1 : 2 * q + 5);
        }
        Batch batch = SyntheticBatch.generate(rnd.nextLong(), q, k, m);
        if (rnd.nextInt(8) == 0) { // zero-area and confident cases
            float[] boxes = batch.predictions().boxes();
            boxes[2] = 0;
            float[] logits = batch.predictions().logits();
            logits[0] = 50;
            logits[logits.length - 1] = -50;
        }
        return batch;
    }

    static HungarianConfig randomConfig(SplittableRandom rnd) {
        HungarianConfig.Builder c = HungarianConfig.builder();
        c.classCost(rnd.nextBoolean() ? ClassCost.PROB : ClassCost.LOG_PROB);
        c.reduction(rnd.nextInt(4) == 0 ? Reduction.SUM : Reduction.DETR);
        switch (rnd.nextInt(5)) {
            case 0 -> c.eosCoef(0);
            case 1 -> c.eosCoef(1);
            case 2 -> c.costBbox(0).costGiou(0); // class-only costs: ties
            default -> c.eosCoef(rnd.nextDouble());
        }
        return c.build();
    }

    @Test
    void jvmAndNativeAgreeOnRandomBatches() {
        SplittableRandom rnd = new SplittableRandom(20261129);
        int tiedDifferent = 0;
        for (int it = 0; it < BATCHES; it++) {
            Batch batch = randomBatch(rnd);
            HungarianConfig cfg = randomConfig(rnd);
            LossResult j = HungarianLoss.create(cfg, BackendKind.JVM).compute(batch, true);
            LossResult n = HungarianLoss.create(cfg, BackendKind.NATIVE).compute(batch, true);
            String ctx = "batch " + it + " " + cfg;
            float[] cj = HungarianLoss.create(cfg, BackendKind.JVM).costs(batch);
            float[] cn = HungarianLoss.create(cfg, BackendKind.NATIVE).costs(batch);
            assertEquals(cj.length, cn.length, ctx);
            for (int i = 0; i < cj.length; i++) {
                assertEquals(cj[i], cn[i], 1e-5 * Math.max(1, Math.abs(cj[i])), ctx + " cost " + i);
            }
            boolean same = java.util.Arrays.equals(j.matching().assignment(), n.matching().assignment());
            for (int b = 0; b < batch.batch(); b++) {
                double cjb = j.matching().cost(b);
                assertEquals(cjb, n.matching().cost(b), 1e-4 * Math.max(1, Math.abs(cjb)), ctx + " image " + b);
                assertEquals(Math.min(batch.queries(), batch.targets().count(b)), n.matching().size(b), ctx);
            }
            if (!same) {
                tiedDifferent++;
                // a different optimal matching: its loss is that of its own matching, checked via the jvm
                Matching nm = n.matching();
                j = HungarianLoss.create(cfg, BackendKind.JVM).loss(batch, nm, true);
                n = HungarianLoss.create(cfg, BackendKind.NATIVE).loss(batch, nm, true);
            }
            close(j.loss().ce(), n.loss().ce(), ctx + " ce");
            close(j.loss().bbox(), n.loss().bbox(), ctx + " bbox");
            close(j.loss().giou(), n.loss().giou(), ctx + " giou");
            close(j.loss().total(), n.loss().total(), ctx + " total");
            assertEquals(j.numBoxes(), n.numBoxes(), ctx);
            closeArrays(j.gradLogits(), n.gradLogits(), ctx + " grad logits");
            closeArrays(j.gradBoxes(), n.gradBoxes(), ctx + " grad boxes");
        }
        // ties exist in the class-only configs, but most matchings must be index-identical
        assertTrue(tiedDifferent < BATCHES / 10, "too many differing matchings: " + tiedDifferent);
    }

    private static void close(double a, double b, String what) {
        assertEquals(a, b, 1e-5 * Math.max(1, Math.abs(a)), what);
    }

    private static void closeArrays(float[] a, float[] b, String what) {
        assertEquals(a.length, b.length, what);
        double max = 0;
        for (float v : a) {
            max = Math.max(max, Math.abs(v));
        }
        for (int i = 0; i < a.length; i++) {
            if (Math.abs(a[i] - b[i]) > 1e-5 * Math.max(1, max)) {
                fail(what + " [" + i + "]: " + a[i] + " vs " + b[i]);
            }
        }
    }

    @Test
    void exactAndAuctionGiveTheSameOptimum() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int it = 0; it < 300; it++) {
            Batch batch = randomBatch(rnd);
            HungarianConfig cfg = randomConfig(rnd);
            Matching exact = HungarianLoss.create(cfg, BackendKind.NATIVE, MatcherKind.EXACT).match(batch);
            Matching auction = HungarianLoss.create(cfg, BackendKind.NATIVE, MatcherKind.AUCTION).match(batch);
            assertTrue(auction.report() != null);
            for (int b = 0; b < batch.batch(); b++) {
                double e = exact.cost(b);
                assertEquals(e, auction.cost(b), 1e-4 * Math.max(1, Math.abs(e)), "batch " + it + " image " + b);
                assertEquals(exact.size(b), auction.size(b));
            }
        }
    }

    @Test
    void concurrentCallsGiveSingleThreadedResults() throws Exception {
        SplittableRandom rnd = new SplittableRandom(99);
        Batch[] batches = new Batch[8];
        LossResult[] expected = new LossResult[8];
        HungarianLoss shared = HungarianLoss.create(HungarianConfig.DEFAULTS, BackendKind.NATIVE);
        for (int i = 0; i < batches.length; i++) {
            batches[i] = SyntheticBatch.generate(rnd.nextLong(), 8, 100, 91, 10 + i);
            expected[i] = shared.compute(batches[i], true);
        }
        for (boolean separate : new boolean[] {false, true}) {
            Thread[] threads = new Thread[8];
            Throwable[] errors = new Throwable[8];
            for (int t = 0; t < threads.length; t++) {
                final int id = t;
                threads[t] = new Thread(() -> {
                    try {
                        HungarianLoss loss = separate
                                ? HungarianLoss.create(HungarianConfig.DEFAULTS, BackendKind.NATIVE) : shared;
                        for (int call = 0; call < 200; call++) {
                            int i = (id + call) % batches.length;
                            LossResult r = loss.compute(batches[i], true);
                            assertArrayEquals(expected[i].matching().assignment(), r.matching().assignment());
                            assertEquals(expected[i].loss(), r.loss());
                            assertArrayEquals(expected[i].gradLogits(), r.gradLogits());
                            assertArrayEquals(expected[i].gradBoxes(), r.gradBoxes());
                        }
                    } catch (Throwable e) {
                        errors[id] = e;
                    }
                });
                threads[t].start();
            }
            for (Thread t : threads) {
                t.join();
            }
            for (Throwable e : errors) {
                if (e != null) {
                    throw new AssertionError("separate=" + separate, e);
                }
            }
        }
    }
}

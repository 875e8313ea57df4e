package dev.hungarian4j.djl.examples;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.hungarian4j.Batch;
import dev.hungarian4j.HungarianConfig;
import dev.hungarian4j.HungarianLoss;
import dev.hungarian4j.BackendKind;
import dev.hungarian4j.LossResult;
import dev.hungarian4j.SyntheticBatch;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The benchmark's side (c), DETR's criterion written in DJL ops and differentiated by DJL's autograd, computes the
 * same loss and gradients as the library: an independent check of both, and proof that the benchmark compares
 * equal work.
 */
class DjlOpsCriterionTest {
    @Test
    void djlOpsCriterionAgreesWithTheLibrary() {
        HungarianConfig cfg = HungarianConfig.DEFAULTS;
        Batch batch = SyntheticBatch.generate(7, 12, 6, new int[] {2, 0, 5, 12, 1});
        LossResult want = HungarianLoss.create(cfg, BackendKind.NATIVE).compute(batch, true);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.create(batch.predictions().logits(), new Shape(batch.batch(), 12, batch.numLogits()));
            NDArray boxes = m.create(batch.predictions().boxes(), new Shape(batch.batch(), 12, 4));
            logits.setRequiresGradient(true);
            boxes.setRequiresGradient(true);
            NDArray total;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                total = new DjlOpsCriterion(cfg).total(m, logits, boxes, batch);
                gc.backward(total);
            }
            assertEquals(want.loss().total(), total.getFloat(), 1e-5 * Math.abs(want.loss().total()));
            assertClose(want.gradLogits(), logits.getGradient().toFloatArray());
            assertClose(want.gradBoxes(), boxes.getGradient().toFloatArray());
        }
    }

    private static void assertClose(float[] want, float[] got) {
        assertEquals(want.length, got.length);
        for (int i = 0; i < want.length; i++) {
            assertTrue(Math.abs(want[i] - got[i]) <= 1e-5 + 1e-4 * Math.abs(want[i]),
                    "at " + i + ": library " + want[i] + ", DJL ops " + got[i]);
        }
    }

    @Test
    void syntheticShapesKeepTheirPromises() {
        SyntheticShapes data = new SyntheticShapes(32, 3);
        SyntheticShapes.Sample s = data.next(64);
        for (int b = 0; b < 64; b++) {
            int n = (int) s.counts()[b];
            assertTrue(n >= 1 && n <= SyntheticShapes.MAX_OBJECTS, "objects " + n);
            for (int r = 0; r < SyntheticShapes.MAX_OBJECTS; r++) {
                float[] row = java.util.Arrays.copyOfRange(s.rows(), (b * 6 + r) * 5, (b * 6 + r) * 5 + 5);
                if (r >= n) {
                    assertEquals(-1f, row[0]);
                    continue;
                }
                assertTrue(row[0] >= 0 && row[0] < SyntheticShapes.CLASSES);
                assertTrue(row[1] >= 0 && row[2] >= 0 && row[1] + row[3] <= 32 && row[2] + row[4] <= 32);
                // the object's pixels carry its colour in its class's channel
                int c = (int) row[0];
                int x = (int) (row[1] + row[3] / 2);
                int y = (int) (row[2] + row[4] / 2);
                assertTrue(s.images()[((b * 3 + c) * 32 + y) * 32 + x] >= 0.7f);
            }
        }
    }
}

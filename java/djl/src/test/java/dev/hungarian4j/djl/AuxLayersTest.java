package dev.hungarian4j.djl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.hungarian4j.BackendKind;
import dev.hungarian4j.Batch;
import dev.hungarian4j.HungarianConfig;
import dev.hungarian4j.HungarianLoss;
import dev.hungarian4j.InvalidInputException;
import dev.hungarian4j.LossClass;
import dev.hungarian4j.LossResult;
import dev.hungarian4j.Predictions;
import dev.hungarian4j.SyntheticBatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Aux decoder layers (contract.md §3) through DJL, in both NDList forms, against the library's float[] API with the
 * same backend: the loss (sum of the layers' totals), each layer's terms and matching, and the gradient reaching
 * each layer's tensor, bitwise. Also query groups, num_boxes and the focal loss, and the reuse of gradient memory.
 */
class AuxLayersTest {
    private static final int[] COUNTS = {3, 0, 9, 1};
    private static final int LAYERS = 3;
    private static NDManager manager;

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    private static HungarianConfig config(String variant) {
        return switch (variant) {
            case "groups" -> HungarianConfig.builder().groups(2).numBoxes(6.5).build();
            case "focal", "focal1" -> HungarianConfig.builder().lossClass(LossClass.FOCAL).build();
            default -> HungarianConfig.builder().eosCoef(0.1).build();
        };
    }

    private static Batch batch(long seed, String variant) {
        // focal1: a one-class detector, one sigmoid logit per query
        return SyntheticBatch.generate(seed, 8, variant.equals("focal1") ? 1 : 5, COUNTS, LAYERS,
                variant.startsWith("focal") ? LossClass.FOCAL : LossClass.CE);
    }

    /** Leaf tensors of one layer of the batch (0 = top = the final decoder layer). */
    private static NDList leaves(NDManager m, Batch b, int layer) {
        Predictions p = b.layer(layer);
        NDArray l = m.create(p.logits(), new Shape(b.batch(), b.queries(), b.numLogits()));
        NDArray x = m.create(p.boxes(), new Shape(b.batch(), b.queries(), 4));
        l.setRequiresGradient(true);
        x.setRequiresGradient(true);
        return new NDList(l, x);
    }

    private static void assertLayersEqual(LossResult want, float[][] wantGl, float[][] wantGb, DetrLossOutput out,
            NDList[] byLayer) {
        assertEquals(LAYERS, out.layers());
        assertEquals((float) want.totalAllLayers(), out.loss().getFloat());
        assertEquals(want.totalAllLayers(), out.totalAllLayers());
        assertEquals(want.loss(), out.terms());
        assertArrayEquals(want.matching().assignment(), out.assignment());
        for (int i = 0; i < LAYERS - 1; i++) {
            assertEquals(want.aux().get(i).loss(), out.auxTerms().get(i), "aux_outputs[" + i + "]");
            assertArrayEquals(want.aux().get(i).matching().assignment(), out.auxAssignments().get(i));
        }
        for (int l = 0; l < LAYERS; l++) {
            assertArrayEquals(wantGl[l], byLayer[l].get(0).getGradient().toFloatArray(), "grad logits, layer " + l);
            assertArrayEquals(wantGb[l], byLayer[l].get(1).getGradient().toFloatArray(), "grad boxes, layer " + l);
        }
    }

    @ParameterizedTest
    @CsvSource({"NATIVE, detr", "JVM, detr", "NATIVE, groups", "JVM, groups", "NATIVE, focal", "JVM, focal",
            "NATIVE, focal1", "JVM, focal1"})
    void bothFormsEqualTheArrayApiBitwise(BackendKind kind, String variant) {
        HungarianConfig cfg = config(variant);
        Batch batch = batch(31, variant);
        float[][] gl = new float[LAYERS][batch.predictions().logits().length];
        float[][] gb = new float[LAYERS][batch.predictions().boxes().length];
        LossResult want = HungarianLoss.create(cfg, kind).computeInto(batch, gl, gb);
        assertNotEquals(want.loss(), want.aux().get(0).loss(), "layers that differ, so a mix-up would show");
        HungarianDetrLoss loss = HungarianDetrLoss.builder().config(cfg).backend(kind).build();
        assertEquals(kind.cliName(), loss.backend());
        for (boolean stacked : new boolean[] {true, false}) {
            try (NDManager step = manager.newSubManager()) {
                NDList[] byLayer = new NDList[LAYERS];
                for (int l = 0; l < LAYERS; l++) {
                    byLayer[l] = leaves(step, batch, l);
                }
                DetrLossOutput out;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDList pred;
                    if (stacked) {
                        // (L, B, Q, ·), earliest decoder layer first: aux_outputs[0], aux_outputs[1], final
                        NDList l = new NDList(byLayer[1].get(0), byLayer[2].get(0), byLayer[0].get(0));
                        NDList b = new NDList(byLayer[1].get(1), byLayer[2].get(1), byLayer[0].get(1));
                        pred = new NDList(NDArrays.stack(l, 0), NDArrays.stack(b, 0));
                    } else {
                        // DETR's dictionary: the final layer, then aux_outputs in order
                        pred = new NDList(byLayer[0].get(0), byLayer[0].get(1), byLayer[1].get(0), byLayer[1].get(1),
                                byLayer[2].get(0), byLayer[2].get(1));
                    }
                    out = loss.compute(batch.targets(), pred);
                    gc.backward(out.loss());
                }
                assertLayersEqual(want, gl, gb, out, byLayer);
            }
        }
    }

    @Test
    void aStepKeptAliveKeepsItsGradientsWhileLaterStepsRun() {
        HungarianConfig cfg = config("detr");
        Batch first = batch(41, "detr");
        Batch second = batch(42, "detr");
        LossResult want = HungarianLoss.create(cfg, BackendKind.NATIVE).compute(first.layerBatch(0), true);
        HungarianDetrLoss loss = HungarianDetrLoss.builder().config(cfg).backend(BackendKind.NATIVE).build();
        try (NDManager kept = manager.newSubManager()) {
            NDList a = leaves(kept, first, 0);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray la = loss.compute(first.targets(), a).loss();
                // more steps, each scoped, before the first one's backward: they must not reuse its gradient memory
                for (int s = 0; s < 6; s++) {
                    try (NDManager step = manager.newSubManager()) {
                        loss.compute(second.targets(), leaves(step, second, 0));
                    }
                }
                gc.backward(la);
            }
            assertArrayEquals(want.gradLogits(), a.get(0).getGradient().toFloatArray());
            assertArrayEquals(want.gradBoxes(), a.get(1).getGradient().toFloatArray());
        }
        // and memory released by closed steps is reused with correct results
        for (int s = 0; s < 3; s++) {
            try (NDManager step = manager.newSubManager()) {
                NDList a = leaves(step, first, 0);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    gc.backward(loss.compute(first.targets(), a).loss());
                }
                assertArrayEquals(want.gradLogits(), a.get(0).getGradient().toFloatArray(), "step " + s);
            }
        }
    }

    @Test
    void badLayerShapesNameTheField() {
        Batch batch = batch(51, "detr");
        HungarianDetrLoss loss = HungarianDetrLoss.builder().build();
        try (NDManager step = manager.newSubManager()) {
            NDList top = leaves(step, batch, 0);
            NDArray wrong = step.zeros(new Shape(batch.batch(), batch.queries() + 1, batch.numLogits()));
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> loss.compute(batch.targets(),
                    new NDList(top.get(0), top.get(1), wrong, top.get(1))));
            assertEquals("aux_outputs[0].pred_logits", e.field());
            e = assertThrows(InvalidInputException.class, () -> loss.compute(batch.targets(),
                    new NDList(top.get(0), top.get(1), top.get(0), top.get(1), top.get(0), wrong)));
            assertEquals("aux_outputs[1].pred_boxes", e.field());
            e = assertThrows(InvalidInputException.class, () -> loss.compute(batch.targets(),
                    new NDList(top.get(0), top.get(1), top.get(0))));
            assertEquals("predictions", e.field());
            NDArray stackedLogits = NDArrays.stack(new NDList(top.get(0), top.get(0)), 0);
            e = assertThrows(InvalidInputException.class, () -> loss.compute(batch.targets(),
                    new NDList(stackedLogits, top.get(1))));
            assertEquals("pred_boxes", e.field());
        }
    }
}

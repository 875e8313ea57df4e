package dev.hungarian4j.djl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.hungarian4j.BackendKind;
import dev.hungarian4j.BackendUnavailableException;
import dev.hungarian4j.Batch;
import dev.hungarian4j.HungarianConfig;
import dev.hungarian4j.HungarianLoss;
import dev.hungarian4j.InvalidInputException;
import dev.hungarian4j.LossResult;
import dev.hungarian4j.SyntheticBatch;
import dev.hungarian4j.Targets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The adapter against the library's float[] API: same values, same gradients, every label form. */
class HungarianDetrLossTest {
    private static final HungarianConfig CFG = HungarianConfig.builder().eosCoef(0.1).build();
    private static NDManager manager;

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    private static Batch sample(long seed) {
        // an image without targets and one with more targets than queries
        return SyntheticBatch.generate(seed, 7, 5, new int[] {3, 0, 9, 1});
    }

    private static HungarianDetrLoss loss(BackendKind kind) {
        return HungarianDetrLoss.builder().config(CFG).backend(kind).build();
    }

    @ParameterizedTest
    @EnumSource(value = BackendKind.class, names = {"NATIVE", "JVM"})
    void valueAndGradientsEqualTheArrayApiBitwise(BackendKind kind) {
        Batch batch = sample(11);
        LossResult want = HungarianLoss.create(CFG, kind).compute(batch, true);
        try (NDManager step = manager.newSubManager()) {
            NDList pred = Fixtures.predictions(step, batch);
            pred.forEach(a -> a.setRequiresGradient(true));
            HungarianDetrLoss loss = loss(kind);
            DetrLossOutput out;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                out = loss.compute(batch.targets(), pred);
                gc.backward(out.loss());
            }
            assertEquals(kind.cliName(), out.backend());
            assertEquals((float) want.loss().total(), out.loss().getFloat());
            assertEquals(want.loss(), out.terms());
            assertArrayEquals(want.matching().assignment(), out.assignment());
            assertArrayEquals(want.gradLogits(), pred.get(0).getGradient().toFloatArray());
            assertArrayEquals(want.gradBoxes(), pred.get(1).getGradient().toFloatArray());
        }
    }

    @Test
    void everyLabelFormGivesTheSameResult() {
        Batch batch = sample(12);
        Targets t = batch.targets();
        HungarianDetrLoss loss = loss(BackendKind.AUTO);
        try (NDManager step = manager.newSubManager()) {
            NDList pred = Fixtures.predictions(step, batch);
            DetrLossOutput ref = loss.compute(t, pred);
            for (NDList labels : new NDList[] {Fixtures.paddedLabels(step, t, true),
                    Fixtures.paddedLabels(step, t, false), Fixtures.raggedLabels(step, t)}) {
                DetrLossOutput out = loss.compute(labels, pred);
                assertEquals(ref.terms(), out.terms());
                assertArrayEquals(ref.assignment(), out.assignment());
            }
            // int64 valid lengths and float64 rows are read as well
            NDList p = Fixtures.paddedLabels(step, t, true);
            NDList typed = new NDList(p.get(0).toType(DataType.FLOAT64, true), p.get(1).toType(DataType.INT64, true));
            assertEquals(ref.terms(), loss.compute(typed, pred).terms());
        }
    }

    @Test
    void boxFormatsConvertToTheSameTargets() {
        Batch batch = sample(13);
        Targets t = batch.targets();
        float w = 640, h = 480;
        float[] corners = new float[t.boxes().length];
        float[] coco = new float[t.boxes().length];
        float[] b = t.boxes();
        for (int i = 0; i < b.length; i += 4) {
            float x1 = b[i] - b[i + 2] / 2, y1 = b[i + 1] - b[i + 3] / 2;
            corners[i] = x1;
            corners[i + 1] = y1;
            corners[i + 2] = x1 + b[i + 2];
            corners[i + 3] = y1 + b[i + 3];
            coco[i] = x1 * w;
            coco[i + 1] = y1 * h;
            coco[i + 2] = b[i + 2] * w;
            coco[i + 3] = b[i + 3] * h;
        }
        try (NDManager step = manager.newSubManager()) {
            NDList pred = Fixtures.predictions(step, batch);
            DetrLossOutput ref = loss(BackendKind.AUTO).compute(t, pred);
            Object[][] cases = {{BoxFormat.corners(), corners}, {BoxFormat.cocoPixels(w, h), coco},
                    {BoxFormat.cornersPixels(w, h), scale(corners, w, h)}};
            for (Object[] c : cases) {
                Targets alt = new Targets(t.offsets(), t.labels(), (float[]) c[1]);
                HungarianDetrLoss loss = HungarianDetrLoss.builder().config(CFG).boxFormat((BoxFormat) c[0]).build();
                DetrLossOutput out = loss.compute(Fixtures.paddedLabels(step, alt, true), pred);
                assertArrayEquals(ref.assignment(), out.assignment(), c[0].toString());
                assertEquals(ref.terms().total(), out.terms().total(), 1e-5, c[0].toString());
            }
        }
    }

    private static float[] scale(float[] v, float w, float h) {
        float[] o = v.clone();
        for (int i = 0; i < o.length; i++) {
            o[i] *= (i % 2 == 0) ? w : h;
        }
        return o;
    }

    @Test
    void aStepRunsTheCriterionOnceForTheLossAndItsAccumulators() {
        Batch batch = sample(14);
        HungarianDetrLoss loss = loss(BackendKind.AUTO);
        try (NDManager step = manager.newSubManager()) {
            NDList pred = Fixtures.predictions(step, batch);
            NDList labels = Fixtures.paddedLabels(step, batch.targets(), true);
            NDArray first = loss.evaluate(labels, pred);
            loss.addAccumulator("train");
            loss.updateAccumulators(new String[] {"train"}, labels, pred);
            loss.termEvaluators().forEach(e -> {
                e.addAccumulator("train");
                e.updateAccumulators(new String[] {"train"}, labels, pred);
            });
            assertSame(first, loss.evaluate(labels, pred));
            assertEquals(1, loss.criterionCalls());
            assertEquals(first.getFloat(), loss.getAccumulator("train"));
            // new arrays (the next step's forward pass) are computed afresh, even with equal contents
            NDList again = Fixtures.predictions(step, batch);
            assertNotSame(first, loss.evaluate(labels, again));
            assertEquals(2, loss.criterionCalls());
            loss.clearCache();
            loss.evaluate(labels, again);
            assertEquals(3, loss.criterionCalls());
        }
    }

    @Test
    void termEvaluatorsPublishTheTerms() {
        Batch batch = sample(15);
        HungarianDetrLoss loss = loss(BackendKind.AUTO);
        try (NDManager step = manager.newSubManager()) {
            NDList pred = Fixtures.predictions(step, batch);
            NDList labels = Fixtures.paddedLabels(step, batch.targets(), true);
            DetrLossOutput out = loss.compute(labels, pred);
            var evs = loss.termEvaluators();
            assertEquals(Arrays.asList("hungarian_loss_ce", "hungarian_loss_bbox", "hungarian_loss_giou"),
                    evs.stream().map(e -> e.getName()).toList());
            double[] want = {out.terms().ce(), out.terms().bbox(), out.terms().giou()};
            for (int i = 0; i < 3; i++) {
                evs.get(i).addAccumulator("k");
                evs.get(i).updateAccumulators(new String[] {"k"}, labels, pred);
                assertEquals((float) want[i], evs.get(i).getAccumulator("k"));
                assertEquals((float) want[i], evs.get(i).evaluate(labels, pred).getFloat());
            }
            assertEquals(1, loss.criterionCalls());
        }
    }

    @Test
    void withoutGradientsTheLossIsAPlainValue() {
        Batch batch = sample(16);
        LossResult want = HungarianLoss.create(CFG, BackendKind.NATIVE).compute(batch, false);
        try (NDManager step = manager.newSubManager()) {
            NDArray v = loss(BackendKind.NATIVE).evaluate(Fixtures.paddedLabels(step, batch.targets(), true),
                    Fixtures.predictions(step, batch));
            assertEquals((float) want.loss().total(), v.getFloat());
            assertFalse(v.hasGradient());
            assertEquals(new Shape(), v.getShape());
        }
    }

    @Test
    void otherDtypesAndNonContiguousViewsAreCopiedToFloat32() {
        Batch batch = sample(17);
        LossResult want = HungarianLoss.create(CFG, BackendKind.NATIVE).compute(batch, true);
        try (NDManager step = manager.newSubManager()) {
            NDList p = Fixtures.predictions(step, batch);
            // a (Q, B, C) tensor transposed to (B, Q, C): a non-contiguous view of the same values
            NDArray logits = p.get(0).transpose(1, 0, 2).duplicate().transpose(1, 0, 2);
            NDArray boxes = p.get(1).toType(DataType.FLOAT64, true);
            logits.setRequiresGradient(true);
            boxes.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(loss(BackendKind.NATIVE).evaluate(new NDList(Fixtures.raggedLabels(step, batch.targets())),
                        new NDList(logits, boxes)));
            }
            assertEquals(DataType.FLOAT64, boxes.getGradient().getDataType());
            assertArrayEquals(want.gradLogits(), logits.getGradient().toFloatArray());
            assertArrayEquals(want.gradBoxes(), boxes.getGradient().toType(DataType.FLOAT32, false).toFloatArray());
        }
    }

    @Test
    void badInputNamesTheField() {
        Batch batch = sample(18);
        HungarianDetrLoss loss = loss(BackendKind.AUTO);
        try (NDManager step = manager.newSubManager()) {
            NDList pred = Fixtures.predictions(step, batch);
            NDList labels = Fixtures.paddedLabels(step, batch.targets(), true);
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> loss.evaluate(labels, new NDList(pred.get(0))));
            assertEquals("predictions", e.field());
            e = assertThrows(InvalidInputException.class, () -> loss.evaluate(labels,
                    new NDList(pred.get(0), step.zeros(new Shape(4, 7, 3)))));
            assertEquals("pred_boxes", e.field());
            NDArray rows = labels.get(0).duplicate();
            rows.set(new ai.djl.ndarray.index.NDIndex("0, 1, 0"), 2.5f);
            e = assertThrows(InvalidInputException.class, () -> loss.evaluate(new NDList(rows, labels.get(1)), pred));
            assertEquals("labels[0][0][1][0]", e.field());
            // class 5 = K is the no-object index, not a label: the library's own check names it
            rows.set(new ai.djl.ndarray.index.NDIndex("0, 1, 0"), 5f);
            e = assertThrows(InvalidInputException.class, () -> loss.evaluate(new NDList(rows, labels.get(1)), pred));
            assertTrue(e.field().contains("labels"), e.field());
            e = assertThrows(InvalidInputException.class, () -> loss.evaluate(
                    new NDList(labels.get(0), step.create(new float[] {1, 0, 99, 1})), pred));
            assertEquals("labels[1][2]", e.field());
            assertThrows(InvalidInputException.class, () -> loss.evaluate(
                    new NDList(step.zeros(new Shape(4, 2, 4))), pred));
        }
    }

    @Test
    void cudaIsRefusedWithAReason() {
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> HungarianDetrLoss.builder().backend(BackendKind.CUDA).build());
        assertTrue(e.getMessage().contains("DJL"), e.getMessage());
    }
}

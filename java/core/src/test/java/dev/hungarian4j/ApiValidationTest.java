package dev.hungarian4j;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The public types reject bad arguments with messages that name the field and its indices. */
class ApiValidationTest {
    private static float[] boxes(int n) {
        float[] b = new float[4 * n];
        for (int i = 0; i < n; i++) {
            b[4 * i] = 0.5f;
            b[4 * i + 1] = 0.5f;
            b[4 * i + 2] = 0.2f;
            b[4 * i + 3] = 0.3f;
        }
        return b;
    }

    @Test
    void configDefaultsAreDetrs() {
        HungarianConfig c = HungarianConfig.DEFAULTS;
        assertEquals(1, c.costClass());
        assertEquals(5, c.costBbox());
        assertEquals(2, c.costGiou());
        assertEquals(ClassCost.PROB, c.classCost());
        assertEquals(1, c.lossCeWeight());
        assertEquals(5, c.lossBboxWeight());
        assertEquals(2, c.lossGiouWeight());
        assertEquals(0.1, c.eosCoef());
        assertEquals(Reduction.DETR, c.reduction());
        assertEquals(c, c.toBuilder().build());
    }

    @Test
    void configRejectsNegativeAndNonFiniteWeights() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> HungarianConfig.builder().costBbox(-1));
        assertEquals("config.cost_bbox", e.field());
        e = assertThrows(InvalidInputException.class, () -> HungarianConfig.builder().eosCoef(Double.NaN));
        assertEquals("config.eos_coef", e.field());
        e = assertThrows(InvalidInputException.class,
                () -> HungarianConfig.builder().lossGiouWeight(Double.POSITIVE_INFINITY));
        assertEquals("config.loss_giou_weight", e.field());
        assertThrows(InvalidInputException.class, () -> ClassCost.fromJson("logprob", "config.class_cost"));
        assertThrows(InvalidInputException.class, () -> Reduction.fromJson("mean", "config.reduction"));
    }

    @Test
    void predictionsNameTheBadValue() {
        float[] logits = new float[2 * 3 * 4];
        float[] b = boxes(6);
        b[4 * 4 + 2] = -0.1f; // image 1, query 1, width
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> new Predictions(2, 3, 4, logits, b));
        assertEquals("pred_boxes[1][1][2]", e.field());
        assertTrue(e.getMessage().contains("width must be >= 0"), e.getMessage());

        float[] l2 = new float[2 * 3 * 4];
        l2[1 * 12 + 2 * 4 + 3] = Float.NaN;
        e = assertThrows(InvalidInputException.class, () -> new Predictions(2, 3, 4, l2, boxes(6)));
        assertEquals("pred_logits[1][2][3]", e.field());

        assertThrows(InvalidInputException.class, () -> new Predictions(2, 3, 1, new float[6], boxes(6)));
        assertThrows(InvalidInputException.class, () -> new Predictions(0, 3, 4, new float[0], new float[0]));
        assertThrows(InvalidInputException.class, () -> new Predictions(2, 3, 4, new float[5], boxes(6)));
    }

    @Test
    void targetsAndBatchNameTheBadValue() {
        float[] tb = boxes(3);
        tb[4 * 2 + 3] = -1f;
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> new Targets(new int[] {0, 1, 3}, new int[] {0, 1, 2}, tb));
        assertEquals("targets[1].boxes[1][3]", e.field());
        assertTrue(e.getMessage().contains("height must be >= 0"), e.getMessage());

        assertThrows(InvalidInputException.class, () -> new Targets(new int[] {0, 2, 1}, new int[] {0}, boxes(1)));
        Targets t = new Targets(new int[] {0, 1, 3}, new int[] {0, 1, 3}, boxes(3));
        Predictions p = new Predictions(2, 3, 4, new float[24], boxes(6));
        e = assertThrows(InvalidInputException.class, () -> new Batch(p, t));
        assertEquals("targets[1].labels[1]", e.field());
        assertTrue(e.getMessage().contains("must be in [0, 3)"), e.getMessage());

        Targets one = new Targets(new int[] {0, 0}, new int[0], new float[0]);
        e = assertThrows(InvalidInputException.class, () -> new Batch(p, one));
        assertEquals("targets", e.field());
    }

    @Test
    void explicitUnavailableBackendThrowsAndAutoFallsBack() {
        BackendStatus cuda = Backends.statuses().get(2);
        if (!cuda.available()) {
            BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                    () -> HungarianLoss.create(HungarianConfig.DEFAULTS, BackendKind.CUDA));
            assertTrue(e.getMessage().contains(cuda.detail()), e.getMessage());
            HungarianLoss auto = HungarianLoss.create();
            assertTrue(auto.backend() != BackendKind.CUDA);
            assertTrue(auto.selectionReason().contains("cuda unavailable"), auto.selectionReason());
        }
        assertEquals(BackendKind.JVM, HungarianLoss.create(HungarianConfig.DEFAULTS, BackendKind.JVM).backend());
    }

    @Test
    void defaultMatcherIsExactOnCpuBackends() {
        assertEquals(MatcherKind.EXACT, HungarianLoss.create(HungarianConfig.DEFAULTS, BackendKind.JVM).matcher());
    }

    @Test
    void badAssignmentsAreRefusedAlikeOnJvmAndNative() {
        Batch batch = SyntheticBatch.generate(3, 2, 5, 4, 3);
        for (BackendKind kind : new BackendKind[] {BackendKind.JVM, BackendKind.NATIVE}) {
            if (Backends.statuses().stream().noneMatch(st -> st.kind() == kind && st.available())) {
                continue; // BackendParityTest fails loudly when native is missing
            }
            var backend = Backends.select(kind).backend();
            float[] gl = new float[batch.predictions().logits().length];
            float[] gb = new float[batch.predictions().boxes().length];
            int[] twice = new int[10];
            java.util.Arrays.fill(twice, -1);
            twice[1] = 2;
            twice[4] = 2; // image 0: target 2 for queries 1 and 4
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> backend.loss(HungarianConfig.DEFAULTS, batch, twice, gl, gb), kind.toString());
            assertEquals("assign[0][4]", e.field(), kind + ": " + e.getMessage());
            assertTrue(e.getMessage().contains("already matched to query 1"), kind + ": " + e.getMessage());
            int[] outOfRange = new int[10];
            java.util.Arrays.fill(outOfRange, -1);
            outOfRange[7] = 3; // image 1 has targets 0..2
            e = assertThrows(InvalidInputException.class,
                    () -> backend.loss(HungarianConfig.DEFAULTS, batch, outOfRange, gl, gb), kind.toString());
            assertEquals("assign[1][2]", e.field(), kind + ": " + e.getMessage());
            int[] fine = new int[10];
            java.util.Arrays.fill(fine, -1);
            e = assertThrows(InvalidInputException.class,
                    () -> backend.loss(HungarianConfig.DEFAULTS, batch, fine, gl, null), kind.toString());
            assertTrue(e.getMessage().contains("grad"), kind + ": " + e.getMessage());
        }
    }
}

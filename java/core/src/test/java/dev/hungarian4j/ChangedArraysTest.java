package dev.hungarian4j;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The arrays of {@link Predictions} and {@link Targets} are referenced, not copied: a caller can change them after
 * construction. Every backend and matcher checks them again at call time (issue 10 item 1 and the jvm part of item
 * 11): raising {@code offsets[B]} once crashed the native backend (far) or gave a wrong loss (near), and the jvm
 * backend computed with a width made negative.
 */
class ChangedArraysTest {
    static Stream<Arguments> backends() {
        return Stream.of(Arguments.of(BackendKind.JVM, MatcherKind.EXACT), Arguments.of(BackendKind.NATIVE,
                MatcherKind.EXACT), Arguments.of(BackendKind.NATIVE, MatcherKind.AUCTION));
    }

    private static Batch batch() {
        return SyntheticBatch.generate(5, 12, 6, new int[] {2, 4, 3});
    }

    @ParameterizedTest
    @MethodSource("backends")
    void raisingTheLastOffsetIsRefused(BackendKind backend, MatcherKind matcher) {
        HungarianLoss loss = HungarianLoss.create(HungarianConfig.DEFAULTS, backend, matcher);
        for (int gap : new int[] {1, 1_000_000}) {
            Batch b = batch();
            int[] offsets = b.targets().offsets();
            offsets[offsets.length - 1] += gap;
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> loss.compute(b, true));
            assertTrue(e.field().startsWith("targets"), e.field());
            assertThrows(InvalidInputException.class, () -> loss.match(b));
            assertThrows(InvalidInputException.class, () -> loss.costs(b));
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void breakingTheOffsetsOrderIsRefused(BackendKind backend, MatcherKind matcher) {
        HungarianLoss loss = HungarianLoss.create(HungarianConfig.DEFAULTS, backend, matcher);
        Batch b = batch();
        b.targets().offsets()[1] = 8; // > offsets[2] = 6
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> loss.compute(b, false));
        assertTrue(e.field().contains("offsets"), e.field());
    }

    @ParameterizedTest
    @MethodSource("backends")
    void valuesMadeBadAfterConstructionAreRefused(BackendKind backend, MatcherKind matcher) {
        HungarianLoss loss = HungarianLoss.create(HungarianConfig.DEFAULTS, backend, matcher);
        Batch b = batch();
        b.predictions().boxes()[4 * 13 + 2] = -0.5f; // image 1, query 1, width
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> loss.compute(b, true));
        assertEquals("pred_boxes[1][1][2]", e.field());
        Batch b2 = batch();
        b2.predictions().logits()[3] = Float.NaN;
        assertTrue(assertThrows(InvalidInputException.class, () -> loss.compute(b2, true)).field()
                .startsWith("pred_logits[0][0][3]"));
        Batch b3 = batch();
        b3.targets().labels()[4] = 6; // K = 5: out of range
        assertTrue(assertThrows(InvalidInputException.class, () -> loss.compute(b3, false)).field()
                .contains("labels"));
        Batch b4 = batch();
        b4.targets().boxes()[3] = Float.POSITIVE_INFINITY;
        assertTrue(assertThrows(InvalidInputException.class, () -> loss.compute(b4, false)).field()
                .contains("boxes"));
    }

    /**
     * The backends check the predictions' values as their kernels read them (the softmax its logits), not in a pass
     * of their own: every kind of bad value is still named exactly, in an image with targets (the cost meets it)
     * and in one without (the loss does), with and without gradients, and before a cost beyond float32 elsewhere.
     */
    @ParameterizedTest
    @MethodSource("backends")
    void everyKindOfBadPredictionIsNamedWhereverTheKernelsMeetIt(BackendKind backend, MatcherKind matcher) {
        HungarianLoss loss = HungarianLoss.create(HungarianConfig.DEFAULTS, backend, matcher);
        int q = 12;
        int c = 6;
        for (int image : new int[] {0, 1}) { // image 1 has no targets
            for (float v : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
                for (boolean grads : new boolean[] {false, true}) {
                    Batch b = SyntheticBatch.generate(5, q, c - 1, new int[] {2, 0, 3});
                    b.predictions().logits()[(image * q + 7) * c + 4] = v;
                    String want = "pred_logits[" + image + "][7][4]";
                    InvalidInputException e = assertThrows(InvalidInputException.class, () -> loss.compute(b, grads));
                    assertEquals(want, e.field(), v + " " + e.getMessage());
                    assertTrue(e.getMessage().contains("must be finite"), e.getMessage());
                }
            }
            Batch b = SyntheticBatch.generate(5, q, c - 1, new int[] {2, 0, 3});
            b.predictions().boxes()[(image * q + 3) * 4] = Float.NaN; // a centre: not read by a loss without targets
            assertEquals("pred_boxes[" + image + "][3][0]",
                    assertThrows(InvalidInputException.class, () -> loss.compute(b, true)).field());
        }
        Batch b = SyntheticBatch.generate(5, q, c - 1, new int[] {2, 0, 3});
        b.predictions().boxes()[(2 * q + 5) * 4 + 2] = 3.0e38f; // image 2: finite, but the cost overflows
        b.predictions().logits()[(2 * q + 9) * c + 1] = Float.NaN; // a later row of the same image
        assertEquals("pred_logits[2][9][1]",
                assertThrows(InvalidInputException.class, () -> loss.compute(b, true)).field());
    }
}

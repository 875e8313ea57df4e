package dev.hungarian4j;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link HungarianLoss#computeInto} gives {@code compute}'s results in reused, caller-owned gradient arrays. */
class ComputeIntoTest {
    @Test
    void reusedArraysGiveComputesResults() {
        for (BackendKind kind : new BackendKind[] {BackendKind.JVM, BackendKind.NATIVE}) {
            HungarianLoss loss = HungarianLoss.create(HungarianConfig.DEFAULTS, kind);
            Batch first = SyntheticBatch.generate(1, 4, 50, 9, 7);
            Batch second = SyntheticBatch.generate(2, 4, 50, 9, 3);
            float[] gl = new float[first.predictions().logits().length];
            float[] gb = new float[first.predictions().boxes().length];
            for (Batch b : new Batch[] {first, second, first}) {
                LossResult expected = loss.compute(b, true);
                LossResult got = loss.computeInto(b, gl, gb);
                assertSame(gl, got.gradLogits());
                assertEquals(expected.loss(), got.loss(), kind.cliName());
                assertArrayEquals(expected.matching().assignment(), got.matching().assignment());
                assertArrayEquals(expected.gradLogits(), gl);
                assertArrayEquals(expected.gradBoxes(), gb);
            }
        }
    }

    @Test
    void shortArraysAreRefused() {
        HungarianLoss loss = HungarianLoss.create(HungarianConfig.DEFAULTS, BackendKind.JVM);
        Batch b = SyntheticBatch.generate(3, 2, 10, 4, 2);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> loss.computeInto(b, new float[3], new float[b.predictions().boxes().length]));
        assertEquals("gradLogits", e.field());
        e = assertThrows(InvalidInputException.class,
                () -> loss.computeInto(b, new float[b.predictions().logits().length], null));
        assertEquals("gradBoxes", e.field());
    }
}

package dev.hungarian4j;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sizes beyond 32-bit indexing are refused up front naming the dimension (issue 10 item 8): once a valid 2 MB
 * input ended in "internal error: NegativeArraySizeException" from {@code new float[Q * total]}.
 */
class SizeOverflowTest {
    @Test
    void queriesTimesTargetsBeyondAnIntIsRefusedNamingTargets() {
        int q = 46_341; // q * q > 2^31 - 1
        float[] logits = new float[q * 2];
        float[] boxes = new float[q * 4];
        int[] labels = new int[q];
        float[] tboxes = new float[q * 4];
        Predictions p = new Predictions(1, q, 2, logits, boxes);
        Targets t = new Targets(new int[] {0, q}, labels, tboxes);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> new Batch(p, t));
        assertEquals("targets", e.field());
        assertTrue(e.getMessage().contains("2147488281"), e.getMessage());
    }

    @Test
    void aMatchingWhoseShapeOverflowsIsRefused() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> new Matching(65_536, 65_536, new int[0], new double[65_536], null));
        assertEquals("assignment", e.field());
    }

    @Test
    void nullArgumentsAreInvalidInput() {
        Batch b = SyntheticBatch.generate(1, 1, 3, 2, 1);
        assertEquals("predictions", assertThrows(InvalidInputException.class, () -> new Batch(null, b.targets()))
                .field());
        assertEquals("targets", assertThrows(InvalidInputException.class, () -> Targets.of(null, List.of())).field());
    }

    /** Lost once in a rebase though a commit message claimed them: each is checked before any backend runs. */
    @Test
    void theLossRefusesNullBatchesSharedGradientArraysAndForeignMatchings() {
        Batch b = SyntheticBatch.generate(3, 2, 5, 4, 2);
        for (BackendKind kind : new BackendKind[] {BackendKind.JVM, BackendKind.NATIVE}) {
            HungarianLoss loss = HungarianLoss.create(HungarianConfig.DEFAULTS, kind);
            assertEquals("batch", assertThrows(InvalidInputException.class, () -> loss.compute(null, true)).field());
            assertEquals("batch", assertThrows(InvalidInputException.class, () -> loss.match(null)).field());
            assertEquals("batch", assertThrows(InvalidInputException.class, () -> loss.costs(null)).field());
            float[] big = new float[b.predictions().logits().length];
            assertEquals("gradBoxes", assertThrows(InvalidInputException.class,
                    () -> loss.computeInto(b, big, big)).field());
            float[] gb = new float[b.predictions().boxes().length];
            assertEquals("gradBoxes[1]", assertThrows(InvalidInputException.class,
                    () -> loss.computeInto(b, new float[][] {big, new float[big.length]}, new float[][] {gb, gb}))
                    .field());
            Matching m = loss.match(b);
            assertEquals("matching", assertThrows(InvalidInputException.class, () -> loss.loss(b, null, false))
                    .field());
            Batch other = SyntheticBatch.generate(3, 3, 5, 4, 2);
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> loss.loss(other, m, false));
            assertEquals("matching", e.field());
            assertTrue(e.getMessage().contains("B=2") && e.getMessage().contains("B=3"), e.getMessage());
            assertEquals(loss.compute(b, false).loss(), loss.loss(b, m, false).loss()); // the right one still works
        }
    }
}

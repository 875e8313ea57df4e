package dev.hungarian4j.natives;

import dev.hungarian4j.BackendKind;
import dev.hungarian4j.Batch;
import dev.hungarian4j.HungarianConfig;
import dev.hungarian4j.HungarianLoss;
import dev.hungarian4j.InvalidInputException;
import dev.hungarian4j.LossResult;
import dev.hungarian4j.MatcherKind;
import dev.hungarian4j.Matching;
import dev.hungarian4j.SyntheticBatch;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The allocation-free entry points give exactly the results of the allocating ones, and refuse short arrays. */
class NativeIntoTest {
    private final Batch batch = SyntheticBatch.generate(5, 30, 7, new int[] {4, 0, 12, 30});
    private final NativeBackend nb = NativeBackend.instance();

    @Test
    void forwardIntoMatchesCompute() {
        LossResult expected = HungarianLoss.create(HungarianConfig.DEFAULTS, BackendKind.NATIVE).compute(batch, true);
        int rows = batch.batch() * batch.queries();
        int[] assign = new int[rows];
        double[] cost = new double[batch.batch()];
        double[] terms = new double[5];
        float[] gl = new float[batch.predictions().logits().length];
        float[] gb = new float[batch.predictions().boxes().length];
        for (int repeat = 0; repeat < 2; repeat++) { // reused arrays are overwritten
            nb.forwardInto(HungarianConfig.DEFAULTS, batch, assign, cost, terms, gl, gb);
            assertArrayEquals(expected.matching().assignment(), assign);
            assertArrayEquals(expected.matching().costs(), cost);
            assertEquals(expected.loss().ce(), terms[0]);
            assertEquals(expected.loss().bbox(), terms[1]);
            assertEquals(expected.loss().giou(), terms[2]);
            assertEquals(expected.loss().total(), terms[3]);
            assertEquals(expected.numBoxes(), terms[4]);
            assertArrayEquals(expected.gradLogits(), gl);
            assertArrayEquals(expected.gradBoxes(), gb);
        }
        nb.forwardInto(HungarianConfig.DEFAULTS, batch, assign, cost, terms, null, null);
        assertEquals(expected.loss().total(), terms[3]);
    }

    @Test
    void matchIntoMatchesMatch() {
        float[] costs = HungarianLoss.create(HungarianConfig.DEFAULTS, BackendKind.NATIVE).costs(batch);
        Matching m = nb.match(batch, costs, MatcherKind.EXACT);
        int[] assign = new int[batch.batch() * batch.queries()];
        double[] cost = new double[batch.batch()];
        nb.matchInto(batch, costs, assign, cost);
        assertArrayEquals(m.assignment(), assign);
        assertArrayEquals(m.costs(), cost);
    }

    @Test
    void shortArraysAreRefusedInJava() {
        int rows = batch.batch() * batch.queries();
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> nb.forwardInto(
                HungarianConfig.DEFAULTS, batch, new int[rows - 1], new double[4], new double[5], null, null));
        assertEquals(true, e.getMessage().contains("assign_out"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> nb.forwardInto(HungarianConfig.DEFAULTS, batch,
                new int[rows], new double[4], new double[5], new float[3], null));
        assertEquals(true, e.getMessage().contains("grad_logits"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> nb.matchInto(batch, new float[2], new int[rows],
                new double[4]));
        assertEquals(true, e.getMessage().contains("costs"), e.getMessage());
    }
}

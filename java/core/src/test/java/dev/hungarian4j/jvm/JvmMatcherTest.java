package dev.hungarian4j.jvm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Per-image matching over ragged blocks with {@link JvmMatcher}. */
class JvmMatcherTest {

    @Test
    void matchesEachBlockOnItsOwn() {
        int q = 3;
        int[] offsets = {0, 2, 2, 6}; // M = 2, 0, 4
        float[] costs = {
                // image 0: 3 x 2
                5, 1,
                0, 9,
                4, 4,
                // image 2: 3 x 4
                7, 7, 1, 7,
                7, 2, 7, 7,
                3, 7, 7, 0.5f,
        };
        int[] assignment = new int[9];
        double[] cost = JvmMatcher.matchAll(3, q, offsets, costs, assignment);
        assertArrayEquals(new int[] {1, 0, -1, -1, -1, -1, 2, 1, 3}, assignment);
        assertEquals(1.0, cost[0], 0.0);
        assertEquals(0.0, cost[1], 0.0);
        assertEquals(3.5, cost[2], 0.0);
    }

    @Test
    void costIsTheDoubleSumOfTheFloatCosts() {
        float[] costs = {0.1f, 0.7f, 0.7f, 0.2f};
        int[] assignment = new int[2];
        double[] cost = JvmMatcher.matchAll(1, 2, new int[] {0, 2}, costs, assignment);
        assertEquals((double) 0.1f + (double) 0.2f, cost[0], 0.0);
    }

    @Test
    void nonFiniteCostNamesTheImage() {
        float[] costs = {0, 0, Float.NaN, 0};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JvmMatcher.matchAll(2, 2, new int[] {0, 1, 2}, costs, new int[4]));
        assertTrue(e.getMessage().startsWith("image 1: "), e.getMessage());
    }
}

package dev.hungarian4j;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The public cap on native threads: returns the previous cap, rejects negatives, never changes a result. */
class NativeThreadsTest {
    @Test
    void capIsAppliedAndResultsDoNotDependOnIt() {
        assertThrows(IllegalArgumentException.class, () -> Backends.setMaxNativeThreads(-1));
        Assumptions.assumeTrue(nativeUsable(), "the native backend is not usable here");
        Batch batch = SyntheticBatch.generate(7, 32, 100, 91, 20);
        HungarianLoss loss = HungarianLoss.create(HungarianConfig.DEFAULTS, BackendKind.NATIVE);
        int before = Backends.setMaxNativeThreads(1);
        try {
            assertEquals(1, Backends.setMaxNativeThreads(1));
            LossResult serial = loss.compute(batch, true);
            assertEquals(1, Backends.setMaxNativeThreads(0));
            LossResult all = loss.compute(batch, true);
            assertEquals(serial.loss(), all.loss());
            assertArrayEquals(serial.gradLogits(), all.gradLogits());
            assertArrayEquals(serial.gradBoxes(), all.gradBoxes());
            for (int b = 0; b < batch.batch(); b++) {
                assertArrayEquals(serial.matching().predIndices(b), all.matching().predIndices(b));
            }
        } finally {
            Backends.setMaxNativeThreads(before);
        }
    }

    private static boolean nativeUsable() {
        return Backends.statuses().stream().anyMatch(s -> s.kind() == BackendKind.NATIVE && s.available());
    }
}

package dev.hungarian4j.natives;

import dev.hungarian4j.BackendKind;
import dev.hungarian4j.Batch;
import dev.hungarian4j.HungarianConfig;
import dev.hungarian4j.HungarianLoss;
import dev.hungarian4j.LossResult;
import dev.hungarian4j.SyntheticBatch;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link NativeBackend#releaseThreadBuffers()} frees the thread's staging memory (that of the stage calls: the whole
 * pipeline copies on the native pool instead) at once, and calls work after it.
 */
class ReleaseThreadBuffersTest {
    @Test
    void releaseFreesTheStagingAndTheNextCallStagesAgain() {
        Assumptions.assumeFalse(InPlaceArrays.ENABLED, "arrays taken in place on this JVM: nothing is staged");
        Batch batch = SyntheticBatch.generate(3, 8, 300, 91, 20); // ~0.9 MB of logits: well above noise
        HungarianLoss loss = HungarianLoss.create(HungarianConfig.DEFAULTS, BackendKind.NATIVE);
        LossResult first = loss.compute(batch, true);
        float[] costs = loss.costs(batch); // a stage call: stages the logits and boxes in, the costs out
        long held = Pointer.totalBytes();
        NativeBackend.releaseThreadBuffers();
        long after = Pointer.totalBytes();
        long staged = (long) Float.BYTES * (batch.predictions().logits().length + batch.predictions().boxes().length
                + costs.length);
        assertTrue(held - after >= staged, "released " + (held - after) + " bytes; staging held at least " + staged);
        assertArrayEquals(costs, loss.costs(batch));
        LossResult again = loss.compute(batch, true);
        assertEquals(first.loss(), again.loss());
        assertArrayEquals(first.gradLogits(), again.gradLogits());
        NativeBackend.releaseThreadBuffers();
        NativeBackend.releaseThreadBuffers(); // twice: harmless
    }
}

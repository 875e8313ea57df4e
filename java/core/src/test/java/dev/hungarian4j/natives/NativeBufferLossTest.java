package dev.hungarian4j.natives;

import dev.hungarian4j.BackendKind;
import dev.hungarian4j.Batch;
import dev.hungarian4j.HungarianConfig;
import dev.hungarian4j.HungarianLoss;
import dev.hungarian4j.InvalidInputException;
import dev.hungarian4j.LossResult;
import dev.hungarian4j.LossTerms;
import dev.hungarian4j.SyntheticBatch;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Direct buffers and JavaCPP pointers give exactly the float[] results, and bad buffers are refused in Java. */
class NativeBufferLossTest {
    private static ByteBuffer direct(long elements, int bytes) {
        return ByteBuffer.allocateDirect((int) (elements * bytes)).order(ByteOrder.nativeOrder());
    }

    private static FloatBuffer floats(float[] a) {
        FloatBuffer b = direct(a.length, 4).asFloatBuffer();
        b.put(a).flip();
        return b;
    }

    private static IntBuffer ints(int[] a) {
        IntBuffer b = direct(a.length, 4).asIntBuffer();
        b.put(a).flip();
        return b;
    }

    @Test
    void directBuffersMatchTheArrayApi() {
        Batch batch = SyntheticBatch.generate(11, 40, 12, new int[] {3, 0, 17});
        LossResult expected = HungarianLoss.create(HungarianConfig.DEFAULTS, BackendKind.NATIVE).compute(batch, true);
        int b = batch.batch();
        int q = batch.queries();
        int c = batch.numLogits();
        IntBuffer assign = direct((long) b * q, 4).asIntBuffer();
        DoubleBuffer cost = direct(b, 8).asDoubleBuffer();
        FloatBuffer gl = direct((long) b * q * c, 4).asFloatBuffer();
        FloatBuffer gb = direct((long) b * q * 4, 4).asFloatBuffer();
        LossTerms t = new NativeBufferLoss(HungarianConfig.DEFAULTS).forward(b, q, c,
                floats(batch.predictions().logits()), floats(batch.predictions().boxes()),
                ints(batch.targets().offsets()), ints(batch.targets().labels()), floats(batch.targets().boxes()),
                assign, cost, gl, gb);
        assertEquals(expected.loss(), t);
        int[] a = new int[b * q];
        assign.get(a);
        assertArrayEquals(expected.matching().assignment(), a);
        float[] g = new float[b * q * c];
        gl.get(g);
        assertArrayEquals(expected.gradLogits(), g);
        float[] g2 = new float[b * q * 4];
        gb.get(g2);
        assertArrayEquals(expected.gradBoxes(), g2);
        double[] mc = new double[b];
        cost.get(mc);
        assertArrayEquals(expected.matching().costs(), mc);
    }

    @Test
    void pointersMatchTheArrayApiWithoutGradients() {
        Batch batch = SyntheticBatch.generate(12, 2, 30, 5, 8);
        LossResult expected = HungarianLoss.create(HungarianConfig.DEFAULTS, BackendKind.NATIVE).compute(batch, false);
        int b = batch.batch();
        int q = batch.queries();
        try (FloatPointer l = new FloatPointer(batch.predictions().logits());
             FloatPointer bx = new FloatPointer(batch.predictions().boxes());
             IntPointer off = new IntPointer(batch.targets().offsets());
             IntPointer lab = new IntPointer(batch.targets().labels());
             FloatPointer tb = new FloatPointer(batch.targets().boxes());
             IntPointer as = new IntPointer((long) b * q)) {
            LossTerms t = new NativeBufferLoss(HungarianConfig.DEFAULTS).forward(b, q, batch.numLogits(), l, bx, off,
                    lab, tb, as, (DoublePointer) null, null, null);
            assertEquals(expected.loss(), t);
            int[] a = new int[b * q];
            as.get(a);
            assertArrayEquals(expected.matching().assignment(), a);
        }
    }

    @Test
    void badBuffersAreRefusedBeforeNativeCode() {
        Batch batch = SyntheticBatch.generate(13, 2, 10, 4, 3);
        int b = batch.batch();
        int q = batch.queries();
        int c = batch.numLogits();
        NativeBufferLoss loss = new NativeBufferLoss(HungarianConfig.DEFAULTS);
        FloatBuffer logits = floats(batch.predictions().logits());
        FloatBuffer boxes = floats(batch.predictions().boxes());
        IntBuffer off = ints(batch.targets().offsets());
        IntBuffer lab = ints(batch.targets().labels());
        FloatBuffer tb = floats(batch.targets().boxes());
        IntBuffer assign = direct((long) b * q, 4).asIntBuffer();

        InvalidInputException e = assertThrows(InvalidInputException.class, () -> loss.forward(b, q, c,
                FloatBuffer.wrap(batch.predictions().logits()), boxes, off, lab, tb, assign, null, null, null));
        assertEquals("pred_logits", e.field());
        e = assertThrows(InvalidInputException.class, () -> loss.forward(b, q, c, logits, boxes, off, lab,
                tb, direct(3, 4).asIntBuffer(), null, null, null));
        assertEquals("assign_out", e.field());
        e = assertThrows(InvalidInputException.class, () -> loss.forward(b, q, c, logits, boxes, off, lab, tb,
                assign, null, direct((long) b * q * c, 4).asFloatBuffer(), null));
        assertEquals("grad_boxes", e.field());

        float[] bad = batch.predictions().boxes().clone();
        bad[4 * (q + 2) + 3] = -0.25f; // image 1, query 2, height
        e = assertThrows(InvalidInputException.class, () -> loss.forward(b, q, c, logits, floats(bad), off, lab, tb,
                assign, null, null, null));
        assertEquals("pred_boxes[1][2][3]", e.field());
        assertTrue(e.getMessage().contains("height"), e.getMessage());
    }
}

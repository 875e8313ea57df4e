package dev.hungarian4j.natives;

import dev.hungarian4j.BackendKind;
import dev.hungarian4j.Batch;
import dev.hungarian4j.HungarianConfig;
import dev.hungarian4j.HungarianLoss;
import dev.hungarian4j.InvalidInputException;
import dev.hungarian4j.LossClass;
import dev.hungarian4j.LossResult;
import dev.hungarian4j.LossTerms;
import dev.hungarian4j.SyntheticBatch;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A one-class detector with the focal loss has a single sigmoid logit per prediction (C = K = 1): the buffer and
 * device APIs take it (they once refused every C &lt; 2 at construction, so DJL and libtorch users could not train
 * one), and the losses refuse C = 1 only without the focal loss, naming {@code numLogits}.
 */
class SingleLogitFocalTest {
    private static final HungarianConfig FOCAL = HungarianConfig.builder().lossClass(LossClass.FOCAL).build();
    private static final int[] COUNTS = {2, 0, 5};

    private static FloatBuffer floats(float[] a) {
        FloatBuffer b = ByteBuffer.allocateDirect(4 * Math.max(1, a.length)).order(ByteOrder.nativeOrder())
                .asFloatBuffer();
        b.put(a).flip();
        return b;
    }

    private static IntBuffer ints(int n) {
        return ByteBuffer.allocateDirect(4 * Math.max(1, n)).order(ByteOrder.nativeOrder()).asIntBuffer();
    }

    private static BufferBatch buffers(Batch batch) {
        IntBuffer offsets = ints(batch.batch() + 1).put(batch.targets().offsets()).flip();
        IntBuffer labels = ints(batch.targets().labels().length).put(batch.targets().labels()).flip();
        return new BufferBatch(batch.batch(), batch.queries(), batch.numLogits())
                .predictions(floats(batch.predictions().logits()), floats(batch.predictions().boxes()))
                .targets(offsets, labels, floats(batch.targets().boxes()));
    }

    @Test
    void oneSigmoidLogitThroughBuffersEqualsTheArrayApi() {
        Batch batch = SyntheticBatch.generate(5, 8, 1, COUNTS, 1, LossClass.FOCAL);
        assertEquals(1, batch.numLogits());
        int rows = batch.batch() * batch.queries();
        float[] wantGl = new float[rows];
        float[] wantGb = new float[rows * 4];
        LossResult want = HungarianLoss.create(FOCAL, BackendKind.NATIVE).computeInto(batch, wantGl, wantGb);

        IntBuffer assign = ints(rows);
        FloatBuffer gl = floats(new float[rows]);
        FloatBuffer gb = floats(new float[rows * 4]);
        LossTerms got = new NativeBufferLoss(FOCAL).forward(buffers(batch),
                new BufferOutputs().assignment(assign).gradients(gl, gb));
        assertEquals(want.loss(), got);
        int[] a = new int[rows];
        assign.get(0, a);
        assertArrayEquals(want.matching().assignment(), a);
        float[] g = new float[rows];
        gl.get(0, g);
        assertArrayEquals(wantGl, g);
        float[] h = new float[rows * 4];
        gb.get(0, h);
        assertArrayEquals(wantGb, h);
        assertTrue(got.total() > 0 && Double.isFinite(got.total()), got::toString);
    }

    @Test
    void oneSigmoidLogitThroughStackedLayersEqualsTheArrayApi() {
        Batch batch = SyntheticBatch.generate(6, 8, 1, COUNTS, 2, LossClass.FOCAL);
        int rows = batch.batch() * batch.queries();
        float[][] wantGl = new float[2][rows];
        float[][] wantGb = new float[2][rows * 4];
        LossResult want = HungarianLoss.create(FOCAL, BackendKind.NATIVE).computeInto(batch, wantGl, wantGb);
        float[] logits = new float[2 * rows];
        float[] boxes = new float[2 * rows * 4];
        for (int l = 0; l < 2; l++) {
            System.arraycopy(batch.layer(l).logits(), 0, logits, l * rows, rows);
            System.arraycopy(batch.layer(l).boxes(), 0, boxes, l * rows * 4, rows * 4);
        }
        BufferBatch in = buffers(batch).predictions(floats(logits), floats(boxes));
        BufferOutputs out = new BufferOutputs().assignment(ints(2 * rows));
        LossTerms[] got = new NativeLayeredBufferLoss(FOCAL).forward(2, in, out);
        assertEquals(want.loss(), got[0]);
        assertEquals(want.aux().get(0).loss(), got[1]);
    }

    @Test
    void withoutTheFocalLossASingleLogitIsRefusedNamingNumLogits() {
        Batch batch = SyntheticBatch.generate(7, 8, 1, COUNTS, 1, LossClass.FOCAL);
        BufferBatch in = buffers(batch); // the shape alone is fine: C >= 1
        BufferOutputs out = new BufferOutputs().assignment(ints(batch.batch() * batch.queries()));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> new NativeBufferLoss(HungarianConfig.DEFAULTS).forward(in, out));
        assertEquals("numLogits", e.field());
        assertTrue(e.getMessage().contains("K+1 must be >= 2"), e.getMessage());
        assertEquals("numLogits", assertThrows(InvalidInputException.class,
                () -> new NativeLayeredBufferLoss(HungarianConfig.DEFAULTS).forward(1, in, out)).field());
        assertEquals("numLogits", assertThrows(InvalidInputException.class,
                () -> new BufferBatch(1, 1, 0)).field());
        assertEquals("numLogits", assertThrows(InvalidInputException.class,
                () -> new DeviceBatch(1, 1, 0, 0)).field());
    }

    /**
     * The device API's shape takes C = 1 as well; CudaDeviceLoss (which cannot be built without a CUDA device, so
     * not here) runs the same {@link BatchShape#checkLogits} before each of its launches.
     */
    @Test
    void theDeviceShapeTakesOneLogitAndTheLossClassDecides() {
        DeviceBatch in = new DeviceBatch(2, 3, 1, 2);
        assertEquals(1, in.numLogits());
        BatchShape.checkLogits(in, NativeConfig.pack(FOCAL));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> BatchShape.checkLogits(in, NativeConfig.pack(HungarianConfig.DEFAULTS)));
        assertEquals("numLogits", e.field());
        assertTrue(e.getMessage().contains("a single logit needs the focal loss"), e.getMessage());
    }
}

package dev.hungarian4j.natives;

import dev.hungarian4j.BackendKind;
import dev.hungarian4j.Batch;
import dev.hungarian4j.HungarianConfig;
import dev.hungarian4j.HungarianLoss;
import dev.hungarian4j.InvalidInputException;
import dev.hungarian4j.LossClass;
import dev.hungarian4j.LossResult;
import dev.hungarian4j.LossTerms;
import dev.hungarian4j.Predictions;
import dev.hungarian4j.SyntheticBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** L decoder layers stacked in direct buffers give exactly the float[] API's per-layer results, in one call. */
class NativeLayeredBufferLossTest {
    private static final int[] COUNTS = {3, 0, 11, 1};

    private static ByteBuffer direct(long elements, int bytes) {
        return ByteBuffer.allocateDirect((int) (elements * bytes)).order(ByteOrder.nativeOrder());
    }

    private static FloatBuffer floats(float[] a) {
        FloatBuffer b = direct(Math.max(1, a.length), 4).asFloatBuffer();
        b.put(a).flip();
        return b;
    }

    private static IntBuffer ints(int[] a) {
        IntBuffer b = direct(Math.max(1, a.length), 4).asIntBuffer();
        b.put(a).flip();
        return b;
    }

    /** Layer l's array of every layer, one after the other (layer 0 = the batch's top layer). */
    private static float[] stacked(Batch batch, boolean logits) {
        int n = logits ? batch.predictions().logits().length : batch.predictions().boxes().length;
        float[] out = new float[n * batch.layers()];
        for (int l = 0; l < batch.layers(); l++) {
            Predictions p = batch.layer(l);
            System.arraycopy(logits ? p.logits() : p.boxes(), 0, out, l * n, n);
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"detr", "groups_numboxes", "focal"})
    void stackedLayersMatchTheArrayApiBitwise(String variant) {
        boolean focal = variant.equals("focal");
        HungarianConfig cfg = switch (variant) {
            case "groups_numboxes" -> HungarianConfig.builder().groups(2).numBoxes(7.5).build();
            case "focal" -> HungarianConfig.builder().lossClass(LossClass.FOCAL).build();
            default -> HungarianConfig.DEFAULTS;
        };
        Batch batch = SyntheticBatch.generate(21, 12, 6, COUNTS, 3, focal ? LossClass.FOCAL : LossClass.CE);
        int layers = batch.layers();
        int rows = batch.batch() * batch.queries();
        int c = batch.numLogits();
        float[][] wantGl = new float[layers][rows * c];
        float[][] wantGb = new float[layers][rows * 4];
        LossResult want = HungarianLoss.create(cfg, BackendKind.NATIVE).computeInto(batch, wantGl, wantGb);

        IntBuffer assign = direct((long) layers * rows, 4).asIntBuffer();
        DoubleBuffer cost = direct((long) layers * batch.batch(), 8).asDoubleBuffer();
        FloatBuffer gl = direct((long) layers * rows * c, 4).asFloatBuffer();
        FloatBuffer gb = direct((long) layers * rows * 4, 4).asFloatBuffer();
        BufferBatch in = new BufferBatch(batch.batch(), batch.queries(), c)
                .predictions(floats(stacked(batch, true)), floats(stacked(batch, false)))
                .targets(ints(batch.targets().offsets()), ints(batch.targets().labels()),
                        floats(batch.targets().boxes()));
        BufferOutputs out = new BufferOutputs().assignment(assign).matchingCost(cost).gradients(gl, gb);
        LossTerms[] got = new NativeLayeredBufferLoss(cfg).forward(layers, in, out);

        assertEquals(layers, got.length);
        for (int l = 0; l < layers; l++) {
            LossTerms wantTerms = l == 0 ? want.loss() : want.aux().get(l - 1).loss();
            int[] wantAssign = l == 0 ? want.matching().assignment() : want.aux().get(l - 1).matching().assignment();
            assertEquals(wantTerms, got[l], "layer " + l);
            int[] a = new int[rows];
            assign.get(l * rows, a);
            assertArrayEquals(wantAssign, a, "assignment of layer " + l);
            float[] g = new float[rows * c];
            gl.get(l * rows * c, g);
            assertArrayEquals(wantGl[l], g, "grad_logits of layer " + l);
            float[] h = new float[rows * 4];
            gb.get(l * rows * 4, h);
            assertArrayEquals(wantGb[l], h, "grad_boxes of layer " + l);
            double[] mc = new double[batch.batch()];
            cost.get(l * batch.batch(), mc);
            double[] wantCost = l == 0 ? want.matching().costs() : want.aux().get(l - 1).matching().costs();
            assertArrayEquals(wantCost, mc, "matching cost of layer " + l);
        }
        double sum = Arrays.stream(got).mapToDouble(LossTerms::total).sum();
        assertEquals(want.totalAllLayers(), sum, 1e-12);
        // the layers differ, so a mix-up of layers would fail above
        assertNotEquals(want.loss(), want.aux().get(0).loss());
    }

    @Test
    void regionsTooSmallForTheLayersAreRefusedInJava() {
        Batch batch = SyntheticBatch.generate(22, 12, 6, COUNTS, 2, LossClass.CE);
        int rows = batch.batch() * batch.queries();
        int c = batch.numLogits();
        NativeLayeredBufferLoss loss = new NativeLayeredBufferLoss(HungarianConfig.DEFAULTS);
        BufferBatch in = new BufferBatch(batch.batch(), batch.queries(), c)
                .predictions(floats(stacked(batch, true)), floats(stacked(batch, false)))
                .targets(ints(batch.targets().offsets()), ints(batch.targets().labels()),
                        floats(batch.targets().boxes()));
        // room for one layer where there are two
        BufferOutputs oneLayer = new BufferOutputs().assignment(direct(rows, 4).asIntBuffer())
                .gradients(direct((long) rows * c, 4).asFloatBuffer(), direct(rows * 4L, 4).asFloatBuffer());
        assertEquals("assign_out", assertThrows(InvalidInputException.class,
                () -> loss.forward(2, in, oneLayer)).field());
        BufferOutputs shortGrad = new BufferOutputs().assignment(direct(2L * rows, 4).asIntBuffer())
                .gradients(direct((long) rows * c, 4).asFloatBuffer(), direct(rows * 8L, 4).asFloatBuffer());
        assertEquals("grad_logits", assertThrows(InvalidInputException.class,
                () -> loss.forward(2, in, shortGrad)).field());
        // three layers asked of two layers' predictions
        BufferOutputs three = new BufferOutputs().assignment(direct(3L * rows, 4).asIntBuffer());
        assertEquals("pred_logits", assertThrows(InvalidInputException.class,
                () -> loss.forward(3, in, three)).field());
        assertEquals("layers", assertThrows(InvalidInputException.class,
                () -> loss.forward(0, in, three)).field());
    }
}

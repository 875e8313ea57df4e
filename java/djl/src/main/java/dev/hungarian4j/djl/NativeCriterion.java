package dev.hungarian4j.djl;

import dev.hungarian4j.HungarianConfig;
import dev.hungarian4j.LossTerms;
import dev.hungarian4j.Targets;
import dev.hungarian4j.natives.BufferBatch;
import dev.hungarian4j.natives.BufferOutputs;
import dev.hungarian4j.natives.NativeBufferLoss;
import dev.hungarian4j.natives.NativeLayeredBufferLoss;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;

/**
 * The native pipeline on the tensors' own memory: the only class of the adapter that calls the native library. One
 * layer goes through {@link NativeBufferLoss}, several through {@link NativeLayeredBufferLoss} (all layers in one
 * native call). The memory is described once per shape ({@link BufferBatch}, {@link BufferOutputs}) and re-pointed
 * each step; the small target arrays are staged into direct buffers that grow on demand and are reused; the
 * predictions and gradients are never copied. Not thread-safe: the loss serializes its calls.
 */
final class NativeCriterion implements Criterion {
    private final NativeBufferLoss loss;
    private final NativeLayeredBufferLoss layered;
    private final BufferOutputs out = new BufferOutputs();
    private BufferBatch in;
    private IntBuffer offsets = ints(0);
    private IntBuffer labels = ints(0);
    private FloatBuffer targetBoxes = floats(0);
    private IntBuffer assign = ints(0);

    /**
     * Loads the native library and packs the configuration.
     *
     * @param config the cost and loss configuration
     * @throws dev.hungarian4j.BackendUnavailableException when the native library did not load
     */
    NativeCriterion(HungarianConfig config) {
        this.loss = new NativeBufferLoss(config);
        this.layered = new NativeLayeredBufferLoss(config);
    }

    @Override
    public LossTerms[] run(int layers, int batch, int queries, int numLogits, FloatBuffer logits, FloatBuffer boxes,
            Targets targets, FloatBuffer gradLogits, FloatBuffer gradBoxes, int[] assignOut) {
        if (in == null || in.batch() != batch || in.queries() != queries || in.numLogits() != numLogits) {
            in = new BufferBatch(batch, queries, numLogits);
        }
        int t = targets.total();
        int rows = layers * batch * queries;
        offsets = fit(offsets, batch + 1);
        labels = fit(labels, Math.max(t, 1));
        targetBoxes = fit(targetBoxes, Math.max(4 * t, 1));
        assign = fit(assign, rows);
        // absolute puts: every buffer keeps position 0, the native call reads from there
        offsets.put(0, targets.offsets(), 0, batch + 1);
        labels.put(0, targets.labels(), 0, t);
        targetBoxes.put(0, targets.boxes(), 0, 4 * t);
        in.predictions(logits, boxes).targets(offsets, labels, targetBoxes);
        out.assignment(assign).gradients(gradLogits, gradBoxes);
        LossTerms[] terms = layers == 1 ? new LossTerms[] {loss.forward(in, out)} : layered.forward(layers, in, out);
        assign.get(0, assignOut, 0, rows);
        return terms;
    }

    @Override
    public String backendName() {
        return "native";
    }

    private static IntBuffer fit(IntBuffer b, int n) {
        return b.capacity() >= n ? b : ints(Math.max(n, 2 * b.capacity()));
    }

    private static FloatBuffer fit(FloatBuffer b, int n) {
        return b.capacity() >= n ? b : floats(Math.max(n, 2 * b.capacity()));
    }

    private static IntBuffer ints(int n) {
        return ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder()).asIntBuffer();
    }

    private static FloatBuffer floats(int n) {
        return ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }
}

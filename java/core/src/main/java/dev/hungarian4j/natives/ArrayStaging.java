package dev.hungarian4j.natives;

import dev.hungarian4j.Batch;
import dev.hungarian4j.InvalidInputException;
import dev.hungarian4j.Predictions;
import dev.hungarian4j.Targets;
import org.bytedeco.javacpp.FloatPointer;

import java.nio.FloatBuffer;
import java.util.List;

/**
 * Per-thread native buffers through which the large float arrays of a native call travel (logits, boxes, their
 * gradients, cost blocks): one copy in and one copy out, into direct memory that stays allocated and mapped from
 * call to call (from a {@link StagingMemory}: ordinary or, for CUDA, page-locked; viewed as direct buffers).
 * Buffers grow to the largest call seen on the thread; a smaller one is freed at once when it grows, and all are
 * freed by {@link #release()}
 * ({@link NativeBackend#releaseThreadBuffers()}) or, at the latest, after the thread ends (JavaCPP's deallocator).
 *
 * <p>The copies are {@link FloatBuffer} bulk puts and gets on direct buffers, done by the JVM itself: no JNI call,
 * and in particular no JNI critical region. Why not the alternatives, measured on JDK 17: JNI's default array
 * passing mallocs, copies in and copies back every array on every call (on fresh pages: ~1.9 ms of the 2.4 ms of a
 * 64x100x91x20 forward call); JNI critical regions (JavaCPP's {@code @CriticalRegion}, and its own
 * {@code FloatPointer.put(float[])}) hold off the garbage collector, and on G1 that starved allocating threads into
 * {@code OutOfMemoryError} ("Retried waiting for GCLocker too often") in a stress test with three calling and three
 * allocating threads. Staging costs two memcpys (~40 µs each for 2.4 MB here) and never blocks the GC.
 *
 * <p>The whole pipeline's calls ({@code forward}, one layer or several) do not stage here: the native pool's threads
 * copy each item's rows into their own scratch with JNI's GetFloatArrayRegion and its gradients out with
 * SetFloatArrayRegion, in parallel and while they are in cache (h4j_cpu_forward_layers_io; no critical region
 * either). Only the one-layer calls' reusable {@code float[][]} wrappers come from here.
 */
final class ArrayStaging {
    private static final int LOGITS = 0; // also the cost blocks given to a matcher
    private static final int BOXES = 1;
    private static final int GRAD_LOGITS = 2; // also the cost blocks written by a cost kernel
    private static final int GRAD_BOXES = 3;

    private static final ThreadLocal<ArrayStaging> CURRENT =
            ThreadLocal.withInitial(() -> new ArrayStaging(StagingMemory.ORDINARY));
    private static final ThreadLocal<ArrayStaging> CUDA =
            ThreadLocal.withInitial(() -> new ArrayStaging(new PinnedStagingMemory(PinnedStagingMemory.CUDA)));

    private final StagingMemory memory;
    private final FloatBuffer[] buffers = new FloatBuffer[4];
    private int[] offsets = new int[65];
    private final FloatPointer[] pointers = new FloatPointer[4];
    private final float[][][] oneLayer = {new float[1][], new float[1][], new float[1][], new float[1][]};

    ArrayStaging(StagingMemory memory) {
        this.memory = memory;
    }

    /** The calling thread's buffers for the CPU backend (ordinary native memory). */
    static ArrayStaging current() {
        return CURRENT.get();
    }

    /**
     * The calling thread's buffers for the CUDA backend: page-locked memory, so that the host conveniences'
     * async copies to and from the device are DMA transfers (ordinary memory where the runtime refuses).
     */
    static ArrayStaging forCuda() {
        return CUDA.get();
    }

    /** Where this staging's buffers come from. */
    StagingMemory memory() {
        return memory;
    }

    /**
     * A copy of the targets' offsets, checked against the lengths of their labels and boxes. {@link Targets}
     * references its arrays, so a caller may have changed the offsets since it was built; the native side reads
     * {@code labels} and {@code boxes} up to {@code offsets[B]}, so it gets this checked copy (it checks the
     * values itself: {@code offsets[0] = 0}, non-decreasing). Entries past B are left over from larger calls.
     */
    int[] offsets(Targets t) {
        int[] src = t.offsets();
        int n = src.length;
        if (offsets.length < n) {
            offsets = new int[n];
        }
        System.arraycopy(src, 0, offsets, 0, n);
        int total = offsets[n - 1];
        if (total != t.labels().length || 4L * total != t.boxes().length) {
            throw new InvalidInputException("targets.offsets[" + (n - 1) + "]", "is " + total + " but labels has "
                    + t.labels().length + " and boxes " + t.boxes().length
                    + " entries (the arrays were changed after the Targets was built)");
        }
        return offsets;
    }

    /** A copy of the predictions' logits. */
    FloatPointer logits(Predictions p) {
        return in(LOGITS, p.logits(), p.logits().length);
    }

    /** A copy of the predictions' boxes. */
    FloatPointer boxes(Predictions p) {
        return in(BOXES, p.boxes(), p.boxes().length);
    }

    /** Room for the logits' gradient, or null when the caller wants none; {@link #copyGradients} brings it back. */
    FloatPointer gradLogits(Predictions p, float[] gradLogits) {
        return out(GRAD_LOGITS, gradLogits, p.logits().length);
    }

    /** Room for the boxes' gradient, or null when the caller wants none; {@link #copyGradients} brings it back. */
    FloatPointer gradBoxes(Predictions p, float[] gradBoxes) {
        return out(GRAD_BOXES, gradBoxes, p.boxes().length);
    }

    /** Copies the gradients written by the native call into the caller's arrays (each skipped when null). */
    void copyGradients(Predictions p, float[] gradLogits, float[] gradBoxes) {
        copyOut(GRAD_LOGITS, gradLogits, p.logits().length);
        copyOut(GRAD_BOXES, gradBoxes, p.boxes().length);
    }

    /** Every layer's logits, one after the other (layer 0 first), as h4j_cuda_forward_layers_host takes them. */
    FloatPointer layerLogits(Batch batch) {
        int n = batch.predictions().logits().length;
        FloatPointer p = ensure(LOGITS, n * batch.layers());
        FloatBuffer b = buffers[LOGITS];
        b.clear();
        for (int l = 0; l < batch.layers(); l++) {
            b.put(batch.layer(l).logits(), 0, n);
        }
        return p;
    }

    /** Every layer's boxes, one after the other (layer 0 first). */
    FloatPointer layerBoxes(Batch batch) {
        int n = batch.predictions().boxes().length;
        FloatPointer p = ensure(BOXES, n * batch.layers());
        FloatBuffer b = buffers[BOXES];
        b.clear();
        for (int l = 0; l < batch.layers(); l++) {
            b.put(batch.layer(l).boxes(), 0, n);
        }
        return p;
    }

    /** Room for every layer's logits gradient, or null when {@code grads} is null. */
    FloatPointer layerGradLogits(Batch batch, float[][] grads) {
        return grads == null ? null : ensure(GRAD_LOGITS, batch.predictions().logits().length * batch.layers());
    }

    /** Room for every layer's boxes gradient, or null when {@code grads} is null. */
    FloatPointer layerGradBoxes(Batch batch, float[][] grads) {
        return grads == null ? null : ensure(GRAD_BOXES, batch.predictions().boxes().length * batch.layers());
    }

    /** Copies every layer's gradients written by h4j_cuda_forward_layers_host into the callers' arrays (null: none). */
    void copyLayerGradients(Batch batch, float[][] gradLogits, float[][] gradBoxes) {
        if (gradLogits == null) {
            return;
        }
        int nl = batch.predictions().logits().length;
        int nb = batch.predictions().boxes().length;
        FloatBuffer gl = buffers[GRAD_LOGITS];
        FloatBuffer gb = buffers[GRAD_BOXES];
        gl.clear();
        gb.clear();
        for (int l = 0; l < batch.layers(); l++) {
            gl.get(gradLogits[l], 0, nl);
            gb.get(gradBoxes[l], 0, nb);
        }
    }

    /**
     * This thread's reusable one-element {@code float[][]} number {@code k} (0-3) holding {@code a}: a one-layer
     * call passes its arrays as the layered glue takes them without allocating. {@link #clearOneLayer} drops the
     * references after the call.
     */
    float[][] oneLayer(int k, float[] a) {
        oneLayer[k][0] = a;
        return a == null ? null : oneLayer[k];
    }

    /** Forgets the arrays put into {@link #oneLayer} (the thread must not keep the caller's arrays alive). */
    void clearOneLayer() {
        for (float[][] w : oneLayer) {
            w[0] = null;
        }
    }

    /** A copy of {@code costs[0, n)}, the cost blocks given to a matcher. */
    FloatPointer costsIn(float[] costs, int n) {
        return in(LOGITS, costs, n);
    }

    /** Room for {@code n} cost entries written by a cost kernel; {@link #copyCostsOut} brings them back. */
    FloatPointer costsOut(float[] costOut, int n) {
        return out(GRAD_LOGITS, costOut, n);
    }

    /** Copies {@code n} cost entries written by the native call into {@code costOut}. */
    void copyCostsOut(float[] costOut, int n) {
        copyOut(GRAD_LOGITS, costOut, n);
    }

    private FloatPointer in(int slot, float[] a, int n) {
        FloatPointer p = ensure(slot, n);
        FloatBuffer b = buffers[slot];
        b.clear();
        b.put(a, 0, n);
        return p;
    }

    private FloatPointer out(int slot, float[] a, int n) {
        return a == null ? null : ensure(slot, n);
    }

    private void copyOut(int slot, float[] a, int n) {
        if (a != null) {
            FloatBuffer b = buffers[slot];
            b.clear();
            b.get(a, 0, n);
        }
    }

    private FloatPointer ensure(int slot, int n) {
        FloatPointer p = pointers[slot];
        if (p == null || p.capacity() < n) {
            if (p != null) {
                buffers[slot] = null;
                pointers[slot] = null;
                p.close(); // frees the old memory now, not at the next GC
            }
            p = memory.allocate(Math.max(1L, n));
            pointers[slot] = p;
            buffers[slot] = p.asBuffer(); // a direct view in native order: bulk copies by the JVM, no JNI
        }
        return pointers[slot];
    }

    /** Frees this thread's buffers now (the CPU backend's and the CUDA backend's); the next call allocates again. */
    static void release() {
        for (ThreadLocal<ArrayStaging> local : List.of(CURRENT, CUDA)) {
            ArrayStaging st = local.get();
            local.remove();
            st.free();
        }
    }

    /** Frees this staging's buffers now. */
    void free() {
        for (int i = 0; i < pointers.length; i++) {
            buffers[i] = null;
            if (pointers[i] != null) {
                pointers[i].close();
                pointers[i] = null;
            }
        }
    }
}

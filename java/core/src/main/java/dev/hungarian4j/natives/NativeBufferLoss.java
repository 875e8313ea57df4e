package dev.hungarian4j.natives;

import dev.hungarian4j.BackendUnavailableException;
import dev.hungarian4j.HungarianConfig;
import dev.hungarian4j.InvalidInputException;
import dev.hungarian4j.LossTerms;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;

import java.nio.Buffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;

/**
 * The native pipeline on off-heap memory, without copies: direct NIO buffers or JavaCPP pointers (for
 * example tensors a C++ engine already holds). The layout is the flat one of {@link dev.hungarian4j.Batch}.
 * Each call reads {@code offsets[B]} to size the target arrays, checks every capacity in Java (so the native
 * side never reads or writes past a buffer), and lets the native side validate the values; bad input throws
 * {@link InvalidInputException} naming the field and index. Thread-safe; allocates no Java arrays per call
 * besides the small config and terms arrays.
 */
public final class NativeBufferLoss {
    private final double[] cfg;

    /**
     * Packs the configuration once for all later calls.
     *
     * @param config the cost and loss configuration, not null
     * @throws BackendUnavailableException when the native library did not load
     */
    public NativeBufferLoss(HungarianConfig config) {
        NativeBackend.instance();
        this.cfg = NativeConfig.pack(config);
    }

    /**
     * Costs, exact matching, loss and (when both gradient buffers are non-null) gradients, on direct buffers.
     * Buffers are read from their position; capacities are checked against B, Q, C and {@code offsets[B]}.
     *
     * @param batch           B &gt;= 1 images
     * @param queries         Q &gt;= 1 predictions per image
     * @param numLogits       C = K+1 &gt;= 2 logits per prediction (the last is no-object)
     * @param logits          B*Q*C floats, row-major; direct, not null
     * @param boxes           B*Q*4 floats {@code (cx, cy, w, h)}; direct, not null
     * @param offsets         B+1 CSR target offsets; direct, not null
     * @param labels          {@code offsets[B]} labels in {@code [0, K)}; direct, not null
     * @param targetBoxes     {@code 4*offsets[B]} floats {@code (cx, cy, w, h)}; direct, not null
     * @param assignOut       B*Q ints, overwritten with the target index or -1; direct, not null
     * @param matchingCostOut B doubles overwritten with each image's optimal cost, or null
     * @param gradLogits      B*Q*C floats overwritten with {@code d total / d logits}, or null
     * @param gradBoxes       B*Q*4 floats overwritten with {@code d total / d boxes}, or null (null exactly when
     *                        {@code gradLogits} is)
     * @return the loss terms
     * @throws InvalidInputException              naming the field when a required buffer is null or not
     *                                            direct, a buffer is too small, only one gradient buffer is
     *                                            given, or a value is bad
     * @throws dev.hungarian4j.HungarianException when the native call fails otherwise
     */
    public LossTerms forward(int batch, int queries, int numLogits, FloatBuffer logits, FloatBuffer boxes,
            IntBuffer offsets, IntBuffer labels, FloatBuffer targetBoxes, IntBuffer assignOut,
            DoubleBuffer matchingCostOut, FloatBuffer gradLogits, FloatBuffer gradBoxes) {
        // a pointer over a direct buffer shares its memory, position and limit: the pointer checks apply
        return forward(batch, queries, numLogits, new FloatPointer(direct("pred_logits", logits)),
                new FloatPointer(direct("pred_boxes", boxes)), new IntPointer(direct("offsets", offsets)),
                new IntPointer(direct("labels", labels)), new FloatPointer(direct("target_boxes", targetBoxes)),
                new IntPointer(direct("assign_out", assignOut)),
                matchingCostOut == null ? null : new DoublePointer(direct("matching_cost_out", matchingCostOut)),
                gradLogits == null ? null : new FloatPointer(direct("grad_logits", gradLogits)),
                gradBoxes == null ? null : new FloatPointer(direct("grad_boxes", gradBoxes)));
    }

    /**
     * The same on JavaCPP pointers (host memory). Capacities are checked against each pointer's
     * {@code limit() - position()} when the pointer knows its limit (pointers from {@code new FloatPointer(n)}
     * or from buffers do); a pointer with limit 0 is trusted to be large enough. All pointers address host memory:
     * {@code offsets[B]} is read on the calling thread.
     *
     * @param batch           B &gt;= 1 images
     * @param queries         Q &gt;= 1 predictions per image
     * @param numLogits       C = K+1 &gt;= 2 logits per prediction (the last is no-object)
     * @param logits          B*Q*C floats, row-major; not null
     * @param boxes           B*Q*4 floats {@code (cx, cy, w, h)}; not null
     * @param offsets         B+1 CSR target offsets; not null
     * @param labels          {@code offsets[B]} labels in {@code [0, K)}; not null
     * @param targetBoxes     {@code 4*offsets[B]} floats {@code (cx, cy, w, h)}; not null
     * @param assignOut       B*Q ints, overwritten with the target index or -1; not null
     * @param matchingCostOut B doubles overwritten with each image's optimal cost, or null
     * @param gradLogits      B*Q*C floats overwritten with {@code d total / d logits}, or null
     * @param gradBoxes       B*Q*4 floats overwritten with {@code d total / d boxes}, or null (null exactly when
     *                        {@code gradLogits} is)
     * @return the loss terms
     * @throws InvalidInputException              naming the field when a required pointer is null, a pointer
     *                                            is too small, only one gradient pointer is given, or a value
     *                                            is bad
     * @throws dev.hungarian4j.HungarianException when the native call fails otherwise
     */
    public LossTerms forward(int batch, int queries, int numLogits, FloatPointer logits, FloatPointer boxes,
            IntPointer offsets, IntPointer labels, FloatPointer targetBoxes, IntPointer assignOut,
            DoublePointer matchingCostOut, FloatPointer gradLogits, FloatPointer gradBoxes) {
        checkDims(batch, queries, numLogits);
        long rows = (long) batch * queries;
        requirePointer("offsets", offsets, batch + 1L);
        int t = offsets.get(batch);
        if (t < 0) {
            throw new InvalidInputException("offsets[" + batch + "]", "is " + t + "; must be >= 0");
        }
        requirePointer("pred_logits", logits, rows * numLogits);
        requirePointer("pred_boxes", boxes, rows * 4);
        requirePointer("labels", labels, t);
        requirePointer("target_boxes", targetBoxes, 4L * t);
        requirePointer("assign_out", assignOut, rows);
        if (matchingCostOut != null) {
            requirePointer("matching_cost_out", matchingCostOut, batch);
        }
        checkGradPair(gradLogits, gradBoxes);
        if (gradLogits != null) {
            requirePointer("grad_logits", gradLogits, rows * numLogits);
            requirePointer("grad_boxes", gradBoxes, rows * 4);
        }
        double[] terms = new double[5];
        try (DoublePointer pcfg = new DoublePointer(cfg); DoublePointer pterms = new DoublePointer(5)) {
            NativeStatus.check(NativeLibrary.h4j_cpu_forward(batch, queries, numLogits, logits, boxes, offsets, labels,
                    targetBoxes, pcfg, assignOut, matchingCostOut, pterms, gradLogits, gradBoxes), "h4j_cpu_forward");
            pterms.get(terms);
        }
        return new LossTerms(terms[0], terms[1], terms[2], terms[3]);
    }

    private static void checkDims(int batch, int queries, int numLogits) {
        if (batch < 1) {
            throw new InvalidInputException("batch", "is " + batch + "; must be >= 1");
        }
        if (queries < 1) {
            throw new InvalidInputException("queries", "is " + queries + "; must be >= 1");
        }
        if (numLogits < 2) {
            throw new InvalidInputException("numLogits", "is " + numLogits + "; K+1 must be >= 2");
        }
    }

    private static void checkGradPair(Object gl, Object gb) {
        if ((gl == null) != (gb == null)) {
            throw new InvalidInputException(gl == null ? "grad_logits" : "grad_boxes",
                    "is null but the other gradient is not; pass both or neither");
        }
    }

    private static <B extends Buffer> B direct(String name, B b) {
        if (b == null) {
            throw new InvalidInputException(name, "is null");
        }
        if (!b.isDirect()) {
            throw new InvalidInputException(name, "is a heap buffer; use a direct buffer or the float[] API");
        }
        return b;
    }

    private static void requirePointer(String name, Pointer p, long needed) {
        if (p == null || p.isNull()) {
            throw new InvalidInputException(name, "is null");
        }
        if (p.limit() > 0 && p.limit() - p.position() < needed) {
            throw new InvalidInputException(name,
                    "has " + (p.limit() - p.position()) + " elements; needs " + needed);
        }
    }
}

package dev.hungarian4j.natives;

import dev.hungarian4j.BackendUnavailableException;
import dev.hungarian4j.HungarianConfig;
import dev.hungarian4j.InvalidInputException;
import dev.hungarian4j.LossTerms;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;

/**
 * The native pipeline on off-heap memory, without copies: direct NIO buffers or JavaCPP pointers (for
 * example tensors a C++ engine already holds). The layout is the flat one of {@link dev.hungarian4j.Batch}.
 * Describe the memory once with a {@link BufferBatch} (inputs) and {@link BufferOutputs} (outputs) and call
 * {@link #forward(BufferBatch, BufferOutputs)} every step: each call copies the B+1 offsets once (so the native
 * side reads exactly what was checked), checks every capacity in Java against B, Q, C and {@code offsets[B]} (so
 * the native side never reads or writes past a region), and lets the native side validate the values; bad input
 * throws {@link InvalidInputException} naming the field and index. Thread-safe (with one {@code BufferBatch} and
 * {@code BufferOutputs} per thread); a call allocates no Java arrays and no native memory besides its
 * {@link LossTerms} result.
 */
public final class NativeBufferLoss {
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private final double[] cfg;

    /** Per-thread copies of the offsets and room for the terms: no allocation per call once grown. */
    private static final class Scratch {
        int[] offsets = new int[65];
        final double[] terms = new double[5];
    }

    /**
     * Packs the configuration once for all later calls.
     *
     * @param config the cost and loss configuration, not null
     * @throws BackendUnavailableException when the native library did not load
     */
    public NativeBufferLoss(HungarianConfig config) {
        NativeBackend.instance();
        if (config == null) {
            throw new InvalidInputException("config", "is null");
        }
        this.cfg = NativeConfig.pack(config);
    }

    /**
     * Costs, exact matching, loss and (when {@code out} has gradients) gradients, from the memory {@code in}
     * describes into the memory {@code out} describes.
     *
     * @param in  the shape and the predictions and targets, all set
     * @param out the assignment (required), matching costs and gradients (optional)
     * @return the loss terms
     * @throws InvalidInputException              naming the field when a region is missing, has a negative
     *                                            position or is too small for the shape and {@code offsets[B]},
     *                                            or a value is bad (a non-finite number, a label out of range,
     *                                            broken offsets)
     * @throws dev.hungarian4j.HungarianException when the native call fails otherwise
     */
    public LossTerms forward(BufferBatch in, BufferOutputs out) {
        if (in == null) {
            throw new InvalidInputException("in", "is null");
        }
        if (out == null) {
            throw new InvalidInputException("out", "is null");
        }
        BatchShape.checkLogits(in, cfg);
        int batch = in.batch();
        long rows = (long) batch * in.queries();
        int c = in.numLogits();
        BufferViews.require("offsets", in.offsets, batch + 1L);
        Scratch s = SCRATCH.get();
        if (s.offsets.length < batch + 1) {
            s.offsets = new int[batch + 1];
        }
        int[] offsets = s.offsets;
        in.offsets.get(offsets, 0, batch + 1); // one snapshot: the native side reads what is checked here
        int t = offsets[batch];
        if (t < 0) {
            throw new InvalidInputException("offsets[" + batch + "]", "is " + t + "; must be >= 0");
        }
        BufferViews.require("pred_logits", in.logits, rows * c);
        BufferViews.require("pred_boxes", in.boxes, rows * 4);
        BufferViews.require("labels", in.labels, t);
        BufferViews.require("target_boxes", in.targetBoxes, 4L * t);
        BufferViews.require("assign_out", out.assign, rows);
        if (out.matchingCost != null) {
            BufferViews.require("matching_cost_out", out.matchingCost, batch);
        }
        if (out.gradLogits != null) {
            BufferViews.require("grad_logits", out.gradLogits, rows * c);
            BufferViews.require("grad_boxes", out.gradBoxes, rows * 4);
        }
        double[] terms = s.terms;
        NativeStatus.check(NativeLibrary.h4j_cpu_forward(batch, in.queries(), c, in.logits, in.boxes, offsets,
                in.labels, in.targetBoxes, cfg, out.assign, out.matchingCost, terms, out.gradLogits, out.gradBoxes),
                "h4j_cpu_forward");
        return new LossTerms(terms[0], terms[1], terms[2], terms[3]);
    }

    /**
     * Costs, exact matching, loss and (when both gradient buffers are non-null) gradients, on direct buffers.
     * Buffers are used from their position to their limit; capacities are checked against B, Q, C and
     * {@code offsets[B]}.
     *
     * @param batch           B &gt;= 1 images
     * @param queries         Q &gt;= 1 predictions per image
     * @param numLogits       C logits per prediction: K+1 &gt;= 2 (no-object last), or K &gt;= 1 with the focal loss
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
     * @deprecated describe the memory once with {@link BufferBatch} and {@link BufferOutputs} and call
     *             {@link #forward(BufferBatch, BufferOutputs)}: the same checks, no allocation per call
     */
    @Deprecated
    public LossTerms forward(int batch, int queries, int numLogits, FloatBuffer logits, FloatBuffer boxes,
            IntBuffer offsets, IntBuffer labels, FloatBuffer targetBoxes, IntBuffer assignOut,
            DoubleBuffer matchingCostOut, FloatBuffer gradLogits, FloatBuffer gradBoxes) {
        BufferBatch in = new BufferBatch(batch, queries, numLogits).predictions(logits, boxes)
                .targets(offsets, labels, targetBoxes);
        checkGradPair(gradLogits, gradBoxes);
        BufferOutputs out = new BufferOutputs().assignment(assignOut).matchingCost(matchingCostOut)
                .gradients(gradLogits, gradBoxes);
        return forward(in, out);
    }

    /**
     * The same on JavaCPP pointers (host memory). Capacities are checked against each pointer's
     * {@code limit() - position()} when the pointer knows its limit (pointers from {@code new FloatPointer(n)}
     * or from buffers do); a pointer with limit 0 is trusted to be large enough. All pointers address host memory:
     * {@code offsets[B]} is read on the calling thread.
     *
     * @param batch           B &gt;= 1 images
     * @param queries         Q &gt;= 1 predictions per image
     * @param numLogits       C logits per prediction: K+1 &gt;= 2 (no-object last), or K &gt;= 1 with the focal loss
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
     * @deprecated use {@link #forward(BufferBatch, BufferOutputs)}
     */
    @Deprecated
    public LossTerms forward(int batch, int queries, int numLogits, FloatPointer logits, FloatPointer boxes,
            IntPointer offsets, IntPointer labels, FloatPointer targetBoxes, IntPointer assignOut,
            DoublePointer matchingCostOut, FloatPointer gradLogits, FloatPointer gradBoxes) {
        checkGradPair(gradLogits, gradBoxes);
        return forward(new BufferBatch(batch, queries, numLogits).predictions(logits, boxes)
                        .targets(offsets, labels, targetBoxes),
                new BufferOutputs().assignment(assignOut).matchingCost(matchingCostOut)
                        .gradients(gradLogits, gradBoxes));
    }

    static void checkGradPair(Object gl, Object gb) {
        if ((gl == null) != (gb == null)) {
            throw new InvalidInputException(gl == null ? "grad_logits" : "grad_boxes",
                    "is null but the other gradient is not; pass both or neither");
        }
    }
}

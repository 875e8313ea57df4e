package dev.hungarian4j.natives;

import dev.hungarian4j.BackendUnavailableException;
import dev.hungarian4j.HungarianConfig;
import dev.hungarian4j.InvalidInputException;
import dev.hungarian4j.LossTerms;

/**
 * {@link NativeBufferLoss} for L decoder layers at once (contract.md §3, auxiliary decoder layers): every layer is
 * matched and lost on its own against the same targets, all of them in ONE native call ({@code
 * h4j_cpu_forward_layers}: one pool dispatch over every (layer, image, group) problem). The memory is off-heap and
 * never copied; a stacked decoder output {@code (L, B, Q, C)} is passed as it is.
 *
 * <p>The {@link BufferBatch} gives the shape of ONE layer {@code (B, Q, C)}; its prediction regions hold the L layers
 * one after the other (layer 0 first), its targets are shared. The {@link BufferOutputs} regions hold L layers
 * likewise: the assignment {@code L*B*Q} ints, the matching costs {@code L*B} doubles (optional), the gradients
 * {@code L*B*Q*C} and {@code L*B*Q*4} floats (optional), layer {@code l}'s gradient being that of the sum of all
 * layers' totals with respect to layer {@code l}. Capacities are checked in Java against L, B, Q, C and
 * {@code offsets[B]} before the native side reads or writes; values are checked by the native side and errors name
 * the field (and layer). Thread-safe with one {@code BufferBatch} and {@code BufferOutputs} per thread; a call
 * allocates only its result.
 */
public final class NativeLayeredBufferLoss {
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private final double[] cfg;

    /** Per-thread copies of the offsets and room for the terms: no allocation per call once grown. */
    private static final class Scratch {
        int[] offsets = new int[65];
        double[] terms = new double[5 * 8];
    }

    /**
     * Packs the configuration once for all later calls.
     *
     * @param config the cost and loss configuration (groups, num_boxes, focal loss included), not null
     * @throws BackendUnavailableException when the native library did not load
     */
    public NativeLayeredBufferLoss(HungarianConfig config) {
        NativeBackend.instance();
        if (config == null) {
            throw new InvalidInputException("config", "is null");
        }
        this.cfg = NativeConfig.pack(config);
    }

    /**
     * Costs, exact matching, loss and (when {@code out} has gradients) gradients of every layer.
     *
     * @param layers L &gt;= 1 decoder layers, with {@code L*B*Q < 2^31}
     * @param in     the shape of one layer, the L layers' predictions and the shared targets, all set
     * @param out    the L layers' assignments (required), matching costs and gradients (optional)
     * @return the terms of each layer, index = layer (the loss of all layers is the sum of their totals)
     * @throws InvalidInputException              naming the field when {@code layers} is out of range, a region is
     *                                            missing, has a negative position or is too small, or a value is
     *                                            bad (naming the layer where it lies)
     * @throws dev.hungarian4j.HungarianException when the native call fails otherwise
     */
    public LossTerms[] forward(int layers, BufferBatch in, BufferOutputs out) {
        if (in == null) {
            throw new InvalidInputException("in", "is null");
        }
        if (out == null) {
            throw new InvalidInputException("out", "is null");
        }
        BatchShape.checkLogits(in, cfg);
        int batch = in.batch();
        long rows = (long) batch * in.queries();
        if (layers < 1) {
            throw new InvalidInputException("layers", "is " + layers + "; must be >= 1");
        }
        if (rows * layers > Integer.MAX_VALUE) {
            throw new InvalidInputException("layers", "gives L*B*Q = " + rows * layers + " predictions; at most "
                    + Integer.MAX_VALUE + " (32-bit assignment indices)");
        }
        long all = rows * layers;
        int c = in.numLogits();
        BufferViews.require("offsets", in.offsets, batch + 1L);
        Scratch s = SCRATCH.get();
        if (s.offsets.length < batch + 1) {
            s.offsets = new int[batch + 1];
        }
        if (s.terms.length < 5 * layers) {
            s.terms = new double[5 * layers];
        }
        int[] offsets = s.offsets;
        in.offsets.get(offsets, 0, batch + 1); // one snapshot: the native side reads what is checked here
        int t = offsets[batch];
        if (t < 0) {
            throw new InvalidInputException("offsets[" + batch + "]", "is " + t + "; must be >= 0");
        }
        BufferViews.require("pred_logits", in.logits, all * c);
        BufferViews.require("pred_boxes", in.boxes, all * 4);
        BufferViews.require("labels", in.labels, t);
        BufferViews.require("target_boxes", in.targetBoxes, 4L * t);
        BufferViews.require("assign_out", out.assign, all);
        if (out.matchingCost != null) {
            BufferViews.require("matching_cost_out", out.matchingCost, (long) batch * layers);
        }
        if (out.gradLogits != null) {
            BufferViews.require("grad_logits", out.gradLogits, all * c);
            BufferViews.require("grad_boxes", out.gradBoxes, all * 4);
        }
        double[] terms = s.terms;
        NativeStatus.check(NativeLibrary.h4j_cpu_forward_layers(layers, batch, in.queries(), c, in.logits, in.boxes,
                offsets, in.labels, in.targetBoxes, cfg, out.assign, out.matchingCost, terms, out.gradLogits,
                out.gradBoxes), "h4j_cpu_forward_layers");
        LossTerms[] result = new LossTerms[layers];
        for (int l = 0; l < layers; l++) {
            result[l] = new LossTerms(terms[5 * l], terms[5 * l + 1], terms[5 * l + 2], terms[5 * l + 3]);
        }
        return result;
    }
}

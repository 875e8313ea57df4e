package dev.hungarian4j.natives;

import dev.hungarian4j.BackendKind;
import dev.hungarian4j.BackendStatus;
import dev.hungarian4j.Batch;
import dev.hungarian4j.HungarianConfig;
import dev.hungarian4j.LossTerms;
import dev.hungarian4j.MatcherKind;
import dev.hungarian4j.MatcherReport;
import dev.hungarian4j.Matching;
import dev.hungarian4j.Predictions;
import dev.hungarian4j.Targets;
import dev.hungarian4j.spi.ComputeBackend;
import org.bytedeco.javacpp.FloatPointer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The C++ CPU backend through JavaCPP. Thread-safe: the native side keeps per-thread workspaces and shares
 * one worker pool without oversubscribing.
 */
public final class NativeBackend implements ComputeBackend {
    private static final NativeBackend INSTANCE = new NativeBackend();
    /** H4J_ERR_INTERNAL: the status of a glue call that did not report one. */
    private static final int H4J_ERR_INTERNAL = 5;

    private NativeBackend() {
    }

    /**
     * Whether the native library loaded, with its version or the load error. Loading is tried once per JVM.
     *
     * @return the status of the {@code native} backend
     */
    public static BackendStatus status() {
        String err = NativeLoader.error();
        if (err != null) {
            return new BackendStatus(BackendKind.NATIVE, false, err);
        }
        return new BackendStatus(BackendKind.NATIVE, true,
                "libhungarian4j " + NativeLibrary.h4j_version() + ", " + Runtime.getRuntime().availableProcessors()
                        + " cores, Java arrays " + InPlaceArrays.describe());
    }

    /**
     * Caps the threads one native CPU call may use, the calling thread included ({@code h4j_set_max_threads}):
     * {@code 0} = every core (the default), {@code 1} = serial. A training framework that already keeps the cores
     * busy (data loading, its own kernels) sets it to leave them room. Results never depend on it. Applies to every
     * native CPU call of this JVM from then on; the CUDA kernels are not affected.
     *
     * @param maxThreads 0 for all cores, else the maximum number of threads per call (&gt;= 1)
     * @return the previous cap (0 = all cores); 0 when the native library is not loaded (nothing to cap)
     * @throws IllegalArgumentException when {@code maxThreads} is negative
     */
    public static int setMaxThreads(int maxThreads) {
        if (maxThreads < 0) {
            throw new IllegalArgumentException("maxThreads is " + maxThreads + "; must be >= 0 (0 = all cores)");
        }
        return NativeLoader.error() != null ? 0 : NativeLibrary.h4j_set_max_threads(maxThreads);
    }

    /**
     * The backend.
     *
     * @return the single instance
     * @throws dev.hungarian4j.BackendUnavailableException when the library did not load
     */
    public static NativeBackend instance() {
        if (NativeLoader.error() != null) {
            throw new dev.hungarian4j.BackendUnavailableException("backend native is not available: "
                    + NativeLoader.error());
        }
        return INSTANCE;
    }

    /**
     * Frees the calling thread's staging memory now. A thread that calls the native backend's stages
     * ({@code costBlocks}, {@code match}, {@code loss}) where arrays are not taken in place, or the CUDA backend, with
     * Java arrays keeps native buffers the size of the largest logits, boxes, gradients and cost blocks it has passed,
     * for reuse by its next call; they are otherwise freed only after the thread ends (the whole pipeline stages
     * nothing here: the native pool copies it item by item). Call this when a thread is done with the
     * loss for a while (for example at the end of an epoch in a pool thread); the next call allocates them again.
     * Safe to call at any time on any thread, also when the library did not load. {@link NativeBufferLoss} keeps no
     * such buffers (only a copy of the B+1 offsets).
     */
    public static void releaseThreadBuffers() {
        if (NativeLoader.error() == null) {
            ArrayStaging.release();
        }
    }

    @Override
    public BackendKind kind() {
        return BackendKind.NATIVE;
    }

    @Override
    public void costBlocks(HungarianConfig config, Batch batch, float[] costOut) {
        Predictions p = batch.predictions();
        Targets t = batch.targets();
        ArrayStaging st = ArrayStaging.current();
        int[] offsets = st.offsets(t); // checked against the labels and boxes: they may have changed since
        int n = costCount(p.queries(), offsets[p.batch()]);
        need("cost_out", costOut, costOut == null ? 0 : costOut.length, n);
        if (InPlaceArrays.ENABLED) {
            NativeStatus.check(NativeLibrary.h4j_cpu_cost_blocks(p.batch(), p.queries(), p.numLogits(),
                    p.logits(), p.boxes(), offsets, t.labels(), t.boxes(), NativeConfig.pack(config), costOut),
                    "h4j_cpu_cost_blocks");
            return;
        }
        NativeStatus.check(NativeLibrary.h4j_cpu_cost_blocks(p.batch(), p.queries(), p.numLogits(),
                st.logits(p), st.boxes(p), offsets, t.labels(), t.boxes(),
                NativeConfig.pack(config), st.costsOut(costOut, n)), "h4j_cpu_cost_blocks");
        st.copyCostsOut(costOut, n);
    }

    @Override
    public Matching match(Batch batch, float[] costs, MatcherKind matcher) {
        ArrayStaging st = ArrayStaging.current();
        int[] offsets = st.offsets(batch.targets());
        int n = costCount(batch.queries(), offsets[batch.batch()]);
        need("costs", costs, costs == null ? 0 : costs.length, n);
        int[] assignment = new int[batch.batch() * batch.queries()];
        double[] cost = new double[batch.batch()];
        if (matcher != MatcherKind.AUCTION && InPlaceArrays.ENABLED) {
            NativeStatus.check(NativeLibrary.h4j_cpu_match_exact(batch.batch(), batch.queries(),
                    offsets, costs, assignment, cost), "h4j_cpu_match_exact");
            return new Matching(batch.batch(), batch.queries(), assignment, cost, null);
        }
        FloatPointer staged = st.costsIn(costs, n);
        if (matcher == MatcherKind.AUCTION) {
            int[] stats = new int[batch.batch() * MatcherReport.STATS_LEN];
            NativeStatus.check(NativeLibrary.h4j_cpu_match_auction(batch.batch(), batch.queries(),
                    offsets, staged, assignment, cost, stats), "h4j_cpu_match_auction");
            return new Matching(batch.batch(), batch.queries(), assignment, cost, new MatcherReport(stats));
        }
        NativeStatus.check(NativeLibrary.h4j_cpu_match_exact(batch.batch(), batch.queries(),
                offsets, staged, assignment, cost), "h4j_cpu_match_exact");
        return new Matching(batch.batch(), batch.queries(), assignment, cost, null);
    }

    @Override
    public LossTerms loss(HungarianConfig config, Batch batch, int[] assignment, float[] gradLogits,
            float[] gradBoxes) {
        Predictions p = batch.predictions();
        Targets t = batch.targets();
        need("assignment", assignment, assignment == null ? 0 : assignment.length, (long) p.batch() * p.queries());
        needGradients(p, gradLogits, gradBoxes);
        double[] terms = new double[5];
        ArrayStaging st = ArrayStaging.current();
        int[] offsets = st.offsets(t);
        if (InPlaceArrays.ENABLED) {
            NativeStatus.check(NativeLibrary.h4j_cpu_loss(p.batch(), p.queries(), p.numLogits(), p.logits(),
                    p.boxes(), offsets, t.labels(), t.boxes(), NativeConfig.pack(config), assignment, terms,
                    gradLogits, gradBoxes), "h4j_cpu_loss");
            return new LossTerms(terms[0], terms[1], terms[2], terms[3]);
        }
        NativeStatus.check(NativeLibrary.h4j_cpu_loss(p.batch(), p.queries(), p.numLogits(),
                st.logits(p), st.boxes(p), offsets, t.labels(), t.boxes(),
                NativeConfig.pack(config), assignment, terms,
                st.gradLogits(p, gradLogits), st.gradBoxes(p, gradBoxes)), "h4j_cpu_loss");
        st.copyGradients(p, gradLogits, gradBoxes);
        return new LossTerms(terms[0], terms[1], terms[2], terms[3]);
    }

    @Override
    public Forward forward(HungarianConfig config, Batch batch, MatcherKind matcher, float[] gradLogits,
            float[] gradBoxes) {
        if (matcher != MatcherKind.EXACT) {
            return ComputeBackend.super.forward(config, batch, matcher, gradLogits, gradBoxes);
        }
        int[] assignment = new int[batch.batch() * batch.queries()];
        double[] cost = new double[batch.batch()];
        double[] terms = new double[5];
        Predictions p = batch.predictions();
        needGradients(p, gradLogits, gradBoxes);
        stagedForward(config, batch, assignment, cost, terms, gradLogits, gradBoxes);
        return new Forward(new Matching(p.batch(), p.queries(), assignment, cost, null),
                new LossTerms(terms[0], terms[1], terms[2], terms[3]));
    }

    /**
     * Every decoder layer in ONE native call (h4j_cpu_forward_layers: one JNI crossing, one pool dispatch over all
     * (layer, image, group) problems) with the exact matcher; the auction runs layer by layer.
     */
    @Override
    public List<Forward> forwardLayers(HungarianConfig config, Batch batch, MatcherKind matcher,
            float[][] gradLogits, float[][] gradBoxes) {
        int layers = batch.layers();
        if (matcher != MatcherKind.EXACT || layers == 1) {
            return ComputeBackend.super.forwardLayers(config, batch, matcher, gradLogits, gradBoxes);
        }
        Predictions p = batch.predictions();
        Targets t = batch.targets();
        needLayerGradients(batch, gradLogits, gradBoxes);
        int rows = p.batch() * p.queries();
        int[] assignment = new int[rows * layers];
        double[] cost = new double[p.batch() * layers];
        double[] terms = new double[5 * layers];
        ArrayStaging st = ArrayStaging.current();
        int[] offsets = st.offsets(t);
        float[][] logits = new float[layers][];
        float[][] boxes = new float[layers][];
        for (int l = 0; l < layers; l++) {
            logits[l] = batch.layer(l).logits();
            boxes[l] = batch.layer(l).boxes();
        }
        if (InPlaceArrays.ENABLED) { // every layer's own arrays in place: no copy of any layer
            int[] status = {H4J_ERR_INTERNAL};
            NativeLibrary.h4j_jni_forward_layers_pinned(layers, p.batch(), p.queries(), p.numLogits(), logits, boxes,
                    offsets, t.labels(), t.boxes(), NativeConfig.pack(config), assignment, cost, terms, gradLogits,
                    gradBoxes, status);
            NativeStatus.check(status[0], "h4j_cpu_forward_layers_v");
        } else { // every layer copied item by item by the pool's threads (JNI array regions)
            regionsForward(layers, batch, offsets, config, logits, boxes, assignment, cost, terms, gradLogits,
                    gradBoxes);
        }
        List<Forward> out = new ArrayList<>(layers);
        for (int l = 0; l < layers; l++) {
            Matching m = new Matching(p.batch(), p.queries(), Arrays.copyOfRange(assignment, l * rows, (l + 1) * rows),
                    Arrays.copyOfRange(cost, l * p.batch(), (l + 1) * p.batch()), null);
            out.add(new Forward(m, new LossTerms(terms[5 * l], terms[5 * l + 1], terms[5 * l + 2], terms[5 * l + 3])));
        }
        return out;
    }

    /**
     * Checks the per-layer gradient arrays of a layered call (both null, or one array per layer of the right
     * length) and that the layers fit one native call's staging.
     */
    static void needLayerGradients(Batch batch, float[][] gradLogits, float[][] gradBoxes) {
        int layers = batch.layers();
        Predictions p = batch.predictions();
        if ((long) p.logits().length * layers * Float.BYTES > Integer.MAX_VALUE) {
            throw new dev.hungarian4j.InvalidInputException("aux_outputs", "make " + layers + " layers of "
                    + p.logits().length + " logits: more than one native call stages (2 GiB)");
        }
        if ((gradLogits == null) != (gradBoxes == null)) {
            throw new dev.hungarian4j.InvalidInputException(gradLogits == null ? "grad_logits" : "grad_boxes",
                    "is null while the other gradient array is not; pass both or neither");
        }
        if (gradLogits != null) {
            need("grad_logits", gradLogits, gradLogits.length, layers);
            need("grad_boxes", gradBoxes, gradBoxes.length, layers);
            for (int l = 0; l < layers; l++) {
                need("grad_logits[" + l + "]", gradLogits[l], gradLogits[l] == null ? 0 : gradLogits[l].length,
                        p.logits().length);
                need("grad_boxes[" + l + "]", gradBoxes[l], gradBoxes[l] == null ? 0 : gradBoxes[l].length,
                        p.boxes().length);
            }
        }
    }

    /**
     * The exact matching into caller-owned arrays: allocates nothing on the Java heap per call (for training loops
     * that reuse their buffers; {@link #match} allocates its result). Same math and results as {@link #match} with
     * {@link MatcherKind#EXACT}.
     *
     * @param batch     the predictions and targets the costs were computed for
     * @param costs     the cost blocks, {@code Q * offsets[B]} floats
     * @param assignOut at least {@code B*Q} ints, overwritten with the target index or -1
     * @param costOut   at least {@code B} doubles, overwritten with each image's optimal cost
     * @throws dev.hungarian4j.InvalidInputException naming {@code costs}, {@code assign_out} or
     *                                               {@code matching_cost_out} when it is null or too short, or
     *                                               the field of a non-finite cost
     * @throws dev.hungarian4j.HungarianException    when the native call fails otherwise
     */
    public void matchInto(Batch batch, float[] costs, int[] assignOut, double[] costOut) {
        int rows = batch.batch() * batch.queries();
        ArrayStaging st = ArrayStaging.current();
        int[] offsets = st.offsets(batch.targets());
        int n = costCount(batch.queries(), offsets[batch.batch()]);
        need("costs", costs, costs == null ? 0 : costs.length, n);
        need("assign_out", assignOut, assignOut == null ? 0 : assignOut.length, rows);
        need("matching_cost_out", costOut, costOut == null ? 0 : costOut.length, batch.batch());
        if (InPlaceArrays.ENABLED) {
            NativeStatus.check(NativeLibrary.h4j_cpu_match_exact(batch.batch(), batch.queries(),
                    offsets, costs, assignOut, costOut), "h4j_cpu_match_exact");
            return;
        }
        NativeStatus.check(NativeLibrary.h4j_cpu_match_exact(batch.batch(), batch.queries(),
                offsets, st.costsIn(costs, n),
                assignOut, costOut), "h4j_cpu_match_exact");
    }

    /**
     * The whole exact pipeline (costs, matching, loss, gradients) in one native call into caller-owned arrays:
     * allocates nothing on the Java heap per call once the config has been packed (it is cached). Same results as
     * {@link #forward} with {@link MatcherKind#EXACT}.
     *
     * @param config     the cost and loss configuration
     * @param batch      the predictions and targets
     * @param assignOut  at least {@code B*Q} ints: target index or -1
     * @param costOut    at least {@code B} doubles: each image's optimal matching cost
     * @param termsOut   at least 5 doubles: {@code ce, bbox, giou, total,} and the normalizer {@code num_boxes}
     * @param gradLogits null, or at least {@code B*Q*(K+1)} floats to overwrite with the gradient
     * @param gradBoxes  null, or at least {@code B*Q*4} floats to overwrite with the gradient; pass both gradient
     *                   arrays or neither
     * @throws dev.hungarian4j.InvalidInputException naming the output array ({@code assign_out},
     *                                               {@code matching_cost_out}, {@code terms_out},
     *                                               {@code grad_logits}, {@code grad_boxes}) when it is null or
     *                                               too short, or when only one gradient array is given
     * @throws dev.hungarian4j.HungarianException    when the native call fails otherwise
     */
    public void forwardInto(HungarianConfig config, Batch batch, int[] assignOut, double[] costOut, double[] termsOut,
            float[] gradLogits, float[] gradBoxes) {
        Predictions p = batch.predictions();
        Targets t = batch.targets();
        need("assign_out", assignOut, assignOut == null ? 0 : assignOut.length, (long) p.batch() * p.queries());
        need("matching_cost_out", costOut, costOut == null ? 0 : costOut.length, p.batch());
        need("terms_out", termsOut, termsOut == null ? 0 : termsOut.length, 5);
        needGradients(p, gradLogits, gradBoxes);
        stagedForward(config, batch, assignOut, costOut, termsOut, gradLogits, gradBoxes);
    }

    /**
     * One native call for costs, exact matching, loss and gradients: the cost blocks stay native. The arrays go in
     * place where {@link InPlaceArrays} allows it, else through the per-thread staging buffers.
     */
    private static void stagedForward(HungarianConfig config, Batch batch, int[] assignOut, double[] costOut,
            double[] termsOut, float[] gradLogits, float[] gradBoxes) {
        Predictions p = batch.predictions();
        Targets t = batch.targets();
        ArrayStaging st = ArrayStaging.current();
        int[] offsets = st.offsets(t);
        if (InPlaceArrays.ENABLED) {
            NativeStatus.check(NativeLibrary.h4j_cpu_forward(p.batch(), p.queries(), p.numLogits(), p.logits(),
                    p.boxes(), offsets, t.labels(), t.boxes(), NativeConfig.pack(config), assignOut, costOut,
                    termsOut, gradLogits, gradBoxes), "h4j_cpu_forward");
            return;
        }
        try {
            regionsForward(1, batch, offsets, config, st.oneLayer(0, p.logits()), st.oneLayer(1, p.boxes()),
                    assignOut, costOut, termsOut, st.oneLayer(2, gradLogits), st.oneLayer(3, gradBoxes));
        } finally {
            st.clearOneLayer();
        }
    }

    /**
     * h4j_cpu_forward_layers_io through the JNI glue: {@code layers} layers' arrays copied item by item into the
     * pool threads' scratch and the gradients out of it (no critical region). Every array has been checked by the
     * caller but the pairing of the gradients, checked here.
     */
    private static void regionsForward(int layers, Batch batch, int[] offsets, HungarianConfig config,
            float[][] logits, float[][] boxes, int[] assignOut, double[] costOut, double[] termsOut,
            float[][] gradLogits, float[][] gradBoxes) {
        if ((gradLogits == null) != (gradBoxes == null)) {
            throw new dev.hungarian4j.InvalidInputException(gradLogits == null ? "grad_logits" : "grad_boxes",
                    "is null while the other gradient array is not; pass both or neither");
        }
        Predictions p = batch.predictions();
        Targets t = batch.targets();
        int[] status = {H4J_ERR_INTERNAL};
        NativeLibrary.h4j_jni_forward_layers_regions(layers, p.batch(), p.queries(), p.numLogits(), logits, boxes,
                offsets, t.labels(), t.boxes(), NativeConfig.pack(config), assignOut, costOut, termsOut, gradLogits,
                gradBoxes, status);
        NativeStatus.check(status[0], layers == 1 ? "h4j_cpu_forward" : "h4j_cpu_forward_layers");
    }

    /** {@code Q * offsets[B]}: the floats of a batch's cost blocks. */
    static int costCount(Batch batch) {
        return batch.costCount();
    }

    /** {@code queries * total}, refused when it does not fit a Java array. */
    static int costCount(int queries, int total) {
        long n = (long) queries * total;
        if (n > Integer.MAX_VALUE) {
            throw new dev.hungarian4j.InvalidInputException("targets", "give Q * total targets = " + n
                    + " cost entries; at most " + Integer.MAX_VALUE + " fit 32-bit indexing (split the batch)");
        }
        return (int) n;
    }

    /** The gradient arrays' lengths (each may be null), checked before anything is copied out into them. */
    static void needGradients(Predictions p, float[] gradLogits, float[] gradBoxes) {
        if (gradLogits != null) {
            need("grad_logits", gradLogits, gradLogits.length, p.logits().length);
        }
        if (gradBoxes != null) {
            need("grad_boxes", gradBoxes, gradBoxes.length, p.boxes().length);
        }
    }

    static void need(String name, Object array, int length, long required) {
        if (array == null) {
            throw new dev.hungarian4j.InvalidInputException(name, "is null");
        }
        if (length < required) {
            throw new dev.hungarian4j.InvalidInputException(name, "has " + length + " elements; needs at least "
                    + required);
        }
    }
}

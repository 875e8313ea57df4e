package dev.hungarian4j;

import dev.hungarian4j.spi.ComputeBackend;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The DETR Hungarian loss: matching costs, an optimal matching per image, the loss and its gradients.
 * Thread-safe: one instance can serve many threads. contract.md §3: a {@link Batch} with aux layers is matched and
 * lost layer by layer in one call; query groups, an external normalizer and the focal loss come from the
 * {@link HungarianConfig}. A null batch or matching, one array passed as two gradient outputs, or a matching of
 * another shape is an {@link InvalidInputException} naming the argument.
 *
 * <pre>{@code
 * HungarianLoss loss = HungarianLoss.create(HungarianConfig.DEFAULTS, BackendKind.AUTO);
 * LossResult r = loss.compute(new Batch(predictions, targets), true);
 * double total = r.loss().total();
 * float[] dLogits = r.gradLogits();
 * }</pre>
 */
public final class HungarianLoss {
    private final HungarianConfig config;
    private final ComputeBackend backend;
    private final String reason;
    private final MatcherKind matcher;

    private HungarianLoss(HungarianConfig config, Backends.Selection selection, MatcherKind matcher) {
        this.config = config;
        this.backend = selection.backend();
        this.reason = selection.reason();
        this.matcher = matcher != null ? matcher
                : backend.kind() == BackendKind.CUDA ? MatcherKind.AUCTION : MatcherKind.EXACT;
    }

    /**
     * DETR defaults on the best usable backend ({@link BackendKind#AUTO}: cuda, else native, else jvm) with its
     * default matcher. Never throws for lack of a backend: jvm is always usable.
     *
     * @return a loss with {@link HungarianConfig#DEFAULTS}
     */
    public static HungarianLoss create() {
        return create(HungarianConfig.DEFAULTS, BackendKind.AUTO, null);
    }

    /**
     * The given configuration on the given backend with its default matcher (auction on cuda, exact elsewhere).
     *
     * @param config  the cost and loss configuration, not null
     * @param backend which backend, not null; an unusable explicit choice throws
     * @return the loss
     * @throws BackendUnavailableException when an explicitly requested backend cannot run here
     * @throws NullPointerException        when an argument is null
     */
    public static HungarianLoss create(HungarianConfig config, BackendKind backend) {
        return create(config, backend, null);
    }

    /**
     * The given configuration on the given backend with the given matcher.
     *
     * @param config  the cost and loss configuration, not null
     * @param backend which backend, not null; an unusable explicit choice throws
     * @param matcher which matcher, or null for the default (auction on cuda, exact elsewhere); auction on the jvm
     *                backend runs the native CPU auction, so it needs the native library at call time
     * @return the loss
     * @throws BackendUnavailableException when the backend cannot run here
     * @throws NullPointerException        when {@code config} or {@code backend} is null
     */
    public static HungarianLoss create(HungarianConfig config, BackendKind backend, MatcherKind matcher) {
        if (config == null || backend == null) {
            throw new NullPointerException(config == null ? "config" : "backend");
        }
        return new HungarianLoss(config, Backends.select(backend), matcher);
    }

    /**
     * The configuration.
     *
     * @return the configuration this loss was created with
     */
    public HungarianConfig config() {
        return config;
    }

    /**
     * The backend in use.
     *
     * @return the resolved backend: {@code JVM}, {@code NATIVE} or {@code CUDA}, never {@code AUTO}
     */
    public BackendKind backend() {
        return backend.kind();
    }

    /**
     * Why this backend was chosen (for {@code auto}, what was tried).
     *
     * @return {@code requested}, or for {@code auto} a human-readable account of each backend tried
     */
    public String selectionReason() {
        return reason;
    }

    /**
     * The matcher in use.
     *
     * @return the matcher given to {@code create}, or the backend's default
     */
    public MatcherKind matcher() {
        return matcher;
    }

    /**
     * The cost blocks of all images: block {@code b} ({@code Q x M_b}, row-major) at {@code Q*offsets[b]}.
     *
     * @param batch the predictions and targets, not null
     * @return a new array of {@code Q * Σ_b M_b} floats, owned by the caller
     * @throws HungarianException when a native or CUDA backend fails for a reason other than the input
     */
    public float[] costs(Batch batch) {
        requireBatch(batch);
        config.check(batch);
        float[] c = new float[batch.costCount()];
        backend.costBlocks(config, batch, c);
        return c;
    }

    /**
     * An optimal matching of every image (computes the costs first) of the top layer; with query groups, of every
     * group (each group matched to all of its image's targets; the cost of an image sums its groups).
     *
     * @param batch the predictions and targets, not null
     * @return the matching; its {@link Matching#report()} is non-null when the auction matcher ran
     * @throws BackendUnavailableException when the auction matcher was asked for on the jvm backend and the native
     *                                     library did not load
     * @throws HungarianException          when a native or CUDA backend fails for a reason other than the input
     */
    public Matching match(Batch batch) {
        float[] c = costs(batch);
        int g = config.groups();
        return QueryGroups.fold(backend.match(QueryGroups.view(batch, g), c, matcher), batch, g);
    }

    /**
     * The whole pipeline: costs, matching, loss and, when {@code gradients}, the gradients of the total.
     *
     * @param batch     the predictions and targets, not null
     * @param gradients whether to compute {@code d total / d logits} and {@code d total / d boxes}
     * @return the result; its gradient arrays are newly allocated (owned by the caller), or null when
     *         {@code gradients} is false
     * @throws BackendUnavailableException when the auction matcher was asked for on the jvm backend and the native
     *                                     library did not load
     * @throws HungarianException          when a native or CUDA backend fails for a reason other than the input
     */
    public LossResult compute(Batch batch, boolean gradients) {
        requireBatch(batch);
        config.check(batch);
        if (batch.layers() > 1) {
            return computeLayers(batch, gradients ? gradientArrays(batch, null, null) : null);
        }
        float[] gl = gradients ? new float[batch.predictions().logits().length] : null;
        float[] gb = gradients ? new float[batch.predictions().boxes().length] : null;
        ComputeBackend.Forward f = backend.forward(config, batch, matcher, gl, gb);
        return new LossResult(backend.kind(), f.matching(), f.terms(), config.normalizer(batch), gl, gb);
    }

    /**
     * As {@link #compute(Batch, boolean) compute(batch, true)}, writing the top layer's gradients into caller-owned
     * arrays (a training loop can reuse them every step instead of allocating two arrays the size of the logits).
     * Aux layers' gradients, if the batch has aux layers, are newly allocated: use
     * {@link #computeInto(Batch, float[][], float[][])} to reuse those too. When it throws after the call reached
     * the backend (a value changed since the {@link Batch} was built, a cost beyond float32), the gradient arrays
     * may be partly overwritten.
     *
     * @param batch      the predictions and targets, not null
     * @param gradLogits at least B*Q*numLogits floats, overwritten with {@code d total / d logits}
     * @param gradBoxes  at least B*Q*4 floats, overwritten with {@code d total / d boxes}
     * @return the result; its {@link LossResult#gradLogits()} and {@link LossResult#gradBoxes()} are these arrays
     * @throws InvalidInputException       naming {@code gradLogits} or {@code gradBoxes} when it is null, too
     *                                     short, or the same array as the other
     * @throws BackendUnavailableException when the auction matcher was asked for on the jvm backend and the native
     *                                     library did not load
     * @throws HungarianException          when a native or CUDA backend fails for a reason other than the input
     */
    public LossResult computeInto(Batch batch, float[] gradLogits, float[] gradBoxes) {
        requireBatch(batch);
        checkGradient(batch, "gradLogits", gradLogits, "gradBoxes", gradBoxes);
        requireDistinct(new float[][] {gradLogits}, new float[][] {gradBoxes});
        config.check(batch);
        if (batch.layers() > 1) {
            return computeLayers(batch, gradientArrays(batch, gradLogits, gradBoxes));
        }
        ComputeBackend.Forward f = backend.forward(config, batch, matcher, gradLogits, gradBoxes);
        return new LossResult(backend.kind(), f.matching(), f.terms(), config.normalizer(batch),
                gradLogits, gradBoxes);
    }

    /**
     * The whole pipeline for every decoder layer, writing the gradients of {@code total_all_layers} into
     * caller-owned arrays, one pair per layer: a training loop reuses them every step. On the native backend all
     * layers go through one native call. When it throws after the call reached the backend, the gradient arrays may
     * be partly overwritten.
     *
     * @param batch      the predictions (top layer and aux layers) and targets, not null
     * @param gradLogits {@link Batch#layers()} arrays (index 0 the top layer, {@code 1 + i} aux layer {@code i}), each
     *                   at least B*Q*numLogits floats, overwritten
     * @param gradBoxes  {@link Batch#layers()} arrays of at least B*Q*4 floats, overwritten
     * @return the result; its gradient arrays are these arrays
     * @throws InvalidInputException       naming {@code gradLogits[l]} or {@code gradBoxes[l]} when an array is
     *                                     missing or too short
     * @throws BackendUnavailableException when the auction matcher was asked for on the jvm backend and the native
     *                                     library did not load
     * @throws HungarianException          when a native or CUDA backend fails for a reason other than the input
     */
    public LossResult computeInto(Batch batch, float[][] gradLogits, float[][] gradBoxes) {
        requireBatch(batch);
        int layers = batch.layers();
        if (gradLogits == null || gradLogits.length < layers) {
            throw new InvalidInputException("gradLogits", "has " + (gradLogits == null ? "null" : gradLogits.length)
                    + " arrays; needs one per layer, " + layers);
        }
        if (gradBoxes == null || gradBoxes.length < layers) {
            throw new InvalidInputException("gradBoxes", "has " + (gradBoxes == null ? "null" : gradBoxes.length)
                    + " arrays; needs one per layer, " + layers);
        }
        for (int l = 0; l < layers; l++) {
            checkGradient(batch, "gradLogits[" + l + "]", gradLogits[l], "gradBoxes[" + l + "]", gradBoxes[l]);
        }
        requireDistinct(gradLogits, gradBoxes);
        config.check(batch);
        return computeLayers(batch, new float[][][] {gradLogits, gradBoxes});
    }

    private static void requireBatch(Batch batch) {
        if (batch == null) {
            throw new InvalidInputException("batch", "is null");
        }
    }

    /** Every gradient output its own array: one array passed twice would hold whichever write came last. */
    private static void requireDistinct(float[][] gradLogits, float[][] gradBoxes) {
        int layers = Math.min(gradLogits.length, gradBoxes.length);
        Map<float[], String> seen = new IdentityHashMap<>();
        for (int l = 0; l < layers; l++) {
            String suffix = layers == 1 && gradLogits.length == 1 ? "" : "[" + l + "]";
            for (String name : new String[] {"gradLogits" + suffix, "gradBoxes" + suffix}) {
                float[] a = name.startsWith("gradLogits") ? gradLogits[l] : gradBoxes[l];
                String first = seen.putIfAbsent(a, name);
                if (first != null) {
                    throw new InvalidInputException(name, "is the same array as " + first
                            + "; every gradient needs its own array");
                }
            }
        }
    }

    private static void checkGradient(Batch batch, String nameL, float[] gl, String nameB, float[] gb) {
        int nl = batch.predictions().logits().length;
        int nb = batch.predictions().boxes().length;
        if (gl == null || gl.length < nl) {
            throw new InvalidInputException(nameL, "has " + (gl == null ? "null" : gl.length)
                    + " elements; needs at least " + nl);
        }
        if (gb == null || gb.length < nb) {
            throw new InvalidInputException(nameB, "has " + (gb == null ? "null" : gb.length)
                    + " elements; needs at least " + nb);
        }
    }

    /** One pair of gradient arrays per layer: the given top-layer ones (when non-null), new ones elsewhere. */
    private static float[][][] gradientArrays(Batch batch, float[] topLogits, float[] topBoxes) {
        int layers = batch.layers();
        float[][] gl = new float[layers][];
        float[][] gb = new float[layers][];
        for (int l = 0; l < layers; l++) {
            gl[l] = l == 0 && topLogits != null ? topLogits : new float[batch.predictions().logits().length];
            gb[l] = l == 0 && topBoxes != null ? topBoxes : new float[batch.predictions().boxes().length];
        }
        return new float[][][] {gl, gb};
    }

    private LossResult computeLayers(Batch batch, float[][][] grads) {
        float[][] gl = grads == null ? null : grads[0];
        float[][] gb = grads == null ? null : grads[1];
        List<ComputeBackend.Forward> f = backend.forwardLayers(config, batch, matcher, gl, gb);
        List<LayerResult> aux = new ArrayList<>(batch.layers() - 1);
        for (int l = 1; l < batch.layers(); l++) {
            aux.add(new LayerResult(f.get(l).matching(), f.get(l).terms(), gl == null ? null : gl[l],
                    gb == null ? null : gb[l]));
        }
        return new LossResult(backend.kind(), f.get(0).matching(), f.get(0).terms(),
                config.normalizer(batch), gl == null ? null : gl[0], gb == null ? null : gb[0], aux);
    }

    /**
     * The loss of a given matching (for example one computed elsewhere) for the top layer; gradients when asked.
     *
     * @param batch     the predictions and targets, not null
     * @param matching  a matching of this batch ({@code B*Q} assignment entries, each -1 or in {@code [0, M_b)}),
     *                  not null; it is referenced by the result, not copied
     * @param gradients whether to compute {@code d total / d logits} and {@code d total / d boxes}
     * @return the result, holding {@code matching}; its gradient arrays are newly allocated, or null when
     *         {@code gradients} is false
     * @throws InvalidInputException    naming {@code matching} when it is null or of another B or Q than the batch
     * @throws IllegalArgumentException when the assignment does not fit the batch (on the native backends an
     *                                  {@link InvalidInputException} naming the entry, which also rejects a target
     *                                  matched twice)
     * @throws HungarianException       when a native or CUDA backend fails for a reason other than the input
     */
    public LossResult loss(Batch batch, Matching matching, boolean gradients) {
        requireBatch(batch);
        if (matching == null) {
            throw new InvalidInputException("matching", "is null");
        }
        if (matching.batch() != batch.batch() || matching.queries() != batch.queries()) {
            throw new InvalidInputException("matching", "is for B=" + matching.batch() + ", Q=" + matching.queries()
                    + "; the batch has B=" + batch.batch() + ", Q=" + batch.queries());
        }
        config.check(batch);
        float[] gl = gradients ? new float[batch.predictions().logits().length] : null;
        float[] gb = gradients ? new float[batch.predictions().boxes().length] : null;
        LossTerms terms = backend.loss(config, batch, matching.assignment(), gl, gb);
        return new LossResult(backend.kind(), matching, terms, config.normalizer(batch), gl, gb);
    }
}

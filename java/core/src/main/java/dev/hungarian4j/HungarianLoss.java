package dev.hungarian4j;

import dev.hungarian4j.spi.ComputeBackend;

/**
 * The DETR Hungarian loss: matching costs, an optimal matching per image, the loss and its gradients.
 * Thread-safe: one instance can serve many threads.
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

    /** DETR defaults on the best usable backend. */
    public static HungarianLoss create() {
        return create(HungarianConfig.DEFAULTS, BackendKind.AUTO, null);
    }

    /** The given configuration on the given backend with its default matcher. */
    public static HungarianLoss create(HungarianConfig config, BackendKind backend) {
        return create(config, backend, null);
    }

    /**
     * @param config  the cost and loss configuration
     * @param backend which backend; an unusable explicit choice throws
     * @param matcher which matcher, or null for the default (auction on cuda, exact elsewhere)
     * @throws BackendUnavailableException when the backend cannot run here
     */
    public static HungarianLoss create(HungarianConfig config, BackendKind backend, MatcherKind matcher) {
        if (config == null || backend == null) {
            throw new NullPointerException(config == null ? "config" : "backend");
        }
        return new HungarianLoss(config, Backends.select(backend), matcher);
    }

    /** The configuration. */
    public HungarianConfig config() {
        return config;
    }

    /** The backend in use. */
    public BackendKind backend() {
        return backend.kind();
    }

    /** Why this backend was chosen (for {@code auto}, what was tried). */
    public String selectionReason() {
        return reason;
    }

    /** The matcher in use. */
    public MatcherKind matcher() {
        return matcher;
    }

    /** The cost blocks of all images: block {@code b} ({@code Q x M_b}, row-major) at {@code Q*offsets[b]}. */
    public float[] costs(Batch batch) {
        float[] c = new float[batch.queries() * batch.targets().total()];
        backend.costBlocks(config, batch, c);
        return c;
    }

    /** An optimal matching of every image. */
    public Matching match(Batch batch) {
        return backend.match(batch, costs(batch), matcher);
    }

    /**
     * The whole pipeline: costs, matching, loss and, when {@code gradients}, the gradients of the total.
     */
    public LossResult compute(Batch batch, boolean gradients) {
        float[] gl = gradients ? new float[batch.predictions().logits().length] : null;
        float[] gb = gradients ? new float[batch.predictions().boxes().length] : null;
        ComputeBackend.Forward f = backend.forward(config, batch, matcher, gl, gb);
        return new LossResult(backend.kind().cliName(), f.matching(), f.terms(), ComputeBackend.numBoxes(batch), gl,
                gb);
    }

    /**
     * As {@link #compute(Batch, boolean) compute(batch, true)}, writing the gradients into caller-owned arrays
     * (a training loop can reuse them every step instead of allocating two arrays the size of the logits).
     *
     * @param gradLogits at least B*Q*(K+1) floats, overwritten with {@code d total / d logits}
     * @param gradBoxes  at least B*Q*4 floats, overwritten with {@code d total / d boxes}
     * @return the result; its {@link LossResult#gradLogits()} and {@link LossResult#gradBoxes()} are these arrays
     * @throws InvalidInputException when an array is null or too short
     */
    public LossResult computeInto(Batch batch, float[] gradLogits, float[] gradBoxes) {
        int nl = batch.predictions().logits().length;
        int nb = batch.predictions().boxes().length;
        if (gradLogits == null || gradLogits.length < nl) {
            throw new InvalidInputException("gradLogits", "has " + (gradLogits == null ? "null" : gradLogits.length)
                    + " elements; needs at least " + nl);
        }
        if (gradBoxes == null || gradBoxes.length < nb) {
            throw new InvalidInputException("gradBoxes", "has " + (gradBoxes == null ? "null" : gradBoxes.length)
                    + " elements; needs at least " + nb);
        }
        ComputeBackend.Forward f = backend.forward(config, batch, matcher, gradLogits, gradBoxes);
        return new LossResult(backend.kind().cliName(), f.matching(), f.terms(), ComputeBackend.numBoxes(batch),
                gradLogits, gradBoxes);
    }

    /** The loss of a given matching (for example one computed elsewhere); gradients when asked. */
    public LossResult loss(Batch batch, Matching matching, boolean gradients) {
        float[] gl = gradients ? new float[batch.predictions().logits().length] : null;
        float[] gb = gradients ? new float[batch.predictions().boxes().length] : null;
        LossTerms terms = backend.loss(config, batch, matching.assignment(), gl, gb);
        return new LossResult(backend.kind().cliName(), matching, terms, ComputeBackend.numBoxes(batch), gl, gb);
    }
}

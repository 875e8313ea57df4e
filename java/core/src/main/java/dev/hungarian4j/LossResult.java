package dev.hungarian4j;

import java.util.List;

/**
 * Everything one loss call returns: the matching, the loss terms, the normalizer and, when asked for, the
 * gradients of {@code total} with respect to the predictions (matching held fixed); with auxiliary decoder layers
 * (contract.md §3) also each aux layer's {@link LayerResult} and {@code total_all_layers}.
 */
public final class LossResult {
    private final BackendKind backend;
    private final Matching matching;
    private final LossTerms loss;
    private final double numBoxes;
    private final float[] gradLogits;
    private final float[] gradBoxes;
    private final List<LayerResult> aux;

    /**
     * Holds the parts of a result; nothing is copied.
     *
     * @param backend    the backend that computed it: {@code JVM}, {@code NATIVE} or {@code CUDA}
     * @param matching   the optimal matching
     * @param loss       the loss terms
     * @param numBoxes   the normalizer ({@link HungarianConfig#normalizer(Batch)})
     * @param gradLogits {@code d total / d logits} (B*Q*(K+1) floats, row-major), or null; kept, not copied
     * @param gradBoxes  {@code d total / d boxes} (B*Q*4 floats, row-major), or null; kept, not copied
     */
    public LossResult(BackendKind backend, Matching matching, LossTerms loss, double numBoxes, float[] gradLogits,
            float[] gradBoxes) {
        this(backend, matching, loss, numBoxes, gradLogits, gradBoxes, List.of());
    }

    /**
     * Holds the parts of a result with auxiliary decoder layers; nothing is copied.
     *
     * @param backend    the backend that computed it: {@code JVM}, {@code NATIVE} or {@code CUDA}
     * @param matching   the top layer's optimal matching
     * @param loss       the top layer's loss terms
     * @param numBoxes   the normalizer ({@link HungarianConfig#normalizer(Batch)}), shared by every layer
     * @param gradLogits {@code d total_all_layers / d logits} of the top layer, or null; kept, not copied
     * @param gradBoxes  {@code d total_all_layers / d boxes} of the top layer, or null; kept, not copied
     * @param aux        one result per aux layer, in {@code aux_outputs} order; not null
     */
    public LossResult(BackendKind backend, Matching matching, LossTerms loss, double numBoxes, float[] gradLogits,
            float[] gradBoxes, List<LayerResult> aux) {
        this.aux = List.copyOf(aux);
        this.backend = backend;
        this.matching = matching;
        this.loss = loss;
        this.numBoxes = numBoxes;
        this.gradLogits = gradLogits;
        this.gradBoxes = gradBoxes;
    }

    /**
     * The backend that computed this result.
     *
     * @return {@link BackendKind#JVM}, {@link BackendKind#NATIVE} or {@link BackendKind#CUDA}, never AUTO
     */
    public BackendKind backend() {
        return backend;
    }

    /**
     * The matching.
     *
     * @return the matching the loss was computed with
     */
    public Matching matching() {
        return matching;
    }

    /**
     * The loss terms.
     *
     * @return the terms, already reduced as the configuration asks
     */
    public LossTerms loss() {
        return loss;
    }

    /**
     * The normalizer used by the {@code detr} reduction (reported in both).
     *
     * @return {@code (num_boxes or max(1, Σ_b M_b)) · groups}, whatever the reduction
     */
    public double numBoxes() {
        return numBoxes;
    }

    /**
     * Whether gradients were computed.
     *
     * @return true when {@link #gradLogits()} is non-null
     */
    public boolean hasGradients() {
        return gradLogits != null;
    }

    /**
     * {@code d total / d pred_logits}, B*Q*(K+1), or null without gradients.
     *
     * @return the gradient array itself (not a copy), or null
     */
    public float[] gradLogits() {
        return gradLogits;
    }

    /**
     * {@code d total / d pred_boxes}, B*Q*4, or null without gradients.
     *
     * @return the gradient array itself (not a copy), or null
     */
    public float[] gradBoxes() {
        return gradBoxes;
    }

    /**
     * The auxiliary decoder layers' results.
     *
     * @return one entry per aux layer in {@code aux_outputs} order (unmodifiable; empty without aux layers)
     */
    public List<LayerResult> aux() {
        return aux;
    }

    /**
     * The sum of every layer's total: what a training step back-propagates.
     *
     * @return {@code loss().total()} plus every aux layer's total
     */
    public double totalAllLayers() {
        double t = loss.total();
        for (LayerResult r : aux) {
            t += r.loss().total();
        }
        return t;
    }

    /** A summary for logs: backend, loss terms, normalizer, matched pairs per image, gradients present. */
    @Override
    public String toString() {
        return "LossResult{backend=" + backend.cliName() + ", loss=" + loss + ", numBoxes=" + numBoxes
                + ", matching=" + matching + (aux.isEmpty() ? "" : ", auxLayers=" + aux.size()) + ", gradients="
                + hasGradients() + "}";
    }
}

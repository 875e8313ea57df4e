package dev.hungarian4j.spi;

import dev.hungarian4j.Batch;
import dev.hungarian4j.BackendKind;
import dev.hungarian4j.HungarianConfig;
import dev.hungarian4j.LossTerms;
import dev.hungarian4j.Matching;
import dev.hungarian4j.MatcherKind;

/**
 * A compute backend: the three pipeline stages on the shared flat layout. Inputs arrive validated by the
 * public API. Implementations are thread-safe (per-thread workspaces).
 */
public interface ComputeBackend {
    /**
     * Which backend this is.
     *
     * @return {@code JVM}, {@code NATIVE} or {@code CUDA}
     */
    BackendKind kind();

    /**
     * Fills every image's {@code Q x M_b} cost block, block {@code b} at {@code costOut[Q*offsets[b]]}.
     *
     * @param config  the matching-cost weights and class cost
     * @param batch   the predictions and targets
     * @param costOut at least {@code Q * Σ M_b} floats, overwritten; block {@code b} is row-major
     */
    void costBlocks(HungarianConfig config, Batch batch, float[] costOut);

    /**
     * Optimal matching of every image on precomputed cost blocks.
     *
     * @param batch   the predictions and targets the costs were computed for
     * @param costs   the cost blocks as {@link #costBlocks} lays them out; read only
     * @param matcher which matcher to run
     * @return the matching, with a {@link dev.hungarian4j.MatcherReport} when the auction ran
     * @throws dev.hungarian4j.BackendUnavailableException when this backend cannot run {@code matcher}
     */
    Matching match(Batch batch, float[] costs, MatcherKind matcher);

    /**
     * Loss terms with the matching fixed; gradients when the arrays are non-null (they are overwritten).
     *
     * @param config     the loss weights, {@code eos_coef} and reduction
     * @param batch      the predictions and targets
     * @param assignment {@code B*Q} image-local target indices or -1, a matching of {@code batch}
     * @param gradLogits null, or at least B*Q*(K+1) floats to overwrite with {@code d total / d logits}
     * @param gradBoxes  null, or at least B*Q*4 floats to overwrite with {@code d total / d boxes}; the native
     *                   backends want both gradient arrays or neither
     * @return the terms; the normalizer is {@link #numBoxes(Batch)}
     */
    LossTerms loss(HungarianConfig config, Batch batch, int[] assignment, float[] gradLogits, float[] gradBoxes);

    /**
     * The whole pipeline in one call; backends override it to fuse stages (the default runs the three).
     *
     * @param config     the cost and loss configuration
     * @param batch      the predictions and targets
     * @param matcher    which matcher to run
     * @param gradLogits null, or B*Q*(K+1) floats to overwrite with the gradient
     * @param gradBoxes  null, or B*Q*4 floats to overwrite with the gradient
     * @return the matching and the loss terms computed with it
     * @throws dev.hungarian4j.BackendUnavailableException when this backend cannot run {@code matcher}
     */
    default Forward forward(HungarianConfig config, Batch batch, MatcherKind matcher, float[] gradLogits,
            float[] gradBoxes) {
        float[] costs = new float[batch.queries() * batch.targets().total()];
        costBlocks(config, batch, costs);
        Matching m = match(batch, costs, matcher);
        return new Forward(m, loss(config, batch, m.assignment(), gradLogits, gradBoxes));
    }

    /**
     * A matching and the loss terms computed with it.
     *
     * @param matching the optimal matching
     * @param terms    the loss terms with that matching held fixed
     */
    record Forward(Matching matching, LossTerms terms) {
    }

    /**
     * The normalizer {@code max(1, Σ M_b)}.
     *
     * @param batch the batch
     * @return the total number of targets, at least 1
     */
    static double numBoxes(Batch batch) {
        return Math.max(1, batch.targets().total());
    }
}

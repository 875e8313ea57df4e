package dev.hungarian4j.spi;

import dev.hungarian4j.Batch;
import dev.hungarian4j.BackendKind;
import dev.hungarian4j.HungarianConfig;
import dev.hungarian4j.LossTerms;
import dev.hungarian4j.Matching;
import dev.hungarian4j.MatcherKind;
import dev.hungarian4j.QueryGroups;

import java.util.ArrayList;
import java.util.List;

/**
 * A compute backend: the three pipeline stages on the shared flat layout. Inputs arrive validated by the
 * public API (including {@link HungarianConfig#check(Batch)}). Implementations are thread-safe (per-thread
 * workspaces). contract.md §3: {@link #costBlocks} and {@link #loss} apply the configuration's focal loss, groups
 * and normalizer; {@link #match} matches images, so query groups reach it as {@link QueryGroups#view} images.
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
     * @param config     the loss weights, {@code eos_coef}, reduction, groups, normalizer and loss class
     * @param batch      the predictions and targets (the top layer; aux layers are ignored)
     * @param assignment {@code B*Q} image-local target indices or -1, a matching of {@code batch} (of each query
     *                   group, with groups)
     * @param gradLogits null, or at least B*Q*(K+1) floats to overwrite with {@code d total / d logits}
     * @param gradBoxes  null, or at least B*Q*4 floats to overwrite with {@code d total / d boxes}; the native
     *                   backends want both gradient arrays or neither
     * @return the terms; the normalizer is {@link HungarianConfig#normalizer(Batch)}
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
        float[] costs = new float[batch.costCount()];
        costBlocks(config, batch, costs);
        int g = config.groups();
        Matching m = QueryGroups.fold(match(QueryGroups.view(batch, g), costs, matcher), batch, g);
        return new Forward(m, loss(config, batch, m.assignment(), gradLogits, gradBoxes));
    }

    /**
     * The whole pipeline for every decoder layer of the batch (the top one and its aux layers, contract.md §3):
     * each layer matched and lost on its own with the same targets, configuration and normalizer. Backends
     * override it to run all layers in one call (the default runs {@link #forward} per layer).
     *
     * @param config     the cost and loss configuration
     * @param batch      the predictions of {@link Batch#layers()} layers and the targets
     * @param matcher    which matcher to run
     * @param gradLogits null (no gradients), or one array per layer (index 0 the top layer, {@code 1 + i} aux layer
     *                   {@code i}) of B*Q*numLogits floats to overwrite
     * @param gradBoxes  null, or one array per layer of B*Q*4 floats to overwrite; given together with
     *                   {@code gradLogits}
     * @return one matching and its terms per layer, in the same order
     * @throws dev.hungarian4j.BackendUnavailableException when this backend cannot run {@code matcher}
     */
    default List<Forward> forwardLayers(HungarianConfig config, Batch batch, MatcherKind matcher,
            float[][] gradLogits, float[][] gradBoxes) {
        List<Forward> out = new ArrayList<>(batch.layers());
        for (int l = 0; l < batch.layers(); l++) {
            out.add(forward(config, batch.layerBatch(l), matcher, gradLogits == null ? null : gradLogits[l],
                    gradBoxes == null ? null : gradBoxes[l]));
        }
        return out;
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

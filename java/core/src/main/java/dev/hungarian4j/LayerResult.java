package dev.hungarian4j;

/**
 * One auxiliary decoder layer's part of a {@link LossResult} (contract.md §3, {@code aux_outputs}): its own optimal
 * matching, loss terms and, when asked for, the gradients of {@code total_all_layers} with respect to that layer's
 * predictions (which are those of the layer's own total).
 *
 * @param matching   the layer's optimal matching
 * @param loss       the layer's loss terms (same configuration and normalizer as the top layer)
 * @param gradLogits {@code d total_all_layers / d logits} of this layer, or null without gradients; not a copy
 * @param gradBoxes  {@code d total_all_layers / d boxes} of this layer, or null without gradients; not a copy
 */
public record LayerResult(Matching matching, LossTerms loss, float[] gradLogits, float[] gradBoxes) {
}

package dev.hungarian4j.djl;

import ai.djl.ndarray.NDArray;
import dev.hungarian4j.LossTerms;

/**
 * One step's criterion: the loss as a DJL scalar wired into autograd, its terms, and the matching.
 *
 * @param loss       the total as a scalar in the predictions' manager; when the predictions require gradients,
 *                   its backward pass hands exactly the library's gradients to them
 * @param terms      ce, bbox, giou and total as the library computed them (CONTRACT.md §1)
 * @param queries    Q, the row length of {@code assignment}
 * @param assignment B*Q entries: the target index (within its image) matched to query {@code q} of image
 *                   {@code b} at {@code b*Q+q}, or -1
 * @param backend    the backend that computed it: {@code native} or {@code jvm}
 */
public record DetrLossOutput(NDArray loss, LossTerms terms, int queries, int[] assignment, String backend) {
}

package dev.hungarian4j.djl;

import ai.djl.ndarray.NDArray;
import dev.hungarian4j.LossTerms;

import java.util.List;

/**
 * One step's criterion: the loss as a DJL scalar wired into autograd, the final decoder layer's terms and matching,
 * and those of the auxiliary layers (contract.md §3) when the predictions carried any.
 *
 * @param loss           the sum of every layer's total ({@link #totalAllLayers()}) as a scalar in the predictions'
 *                       manager; when the predictions require gradients, its backward pass hands exactly the
 *                       library's gradients to them
 * @param terms          ce, bbox, giou and total of the final layer as the library computed them
 * @param queries        Q, the row length of {@code assignment}
 * @param assignment     B*Q entries: the target index (within its image) matched to query {@code q} of image
 *                       {@code b} at {@code b*Q+q} by the final layer, or -1
 * @param auxTerms       the terms of each aux layer in {@code aux_outputs} order (earliest decoder layer first);
 *                       empty without aux layers
 * @param auxAssignments the assignment of each aux layer, in the same order and layout as {@code assignment}
 * @param backend        the backend that computed it: {@code native} or {@code jvm}
 */
public record DetrLossOutput(NDArray loss, LossTerms terms, int queries, int[] assignment, List<LossTerms> auxTerms,
        List<int[]> auxAssignments, String backend) {
    /**
     * The output of one layer.
     *
     * @param loss       the loss scalar
     * @param terms      the terms
     * @param queries    Q
     * @param assignment B*Q entries
     * @param backend    {@code native} or {@code jvm}
     */
    public DetrLossOutput(NDArray loss, LossTerms terms, int queries, int[] assignment, String backend) {
        this(loss, terms, queries, assignment, List.of(), List.of(), backend);
    }

    /**
     * The number of decoder layers that were matched.
     *
     * @return {@code 1 + auxTerms().size()}
     */
    public int layers() {
        return 1 + auxTerms.size();
    }

    /**
     * What the step back-propagates: the final layer's total plus every aux layer's total (contract.md §3
     * {@code total_all_layers}); {@link #terms()}{@code .total()} without aux layers.
     *
     * @return the sum, in double
     */
    public double totalAllLayers() {
        double t = terms.total();
        for (LossTerms a : auxTerms) {
            t += a.total();
        }
        return t;
    }
}

package dev.hungarian4j.jvm;

/**
 * Pure-Java DETR matching cost (contract.md §1): one {@code Q x M_b} block per image, never the
 * {@code (B*Q) x sum(M)} cross-image matrix; images spread over {@link JvmPool}, each computed by
 * {@link ImageKernels#cost}.
 */
public final class JvmCostKernel {

    private JvmCostKernel() {
    }

    /**
     * Fills all ragged cost blocks:
     * {@code C = costClass*classCost + costBbox*L1 + costGiou*(-GIoU)}, with
     * {@code classCost = -softmax[label]} ({@code logProb = false}) or {@code -log_softmax[label]}
     * ({@code logProb = true}), max-subtracted: the softmax in float with a double sum ({@link RowSoftmax}, the
     * native kernels' arithmetic), the box terms in double, stored as float. The block of image
     * {@code b} is row-major at {@code out[Q*offsets[b] + q*M_b + j]}.
     *
     * @param batch       number of images {@code B}
     * @param queries     predictions per image {@code Q}
     * @param numLogits   {@code K+1}; index {@code K} is no-object
     * @param logits      {@code B*Q*numLogits} prediction logits
     * @param boxes       {@code B*Q*4} predicted boxes {@code (cx, cy, w, h)}
     * @param offsets     CSR offsets of the targets, length {@code B+1}, {@code offsets[0] = 0}
     * @param labels      {@code T} target labels in {@code [0, K)}
     * @param targetBoxes {@code T*4} target boxes {@code (cx, cy, w, h)}
     * @param costClass   weight of the class cost
     * @param costBbox    weight of the L1 box cost
     * @param costGiou    weight of the GIoU cost
     * @param logProb     use {@code -log_softmax} instead of {@code -softmax} as class cost
     * @param out         receives the costs; length at least {@code Q*T}
     * @throws IllegalArgumentException on inconsistent shapes, offsets or labels
     */
    public static void costBlocks(int batch, int queries, int numLogits, float[] logits, float[] boxes,
            int[] offsets, int[] labels, float[] targetBoxes, double costClass, double costBbox, double costGiou,
            boolean logProb, float[] out) {
        int total = KernelChecks.inputs(batch, queries, numLogits, logits, boxes, offsets, labels, targetBoxes);
        KernelChecks.length("out", out, (long) queries * total);
        ImageKernels.Problem p = new ImageKernels.Problem(batch, queries, numLogits, logits, boxes, offsets, labels,
                targetBoxes);
        ImageKernels.CostWeights cw = new ImageKernels.CostWeights(costClass, costBbox, costGiou, logProb);
        JvmPool.forEach(batch, p.work(true, false, false), b -> {
            int m = p.targets(b);
            if (m > 0) {
                ImageWork w = ImageWork.current().ensure(queries, numLogits, m, 0, false);
                ImageKernels.cost(p, b, cw, w, out, queries * offsets[b], false); // values checked before (JvmBackend)
            }
        });
    }
}

package dev.hungarian4j.jvm;

/**
 * Pure-Java DETR matching cost (CONTRACT.md §1): one {@code Q x M_b} block per image, never the
 * {@code (B*Q) x sum(M)} cross-image matrix.
 */
public final class JvmCostKernel {

    private JvmCostKernel() {
    }

    /**
     * Fills all ragged cost blocks:
     * {@code C = costClass*classCost + costBbox*L1 + costGiou*(-GIoU)}, with
     * {@code classCost = -softmax[label]} ({@code logProb = false}) or {@code -log_softmax[label]}
     * ({@code logProb = true}), max-subtracted. Math in double, stored as float. The block of image
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
        double[] exps = new double[numLogits];
        for (int b = 0; b < batch; b++) {
            int first = offsets[b];
            int m = offsets[b + 1] - first;
            if (m == 0) {
                continue;
            }
            int block = queries * first;
            for (int q = 0; q < queries; q++) {
                int pred = b * queries + q;
                int lo = pred * numLogits;
                double max = Softmax.max(logits, lo, numLogits);
                double sum = Softmax.expShifted(logits, lo, numLogits, max, exps);
                double logSum = Math.log(sum);
                int po = pred * 4;
                int row = block + q * m;
                for (int j = 0; j < m; j++) {
                    int t = first + j;
                    int label = labels[t];
                    double classCost = logProb ? -((logits[lo + label] - max) - logSum) : -(exps[label] / sum);
                    int to = t * 4;
                    double l1 = Math.abs((double) boxes[po] - targetBoxes[to])
                            + Math.abs((double) boxes[po + 1] - targetBoxes[to + 1])
                            + Math.abs((double) boxes[po + 2] - targetBoxes[to + 2])
                            + Math.abs((double) boxes[po + 3] - targetBoxes[to + 3]);
                    double giou = BoxMath.giou(boxes, po, targetBoxes, to);
                    out[row + j] = (float) (costClass * classCost + costBbox * l1 - costGiou * giou);
                }
            }
        }
    }
}

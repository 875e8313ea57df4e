package dev.hungarian4j.jvm;

import java.util.Arrays;

/**
 * Pure-Java matching cost and loss of the sigmoid focal variant of contract.md §3 (Deformable DETR, DINO,
 * RT-DETR): {@code K} sigmoid logits per prediction and no no-object class. The box terms are those of
 * {@link JvmCostKernel} and {@link JvmLossKernel}.
 */
public final class JvmFocalKernel {
    private JvmFocalKernel() {
    }

    /**
     * Fills all ragged cost blocks as {@link JvmCostKernel#costBlocks} does, with the focal class cost
     * ({@code FocalMath.cost}) of the label's logit in place of the softmax class cost.
     *
     * @param batch       number of images {@code B}
     * @param queries     predictions per image {@code Q}
     * @param numClasses  {@code K >= 1} sigmoid logits per prediction
     * @param logits      {@code B*Q*K} prediction logits
     * @param boxes       {@code B*Q*4} predicted boxes {@code (cx, cy, w, h)}
     * @param offsets     CSR offsets of the targets, length {@code B+1}, {@code offsets[0] = 0}
     * @param labels      {@code T} target labels in {@code [0, K)}
     * @param targetBoxes {@code T*4} target boxes
     * @param costClass   weight of the class cost
     * @param costBbox    weight of the L1 box cost
     * @param costGiou    weight of the GIoU cost
     * @param alpha       focal {@code α} in {@code [0, 1]}
     * @param gamma       focal {@code γ >= 0}
     * @param out         receives the costs; length at least {@code Q*T}
     * @throws IllegalArgumentException on inconsistent shapes, offsets or labels
     */
    public static void costBlocks(int batch, int queries, int numClasses, float[] logits, float[] boxes,
            int[] offsets, int[] labels, float[] targetBoxes, double costClass, double costBbox, double costGiou,
            double alpha, double gamma, float[] out) {
        int total = checks(batch, queries, numClasses, logits, boxes, offsets, labels, targetBoxes);
        KernelChecks.length("out", out, (long) queries * total);
        for (int b = 0; b < batch; b++) {
            int first = offsets[b];
            int m = offsets[b + 1] - first;
            for (int q = 0; q < queries && m > 0; q++) {
                int pred = b * queries + q;
                int lo = pred * numClasses;
                int po = pred * 4;
                int row = queries * first + q * m;
                for (int j = 0; j < m; j++) {
                    int t = first + j;
                    int to = t * 4;
                    double classCost = FocalMath.cost(logits[lo + labels[t]], alpha, gamma);
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

    /**
     * The focal loss with the matching fixed: {@code ce = Σ_{b,q,k} FL(logit, y) / normalizer} ({@code y = 1} for
     * the matched target's label, 0 elsewhere), {@code bbox} and {@code giou} as in {@link JvmLossKernel};
     * {@code sumReduction} drops the denominators. Double accumulation.
     *
     * @param batch          number of images {@code B}
     * @param queries        predictions per image {@code Q}
     * @param numClasses     {@code K >= 1} sigmoid logits per prediction
     * @param logits         {@code B*Q*K} prediction logits
     * @param boxes          {@code B*Q*4} predicted boxes
     * @param offsets        CSR offsets of the targets, length {@code B+1}
     * @param labels         {@code T} target labels in {@code [0, K)}
     * @param targetBoxes    {@code T*4} target boxes
     * @param lossCeWeight   weight of {@code ce} in {@code total}
     * @param lossBboxWeight weight of {@code bbox} in {@code total}
     * @param lossGiouWeight weight of {@code giou} in {@code total}
     * @param alpha          focal {@code α} in {@code [0, 1]}
     * @param gamma          focal {@code γ >= 0}
     * @param sumReduction   {@code true} for {@code "sum"}
     * @param normalizer     the normalizer of all three terms, {@code > 0}
     * @param assignment     {@code B*Q} local target index per prediction, or -1
     * @param gradLogits     {@code null}, or overwritten with {@code d total / d logits} ({@code B*Q*K})
     * @param gradBoxes      {@code null}, or overwritten with {@code d total / d boxes} ({@code B*Q*4})
     * @return {@code {ce, bbox, giou, total, normalizer}}
     * @throws IllegalArgumentException on inconsistent shapes or labels
     * @throws dev.hungarian4j.InvalidInputException naming {@code assign[b][q]} for an entry that is not -1 or a
     *                                               target of its image, or a target matched twice
     */
    public static double[] loss(int batch, int queries, int numClasses, float[] logits, float[] boxes,
            int[] offsets, int[] labels, float[] targetBoxes, double lossCeWeight, double lossBboxWeight,
            double lossGiouWeight, double alpha, double gamma, boolean sumReduction, double normalizer,
            int[] assignment, float[] gradLogits, float[] gradBoxes) {
        checks(batch, queries, numClasses, logits, boxes, offsets, labels, targetBoxes);
        int preds = batch * queries;
        KernelChecks.length("assignment", assignment, preds);
        JvmLossKernel.checkAssignment(batch, queries, offsets, assignment);
        if (gradLogits != null) {
            KernelChecks.length("gradLogits", gradLogits, (long) preds * numClasses);
        }
        if (gradBoxes != null) {
            KernelChecks.length("gradBoxes", gradBoxes, (long) preds * 4);
        }
        double scale = sumReduction ? 1.0 : 1.0 / normalizer;
        double ceSum = 0;
        double l1Sum = 0;
        double giouSum = 0;
        double[] d = new double[1];
        double[] giouGrad = new double[4];
        for (int b = 0; b < batch; b++) {
            int first = offsets[b];
            for (int q = 0; q < queries; q++) {
                int p = b * queries + q;
                int j = assignment[p];
                int label = j >= 0 ? labels[first + j] : -1;
                int lo = p * numClasses;
                for (int k = 0; k < numClasses; k++) {
                    ceSum += FocalMath.lossWithGrad(logits[lo + k], k == label, alpha, gamma, d);
                    if (gradLogits != null) {
                        gradLogits[lo + k] = (float) (lossCeWeight * scale * d[0]);
                    }
                }
                int po = p * 4;
                if (j < 0) {
                    if (gradBoxes != null) {
                        Arrays.fill(gradBoxes, po, po + 4, 0.0f);
                    }
                    continue;
                }
                int to = (first + j) * 4;
                for (int c = 0; c < 4; c++) {
                    l1Sum += Math.abs((double) boxes[po + c] - targetBoxes[to + c]);
                }
                giouSum += 1.0 - BoxMath.giouWithGrad(boxes, po, targetBoxes, to, giouGrad);
                if (gradBoxes != null) {
                    for (int c = 0; c < 4; c++) {
                        double sign = Math.signum((double) boxes[po + c] - targetBoxes[to + c]);
                        gradBoxes[po + c] = (float) (scale * (lossBboxWeight * sign - lossGiouWeight * giouGrad[c]));
                    }
                }
            }
        }
        double ce = ceSum * scale;
        double bbox = l1Sum * scale;
        double giou = giouSum * scale;
        return new double[] {ce, bbox, giou, lossCeWeight * ce + lossBboxWeight * bbox + lossGiouWeight * giou,
            normalizer};
    }

    private static int checks(int batch, int queries, int numClasses, float[] logits, float[] boxes, int[] offsets,
            int[] labels, float[] targetBoxes) {
        if (batch < 0 || queries < 0 || numClasses < 1) {
            throw new IllegalArgumentException("batch, queries must be >= 0 and numClasses >= 1, got " + batch + ", "
                    + queries + ", " + numClasses);
        }
        int total = KernelChecks.offsets(offsets, batch);
        long preds = (long) batch * queries;
        KernelChecks.length("logits", logits, preds * numClasses);
        KernelChecks.length("boxes", boxes, preds * 4);
        KernelChecks.labels(labels, total, numClasses);
        KernelChecks.length("targetBoxes", targetBoxes, 4L * total);
        return total;
    }
}

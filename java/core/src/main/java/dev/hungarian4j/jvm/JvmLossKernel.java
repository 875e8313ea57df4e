package dev.hungarian4j.jvm;

import dev.hungarian4j.InvalidInputException;

import java.util.Arrays;

/**
 * Pure-Java DETR {@code SetCriterion} loss (contract.md §1) with the matching held fixed, and its
 * gradients with respect to the prediction logits and boxes; images spread over {@link JvmPool}, each computed by
 * {@link ImageKernels#loss}.
 */
public final class JvmLossKernel {

    /** Index of {@code ce} in the array returned by {@link #loss}. */
    public static final int CE = 0;
    /** Index of {@code bbox} in the array returned by {@link #loss}. */
    public static final int BBOX = 1;
    /** Index of {@code giou} in the array returned by {@link #loss}. */
    public static final int GIOU = 2;
    /** Index of {@code total} in the array returned by {@link #loss}. */
    public static final int TOTAL = 3;
    /** Index of {@code numBoxes} in the array returned by {@link #loss}. */
    public static final int NUM_BOXES = 4;

    private JvmLossKernel() {
    }

    /**
     * DETR {@code SetCriterion} loss with the matching fixed:
     * {@code ce = sum w(t) * -log_softmax[t] / sum w(t)} (0 when {@code sum w(t) = 0}),
     * {@code bbox = sum_matched L1 / numBoxes}, {@code giou = sum_matched (1 - GIoU) / numBoxes},
     * {@code total = lossCeWeight*ce + lossBboxWeight*bbox + lossGiouWeight*giou}, where {@code t}
     * is the matched label or no-object, {@code w(no-object) = eosCoef}, and
     * {@code numBoxes = max(1, sum M_b)} in both reductions; {@code sumReduction} drops both
     * denominators. Double accumulation per image, images summed in order; the softmax in float with a double
     * sum ({@link RowSoftmax}), the logit gradient rows in float.
     *
     * @param batch          number of images {@code B}
     * @param queries        predictions per image {@code Q}
     * @param numLogits      {@code K+1}; index {@code K} is no-object
     * @param logits         {@code B*Q*numLogits} prediction logits
     * @param boxes          {@code B*Q*4} predicted boxes {@code (cx, cy, w, h)}
     * @param offsets        CSR offsets of the targets, length {@code B+1}
     * @param labels         {@code T} target labels in {@code [0, K)}
     * @param targetBoxes    {@code T*4} target boxes
     * @param lossCeWeight   weight of {@code ce} in {@code total}
     * @param lossBboxWeight weight of {@code bbox} in {@code total}
     * @param lossGiouWeight weight of {@code giou} in {@code total}
     * @param eosCoef        class weight of no-object
     * @param sumReduction   {@code true} for {@code "sum"}, {@code false} for {@code "detr"}
     * @param assignment     {@code B*Q} local target index per prediction, or -1 when unmatched
     * @param gradLogits     {@code null}, or overwritten with {@code d total / d logits}
     *                       ({@code B*Q*numLogits})
     * @param gradBoxes      {@code null}, or overwritten with {@code d total / d boxes} ({@code B*Q*4})
     * @return {@code {ce, bbox, giou, total, numBoxes}} (see {@link #CE} and the other indices)
     * @throws IllegalArgumentException on inconsistent shapes or labels
     * @throws InvalidInputException    naming {@code assign[b][q]} for an entry that is not -1 or a target of its
     *                                  image, or a target matched twice
     */
    public static double[] loss(int batch, int queries, int numLogits, float[] logits, float[] boxes,
            int[] offsets, int[] labels, float[] targetBoxes, double lossCeWeight, double lossBboxWeight,
            double lossGiouWeight, double eosCoef, boolean sumReduction, int[] assignment,
            float[] gradLogits, float[] gradBoxes) {
        return loss(batch, queries, numLogits, logits, boxes, offsets, labels, targetBoxes, lossCeWeight,
                lossBboxWeight, lossGiouWeight, eosCoef, sumReduction, 0, assignment, gradLogits, gradBoxes);
    }

    /**
     * As {@link #loss(int, int, int, float[], float[], int[], int[], float[], double, double, double, double,
     * boolean, int[], float[], float[])} with a given normalizer of the box terms (contract.md §3: an external
     * {@code num_boxes}, times the query groups when the images here are groups).
     *
     * @param batch          number of images {@code B}
     * @param queries        predictions per image {@code Q}
     * @param numLogits      {@code K+1}; index {@code K} is no-object
     * @param logits         {@code B*Q*numLogits} prediction logits
     * @param boxes          {@code B*Q*4} predicted boxes {@code (cx, cy, w, h)}
     * @param offsets        CSR offsets of the targets, length {@code B+1}
     * @param labels         {@code T} target labels in {@code [0, K)}
     * @param targetBoxes    {@code T*4} target boxes
     * @param lossCeWeight   weight of {@code ce} in {@code total}
     * @param lossBboxWeight weight of {@code bbox} in {@code total}
     * @param lossGiouWeight weight of {@code giou} in {@code total}
     * @param eosCoef        class weight of no-object
     * @param sumReduction   {@code true} for {@code "sum"}, {@code false} for {@code "detr"}
     * @param normalizer     the {@code numBoxes} to use, {@code > 0}; 0 for {@code max(1, sum M_b)}
     * @param assignment     {@code B*Q} local target index per prediction, or -1 when unmatched
     * @param gradLogits     {@code null}, or overwritten with {@code d total / d logits}
     * @param gradBoxes      {@code null}, or overwritten with {@code d total / d boxes}
     * @return {@code {ce, bbox, giou, total, numBoxes}} (see {@link #CE} and the other indices)
     * @throws IllegalArgumentException on inconsistent shapes or labels
     * @throws InvalidInputException    naming {@code assign[b][q]} for an entry that is not -1 or a target of its
     *                                  image, or a target matched twice
     */
    public static double[] loss(int batch, int queries, int numLogits, float[] logits, float[] boxes,
            int[] offsets, int[] labels, float[] targetBoxes, double lossCeWeight, double lossBboxWeight,
            double lossGiouWeight, double eosCoef, boolean sumReduction, double normalizer, int[] assignment,
            float[] gradLogits, float[] gradBoxes) {
        int total = KernelChecks.inputs(batch, queries, numLogits, logits, boxes, offsets, labels, targetBoxes);
        int preds = batch * queries;
        KernelChecks.length("assignment", assignment, preds);
        checkAssignment(batch, queries, offsets, assignment);
        if (gradLogits != null) {
            KernelChecks.length("gradLogits", gradLogits, (long) preds * numLogits);
        }
        if (gradBoxes != null) {
            KernelChecks.length("gradBoxes", gradBoxes, (long) preds * 4);
        }
        double numBoxes = normalizer > 0 ? normalizer : Math.max(1, total);
        // The class weights' sum normalizes every ce gradient, so it is needed before the rows.
        // Counted, then weighted (as the native loss and JvmForward do it, so that all agree to the last bit).
        long matched = 0;
        for (int p = 0; p < preds; p++) {
            matched += assignment[p] >= 0 ? 1 : 0;
        }
        double weightSum = matched + eosCoef * (double) (preds - matched);
        ImageKernels.Problem pr = new ImageKernels.Problem(batch, queries, numLogits, logits, boxes, offsets, labels,
                targetBoxes);
        ImageKernels.LossScales sc = scales(lossCeWeight, lossBboxWeight, lossGiouWeight, eosCoef, sumReduction,
                weightSum, numBoxes);
        double[] partial = new double[batch * ImageKernels.PARTIALS];
        // the values were checked before this stage (JvmBackend): a row found non-finite here needs no second word
        JvmPool.forEach(batch, pr.work(false, false, true), b -> ImageKernels.loss(pr, b, assignment, sc,
                ImageWork.current().ensure(queries, numLogits, 0, 0, false), false, gradLogits, gradBoxes, partial));
        return finish(partial, batch, lossCeWeight, lossBboxWeight, lossGiouWeight, sumReduction, weightSum,
                numBoxes);
    }

    /** The loss scales of {@link ImageKernels#loss} for these weights and normalizers. */
    static ImageKernels.LossScales scales(double lossCeWeight, double lossBboxWeight, double lossGiouWeight,
            double eosCoef, boolean sumReduction, double weightSum, double numBoxes) {
        double ceScale = sumReduction ? lossCeWeight : (weightSum > 0.0 ? lossCeWeight / weightSum : 0.0);
        double boxNorm = sumReduction ? 1.0 : 1.0 / numBoxes;
        return new ImageKernels.LossScales(ceScale, boxNorm, lossBboxWeight, lossGiouWeight, eosCoef);
    }

    /**
     * The terms from the per-image partial sums, reduced in image order (so they never depend on the threads):
     * {@code {ce, bbox, giou, total, numBoxes}}.
     */
    static double[] finish(double[] partial, int batch, double lossCeWeight, double lossBboxWeight,
            double lossGiouWeight, boolean sumReduction, double weightSum, double numBoxes) {
        double ceSum = 0.0;
        double l1Sum = 0.0;
        double giouSum = 0.0;
        for (int b = 0; b < batch; b++) {
            ceSum += partial[b * ImageKernels.PARTIALS];
            l1Sum += partial[b * ImageKernels.PARTIALS + 1];
            giouSum += partial[b * ImageKernels.PARTIALS + 2];
        }
        double ceScale = sumReduction ? 1.0 : (weightSum > 0.0 ? 1.0 / weightSum : 0.0);
        double boxScale = sumReduction ? 1.0 : 1.0 / numBoxes;
        // With sum w(t) = 0 every term of ce is 0 too, so ce = 0 in both reductions.
        double ce = weightSum > 0.0 ? ceSum * ceScale : 0.0;
        double bbox = l1Sum * boxScale;
        double giou = giouSum * boxScale;
        double totalLoss = lossCeWeight * ce + lossBboxWeight * bbox + lossGiouWeight * giou;
        return new double[] {ce, bbox, giou, totalLoss, numBoxes};
    }

    /** Same rules and messages as the native loss: each entry -1 or a target of its image, no target twice. */
    static void checkAssignment(int batch, int queries, int[] offsets, int[] assignment) {
        int maxM = 0;
        for (int b = 0; b < batch; b++) {
            maxM = Math.max(maxM, offsets[b + 1] - offsets[b]);
        }
        int[] matchedBy = new int[maxM]; // query + 1 that took target j in the current image, 0 for none
        // (the field name is built only for a failure: per entry it would cost more than the loss row)
        for (int b = 0; b < batch; b++) {
            int m = offsets[b + 1] - offsets[b];
            Arrays.fill(matchedBy, 0, m, 0);
            for (int q = 0; q < queries; q++) {
                int j = assignment[b * queries + q];
                if (j < -1 || j >= m) {
                    String field = "assign[" + b + "][" + q + "]";
                    throw new InvalidInputException(field, "is " + j + "; must be -1 or a target of image " + b
                            + " in [0, " + m + ")");
                }
                if (j >= 0) {
                    if (matchedBy[j] != 0) {
                        throw new InvalidInputException("assign[" + b + "][" + q + "]", "is " + j + "; target " + j
                                + " of image " + b + " is already matched to query " + (matchedBy[j] - 1));
                    }
                    matchedBy[j] = q + 1;
                }
            }
        }
    }
}

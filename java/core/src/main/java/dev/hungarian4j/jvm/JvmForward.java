package dev.hungarian4j.jvm;

import java.util.Arrays;

/**
 * The whole exact pipeline of the jvm backend in one pass per image, as the native {@code h4j_cpu_forward} does it:
 * the image's cost block into per-thread scratch with its softmax rows kept, the exact matching, then the loss and
 * gradient rows from the same softmax rows. Images spread over {@link JvmPool}; the class weights' sum is known
 * before any matching (an exact matching of image {@code b} has {@code min(Q, M_b)} pairs), so each image finishes
 * on its own and the terms are reduced in image order afterwards.
 */
public final class JvmForward {
    private JvmForward() {
    }

    /**
     * An image's predictions held a value the constructor of {@link dev.hungarian4j.Predictions} refuses (a
     * non-finite logit or box value, a negative width or height): {@link #forward} checks the values as its kernels
     * read them, not in a pass of their own, so it can only say which image; {@link JvmBackend} then reruns the
     * whole-array checks, which name the first bad value.
     */
    public static final class BadPrediction extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        BadPrediction(int image) {
            super("image " + image + ": a predicted logit or box value is not finite, or a box width or height is "
                    + "negative");
        }
    }

    /**
     * Costs, exact matching, loss terms and (when the arrays are non-null) gradients.
     *
     * @param batch          number of images {@code B}
     * @param queries        predictions per image {@code Q}
     * @param numLogits      {@code K+1}; index {@code K} is no-object
     * @param logits         {@code B*Q*numLogits} prediction logits
     * @param boxes          {@code B*Q*4} predicted boxes
     * @param offsets        CSR offsets of the targets, length {@code B+1}
     * @param labels         target labels in {@code [0, K)}
     * @param targetBoxes    target boxes
     * @param costClass      weight of the class cost in the matching cost
     * @param costBbox       weight of the L1 cost
     * @param costGiou       weight of the GIoU cost
     * @param logProb        {@code -log_softmax} instead of {@code -softmax} as class cost
     * @param lossCeWeight   weight of {@code ce} in the total
     * @param lossBboxWeight weight of {@code bbox} in the total
     * @param lossGiouWeight weight of {@code giou} in the total
     * @param eosCoef        class weight of no-object
     * @param sumReduction   {@code true} for {@code "sum"}
     * @param assignmentOut  {@code B*Q} ints, overwritten with the local target index or -1
     * @param matchingCost   {@code B} doubles, overwritten with each image's optimal cost
     * @param gradLogits     null, or {@code B*Q*numLogits} floats to overwrite with the gradient
     * @param gradBoxes      null, or {@code B*Q*4} floats to overwrite with the gradient
     * @return {@code {ce, bbox, giou, total, numBoxes}} as {@link JvmLossKernel#loss} returns them
     * @throws IllegalArgumentException on inconsistent shapes, labels, or a non-finite cost (naming the image)
     * @throws BadPrediction             when an image's predictions hold a value {@link dev.hungarian4j.Predictions}
     *                                   refuses (found as they are read: other images' outputs may be written)
     */
    public static double[] forward(int batch, int queries, int numLogits, float[] logits, float[] boxes,
            int[] offsets, int[] labels, float[] targetBoxes, double costClass, double costBbox, double costGiou,
            boolean logProb, double lossCeWeight, double lossBboxWeight, double lossGiouWeight, double eosCoef,
            boolean sumReduction, int[] assignmentOut, double[] matchingCost, float[] gradLogits, float[] gradBoxes) {
        int total = KernelChecks.inputs(batch, queries, numLogits, logits, boxes, offsets, labels, targetBoxes);
        int preds = batch * queries;
        KernelChecks.length("assignmentOut", assignmentOut, preds);
        if (matchingCost == null || matchingCost.length < batch) {
            throw new IllegalArgumentException("matchingCost must have length >= " + batch);
        }
        if (gradLogits != null) {
            KernelChecks.length("gradLogits", gradLogits, (long) preds * numLogits);
        }
        if (gradBoxes != null) {
            KernelChecks.length("gradBoxes", gradBoxes, (long) preds * 4);
        }
        long matched = 0;
        for (int b = 0; b < batch; b++) {
            matched += Math.min(queries, offsets[b + 1] - offsets[b]);
        }
        double weightSum = matched + eosCoef * (double) (preds - matched);
        double numBoxes = Math.max(1, total);
        ImageKernels.Problem p = new ImageKernels.Problem(batch, queries, numLogits, logits, boxes, offsets, labels,
                targetBoxes);
        ImageKernels.CostWeights cw = new ImageKernels.CostWeights(costClass, costBbox, costGiou, logProb);
        ImageKernels.LossScales sc = JvmLossKernel.scales(lossCeWeight, lossBboxWeight, lossGiouWeight, eosCoef,
                sumReduction, weightSum, numBoxes);
        double[] partial = new double[batch * ImageKernels.PARTIALS];
        JvmPool.forEach(batch, p.work(true, true, true), b -> {
            if (!ImageKernels.boxesValid(p, b)) {
                throw new BadPrediction(b);
            }
            int m = p.targets(b);
            ImageWork w = ImageWork.current().ensure(queries, numLogits, m, queries * m, m > 0);
            double mc = 0.0;
            if (m > 0) {
                if (!ImageKernels.cost(p, b, cw, w, w.cost, 0, true)) { // the softmax checks the logits
                    throw new BadPrediction(b);
                }
                try {
                    mc = w.solver.solve(w.cost, 0, queries, m, assignmentOut, b * queries);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("image " + b + ": " + e.getMessage(), e);
                }
            } else {
                Arrays.fill(assignmentOut, b * queries, (b + 1) * queries, -1);
            }
            matchingCost[b] = mc;
            if (!ImageKernels.loss(p, b, assignmentOut, sc, w, m > 0, gradLogits, gradBoxes, partial)) {
                throw new BadPrediction(b); // an image without targets: its softmax rows are computed here
            }
        });
        return JvmLossKernel.finish(partial, batch, lossCeWeight, lossBboxWeight, lossGiouWeight, sumReduction,
                weightSum, numBoxes);
    }
}

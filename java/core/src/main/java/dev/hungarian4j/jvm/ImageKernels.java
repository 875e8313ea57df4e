package dev.hungarian4j.jvm;

import java.util.Arrays;

/**
 * The per-image work of the jvm backend, shaped like the native CPU kernels ({@code native/src/cost.cpp},
 * {@code loss.cpp}): each prediction row's softmax once ({@link RowSoftmax}), the class cost of its targets gathered
 * from it, the box part over the image's targets ({@link BoxCostRow}, vectorised), and the loss row by row. Images are independent, so {@link JvmPool} runs them on several threads; each writes only its own part
 * of the outputs and its own slot of the per-image partial sums.
 */
final class ImageKernels {
    /** Per-image partial sums of the loss: weighted cross-entropy numerator, L1, 1 - GIoU. */
    static final int PARTIALS = 3;

    private ImageKernels() {
    }

    /** The batch's arrays and shape, as the kernels read them. */
    record Problem(int batch, int queries, int numLogits, float[] logits, float[] boxes, int[] offsets, int[] labels,
            float[] targetBoxes) {
        int targets(int b) {
            return offsets[b + 1] - offsets[b];
        }

        /** Estimated serial time (ns) of the stages asked for; decides whether {@link JvmPool} dispatches. */
        double work(boolean cost, boolean match, boolean loss) {
            double rows = (double) batch * queries;
            double rowWork = rows * (2.0 * numLogits + 20.0);
            double w = 0;
            if (cost) {
                w += rowWork + 4.0 * queries * (double) offsets[batch];
            }
            if (loss) {
                w += rowWork;
            }
            if (match) {
                for (int b = 0; b < batch; b++) {
                    double m = targets(b);
                    double lo = Math.min(m, queries);
                    double hi = Math.max(m, queries);
                    w += lo * hi * (8.0 + 0.005 * lo);
                }
            }
            return w;
        }
    }

    /** The matching-cost weights. */
    record CostWeights(double costClass, double costBbox, double costGiou, boolean logProb) {
    }

    /**
     * The loss weights: {@code ceScale} is {@code loss_ce_weight / sum w(t)} ({@code loss_ce_weight} for the sum
     * reduction, 0 when the weights sum to 0), {@code boxNorm} is {@code 1 / num_boxes} (1 for sum).
     */
    record LossScales(double ceScale, double boxNorm, double lossBbox, double lossGiou, double eosCoef) {
    }

    /**
     * Whether image {@code b}'s predicted boxes are finite with widths and heights {@code >= 0} (the
     * {@link dev.hungarian4j.Predictions} checks, for a pipeline that checks the values as it reads them).
     */
    static boolean boxesValid(Problem p, int b) {
        final float[] boxes = p.boxes;
        final int end = (b + 1) * p.queries * 4;
        boolean ok = true;
        for (int i = b * p.queries * 4; i < end; i += 4) {
            ok &= Float.isFinite(boxes[i]) & Float.isFinite(boxes[i + 1]) & boxes[i + 2] >= 0.0f
                    & boxes[i + 2] <= Float.MAX_VALUE & boxes[i + 3] >= 0.0f & boxes[i + 3] <= Float.MAX_VALUE;
        }
        return ok;
    }

    /**
     * Image {@code b}'s {@code Q x M} cost block into {@code out[outOff..]}, row-major. With {@code keepRows} the
     * softmax rows, {@code 1/sum} and log-sum-exp of all {@code Q} rows stay in {@code w} for {@link #loss}.
     *
     * @return false, with the block unfinished, at the first row whose logits are not all finite
     */
    static boolean cost(Problem p, int b, CostWeights cw, ImageWork w, float[] out, int outOff, boolean keepRows) {
        final int q0 = p.queries;
        final int c0 = p.numLogits;
        final int m = p.targets(b);
        final int first = p.offsets[b];
        final float[] logits = p.logits;
        final float[] boxes = p.boxes;
        final int[] labels = p.labels;
        final float[] tb = p.targetBoxes;
        BoxCostRow.targets(tb, first, m, w);
        final double[] cc = w.classCost;
        final float[] o = w.costRow;
        final float[] e = w.e;
        final double wc = cw.costClass();
        final double wb = cw.costBbox();
        final double wg = cw.costGiou();
        final boolean logProb = cw.logProb();
        for (int q = 0; q < q0; q++) {
            int pred = b * q0 + q;
            int lo = pred * c0;
            if (!RowSoftmax.row(logits, lo, c0, w.x, e, w.k, w.stats)) {
                return false;
            }
            float mx = (float) w.stats[0];
            double s = w.stats[1];
            double invS = 1.0 / s;
            if (keepRows || logProb) {
                double lse = (double) mx + Math.log(s);
                if (keepRows) {
                    System.arraycopy(e, 0, w.ex, q * c0, c0);
                    w.invS[q] = invS;
                    w.lse[q] = lse;
                }
                if (logProb) {
                    for (int j = 0; j < m; j++) {
                        cc[j] = lse - (double) logits[lo + labels[first + j]];
                    }
                }
            }
            if (!logProb) {
                for (int j = 0; j < m; j++) {
                    cc[j] = -((double) e[labels[first + j]] * invS);
                }
            }
            int po = pred * 4;
            double p0 = boxes[po];
            double p1 = boxes[po + 1];
            double p2 = boxes[po + 2];
            double p3 = boxes[po + 3];
            BoxCostRow.costs(p0, p1, p2, p3, m, wc, wb, wg, w, o);
            for (int j = 0; j < m; j++) { // finite inputs, but a cost beyond float32
                if (!Float.isFinite(o[j])) {
                    throw new dev.hungarian4j.InvalidInputException("pred_boxes[" + b + "][" + q + "]",
                            "with target " + j + " of image " + b + ": the matching cost is not finite in float32 "
                                    + "(finite inputs, but |cost| > 3.4e38); scale the boxes, the logits or the cost "
                                    + "weights");
                }
            }
            System.arraycopy(o, 0, out, outOff + q * m, m);
        }
        return true;
    }

    /**
     * Image {@code b}'s loss with its matching {@code assign[b*Q..]} fixed: the partial sums into
     * {@code partial[b*PARTIALS..]}, the gradient rows when {@code gl}/{@code gb} are non-null. With
     * {@code haveRows} the softmax rows come from {@link #cost} with {@code keepRows}.
     *
     * @return false, with the image unfinished, at the first row it computes the softmax of whose logits are not
     *         all finite
     */
    static boolean loss(Problem p, int b, int[] assign, LossScales sc, ImageWork w, boolean haveRows, float[] gl,
            float[] gb, double[] partial) {
        final int q0 = p.queries;
        final int c0 = p.numLogits;
        final int noObject = c0 - 1;
        final int first = p.offsets[b];
        final float[] logits = p.logits;
        final float[] boxes = p.boxes;
        final float[] tb = p.targetBoxes;
        double ceNum = 0;
        double l1Sum = 0;
        double giouSum = 0;
        double[] gg = w.giouGrad;
        for (int q = 0; q < q0; q++) {
            int pred = b * q0 + q;
            int j = assign[pred];
            int label = j >= 0 ? p.labels[first + j] : noObject;
            double wt = j >= 0 ? 1.0 : sc.eosCoef();
            int lo = pred * c0;
            final float[] e = w.e;
            double invS;
            double lse;
            if (haveRows) {
                System.arraycopy(w.ex, q * c0, e, 0, c0);
                invS = w.invS[q];
                lse = w.lse[q];
            } else {
                if (!RowSoftmax.row(logits, lo, c0, w.x, e, w.k, w.stats)) {
                    return false;
                }
                double s = w.stats[1];
                invS = 1.0 / s;
                lse = w.stats[0] + Math.log(s);
            }
            ceNum += wt * (lse - (double) logits[lo + label]);
            if (gl != null) {
                double coef = sc.ceScale() * wt;
                if (coef == 0.0) {
                    Arrays.fill(gl, lo, lo + c0, 0.0f);
                } else {
                    double cs = coef * invS;
                    float csf = (float) cs;
                    float[] g = w.k;
                    for (int c = 0; c < c0; c++) { // indexed from 0: vectorised by C2
                        g[c] = csf * e[c];
                    }
                    g[label] = (float) (cs * (double) e[label] - coef);
                    System.arraycopy(g, 0, gl, lo, c0);
                }
            }
            int po = pred * 4;
            if (j < 0) {
                if (gb != null) {
                    Arrays.fill(gb, po, po + 4, 0.0f);
                }
                continue;
            }
            int to = (first + j) * 4;
            for (int c = 0; c < 4; c++) {
                l1Sum += Math.abs((double) boxes[po + c] - tb[to + c]);
            }
            if (gb != null) {
                giouSum += 1.0 - BoxMath.giouWithGrad(boxes, po, tb, to, gg);
                for (int c = 0; c < 4; c++) {
                    // sign(0) = 0 at the L1 kink, as torch does.
                    double sign = Math.signum((double) boxes[po + c] - tb[to + c]);
                    gb[po + c] = (float) (sc.boxNorm() * (sc.lossBbox() * sign - sc.lossGiou() * gg[c]));
                }
            } else {
                giouSum += 1.0 - BoxMath.giou(boxes, po, tb, to);
            }
        }
        partial[b * PARTIALS] = ceNum;
        partial[b * PARTIALS + 1] = l1Sum;
        partial[b * PARTIALS + 2] = giouSum;
        return true;
    }
}

package dev.hungarian4j.djl.examples;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.hungarian4j.Batch;
import dev.hungarian4j.HungarianConfig;
import dev.hungarian4j.natives.NativeBackend;

/**
 * DETR's criterion as a Java user writes it today with DJL's NDArray ops, the side (c) of the benchmark: DETR's
 * cross-image cost matrix {@code (B*Q, ΣM)} (softmax, pairwise L1 and GIoU by broadcasting), copied to the host
 * and cut into per-image blocks, matched per image by hungarian4j's exact matcher (so only the rest differs),
 * then SetCriterion's loss in NDArray ops, differentiated by DJL's autograd. Call it inside a
 * {@code GradientCollector} and backward the returned total.
 */
final class DjlOpsCriterion {
    private final HungarianConfig cfg;

    DjlOpsCriterion(HungarianConfig cfg) {
        this.cfg = cfg;
    }

    /**
     * The total loss of the batch.
     *
     * @param m      the step's manager
     * @param logits (B, Q, K+1), requiring gradients
     * @param boxes  (B, Q, 4), requiring gradients
     * @param batch  the same batch as flat arrays: its targets, and the shape the matcher needs
     * @return the total as a scalar wired into autograd
     */
    NDArray total(NDManager m, NDArray logits, NDArray boxes, Batch batch) {
        int b = batch.batch();
        int q = batch.queries();
        int c = batch.numLogits();
        int[] off = batch.targets().offsets();
        int t = off[b];
        NDArray tgtIds = m.create(batch.targets().labels()).toType(DataType.INT64, false);
        NDArray tgtBox = m.create(batch.targets().boxes(), new Shape(t, 4));

        // DETR's HungarianMatcher: one (B*Q, T) cost matrix over the whole batch, without gradients
        NDArray prob = logits.stopGradient().reshape(b * q, c).softmax(1);
        NDArray outBox = boxes.stopGradient().reshape(b * q, 4);
        NDArray costClass = prob.gather(tgtIds.reshape(1, t).broadcast(b * q, t), 1).neg();
        NDArray costBbox = outBox.expandDims(1).sub(tgtBox.expandDims(0)).abs().sum(new int[] {2});
        NDArray costGiou = pairwiseGiou(corners(outBox).expandDims(1), corners(tgtBox).expandDims(0)).neg();
        NDArray cost = costBbox.mul((float) cfg.costBbox()).add(costClass.mul((float) cfg.costClass()))
                .add(costGiou.mul((float) cfg.costGiou()));
        float[] full = cost.toFloatArray();

        // per-image blocks (Q x M_b at Q*offsets[b]) for the exact matcher
        float[] blocks = new float[q * t];
        for (int i = 0; i < b; i++) {
            int mb = off[i + 1] - off[i];
            for (int r = 0; r < q; r++) {
                System.arraycopy(full, (i * q + r) * t + off[i], blocks, q * off[i] + r * mb, mb);
            }
        }
        int[] assign = new int[b * q];
        NativeBackend.instance().matchInto(batch, blocks, assign, new double[b]);

        // SetCriterion: weighted CE over all queries, L1 and GIoU over the matched ones, / num_boxes
        long[] targetClass = new long[b * q];
        int n = 0;
        for (int i = 0; i < b * q; i++) {
            targetClass[i] = c - 1;
            if (assign[i] >= 0) {
                targetClass[i] = batch.targets().labels()[off[i / q] + assign[i]];
                n++;
            }
        }
        long[] srcIdx = new long[n];
        float[] matchedTgt = new float[4 * n];
        for (int i = 0, k = 0; i < b * q; i++) {
            if (assign[i] >= 0) {
                srcIdx[k] = i;
                System.arraycopy(batch.targets().boxes(), 4 * (off[i / q] + assign[i]), matchedTgt, 4 * k, 4);
                k++;
            }
        }
        float[] emptyWeight = new float[c];
        java.util.Arrays.fill(emptyWeight, 1f);
        emptyWeight[c - 1] = (float) cfg.eosCoef();
        NDArray tc = m.create(targetClass);
        NDArray w = m.create(emptyWeight).gather(tc, 0);
        NDArray nll = logits.reshape(b * q, c).logSoftmax(1).gather(tc.reshape(b * q, 1), 1).reshape(b * q).neg();
        NDArray ce = nll.mul(w).sum().div(w.sum());
        float numBoxes = Math.max(t, 1);
        NDArray src = boxes.reshape(b * q, 4).gather(m.create(srcIdx).reshape(n, 1).broadcast(n, 4), 0);
        NDArray tgt = m.create(matchedTgt, new Shape(n, 4));
        NDArray l1 = src.sub(tgt).abs().sum().div(numBoxes);
        NDArray giou = pairwiseGiou(corners(src), corners(tgt)).neg().add(1).sum().div(numBoxes);
        return ce.mul((float) cfg.lossCeWeight()).add(l1.mul((float) cfg.lossBboxWeight()))
                .add(giou.mul((float) cfg.lossGiouWeight()));
    }

    /** (cx, cy, w, h) to (x1, y1, x2, y2) along the last axis. */
    private static NDArray corners(NDArray cxcywh) {
        NDArray c = cxcywh.get("..., :2");
        NDArray half = cxcywh.get("..., 2:").mul(0.5f);
        return c.sub(half).concat(c.add(half), -1);
    }

    /** GIoU of corner boxes, broadcasting their leading axes. */
    private static NDArray pairwiseGiou(NDArray a, NDArray b) {
        NDArray areaA = area(a);
        NDArray areaB = area(b);
        NDArray lt = a.get("..., :2").maximum(b.get("..., :2"));
        NDArray rb = a.get("..., 2:").minimum(b.get("..., 2:"));
        NDArray wh = rb.sub(lt).clip(0, Float.MAX_VALUE);
        NDArray inter = wh.get("..., 0").mul(wh.get("..., 1"));
        NDArray union = areaA.add(areaB).sub(inter);
        NDArray iou = inter.div(union);
        NDArray lt2 = a.get("..., :2").minimum(b.get("..., :2"));
        NDArray rb2 = a.get("..., 2:").maximum(b.get("..., 2:"));
        NDArray wh2 = rb2.sub(lt2).clip(0, Float.MAX_VALUE);
        NDArray hull = wh2.get("..., 0").mul(wh2.get("..., 1"));
        return iou.sub(hull.sub(union).div(hull));
    }

    private static NDArray area(NDArray x) {
        return x.get("..., 2").sub(x.get("..., 0")).mul(x.get("..., 3").sub(x.get("..., 1")));
    }

}

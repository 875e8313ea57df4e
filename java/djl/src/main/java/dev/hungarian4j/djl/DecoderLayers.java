package dev.hungarian4j.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import dev.hungarian4j.InvalidInputException;

/**
 * The predictions of one step as the adapter reads them from a DJL {@link NDList}: L decoder layers of B images, Q
 * queries and C logits, as two arrays that hold the layers one after the other in decoder order (the final layer
 * last), so that one native call reads them in place. The three NDList forms (see {@link HungarianDetrLoss}):
 * <ol>
 * <li>{@code [logits (B,Q,C), boxes (B,Q,4)]}: one layer;</li>
 * <li>{@code [logits (L,B,Q,C), boxes (L,B,Q,4)]}: a stacked decoder output, read in place;</li>
 * <li>{@code [logits, boxes, aux0 logits, aux0 boxes, ...]}, all {@code (B,Q,·)}: DETR's dictionary order (the final
 * layer, then {@code aux_outputs} earliest first), stacked here into form 2 (one copy, through autograd).</li>
 * </ol>
 */
final class DecoderLayers {
    final int layers;
    final int batch;
    final int queries;
    final int numLogits;
    /** {@code (L,B,Q,C)}, or {@code (B,Q,C)} when L = 1. */
    final NDArray logits;
    /** {@code (L,B,Q,4)}, or {@code (B,Q,4)} when L = 1. */
    final NDArray boxes;

    private DecoderLayers(int layers, Shape one, NDArray logits, NDArray boxes) {
        this.layers = layers;
        this.batch = Math.toIntExact(one.get(0));
        this.queries = Math.toIntExact(one.get(1));
        this.numLogits = Math.toIntExact(one.get(2));
        this.logits = logits;
        this.boxes = boxes;
    }

    /**
     * Reads and checks the predictions.
     *
     * @param predictions one of the three forms
     * @param minLogits   the least C: 2 with a softmax head (K+1), 1 with a focal head (K)
     * @return the layers
     * @throws InvalidInputException naming {@code predictions}, {@code pred_logits}, {@code pred_boxes} or
     *                               {@code aux_outputs[i].…} when the list or a shape is wrong
     */
    static DecoderLayers read(NDList predictions, int minLogits) {
        if (predictions == null || predictions.size() < 2 || predictions.size() % 2 != 0) {
            throw new InvalidInputException("predictions", "must hold pred_logits (B, Q, C) and pred_boxes (B, Q, 4), "
                    + "then optionally a (logits, boxes) pair per aux decoder layer; or stacked (L, B, Q, C) and "
                    + "(L, B, Q, 4); got " + (predictions == null ? "null" : predictions.size() + " arrays"));
        }
        NDArray logits = predictions.get(0);
        NDArray boxes = predictions.get(1);
        Shape ls = logits.getShape();
        if (predictions.size() == 2 && ls.dimension() == 4) {
            Shape one = ls.slice(1);
            Shape bs = boxes.getShape();
            if (ls.get(0) < 1) {
                throw new InvalidInputException("pred_logits", "has shape " + ls + "; stacked layers need L >= 1");
            }
            if (bs.dimension() != 4 || bs.get(0) != ls.get(0)) {
                throw new InvalidInputException("pred_boxes", "has shape " + bs + "; stacked logits " + ls
                        + " need stacked boxes (" + ls.get(0) + ", " + ls.get(1) + ", " + ls.get(2) + ", 4)");
            }
            checkPair("pred_logits", "pred_boxes", one, bs.slice(1), minLogits);
            return new DecoderLayers(Math.toIntExact(ls.get(0)), one, logits, boxes);
        }
        checkPair("pred_logits", "pred_boxes", ls, boxes.getShape(), minLogits);
        if (predictions.size() == 2) {
            return new DecoderLayers(1, ls, logits, boxes);
        }
        int aux = predictions.size() / 2 - 1;
        NDList l = new NDList(aux + 1);
        NDList b = new NDList(aux + 1);
        for (int i = 0; i < aux; i++) {
            NDArray al = predictions.get(2 + 2 * i);
            NDArray ab = predictions.get(3 + 2 * i);
            String name = "aux_outputs[" + i + "]";
            if (!al.getShape().equals(ls)) {
                throw new InvalidInputException(name + ".pred_logits", "has shape " + al.getShape()
                        + "; every layer has the final layer's shape " + ls);
            }
            if (!ab.getShape().equals(boxes.getShape())) {
                throw new InvalidInputException(name + ".pred_boxes", "has shape " + ab.getShape()
                        + "; every layer has the final layer's shape " + boxes.getShape());
            }
            l.add(al);
            b.add(ab);
        }
        l.add(logits);
        b.add(boxes);
        return new DecoderLayers(aux + 1, ls, NDArrays.stack(l, 0), NDArrays.stack(b, 0));
    }

    private static void checkPair(String logitsName, String boxesName, Shape ls, Shape bs, int minLogits) {
        if (ls.dimension() != 3 || ls.get(2) < minLogits || ls.get(0) < 1 || ls.get(1) < 1) {
            throw new InvalidInputException(logitsName, "has shape " + ls + "; expected (B, Q, C) with C >= "
                    + minLogits + (minLogits == 2 ? " (K+1 with the no-object class last)" : " (K, focal)"));
        }
        if (bs.dimension() != 3 || bs.get(0) != ls.get(0) || bs.get(1) != ls.get(1) || bs.get(2) != 4) {
            throw new InvalidInputException(boxesName, "has shape " + bs + "; expected (" + ls.get(0) + ", "
                    + ls.get(1) + ", 4)");
        }
    }
}

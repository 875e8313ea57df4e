package dev.hungarian4j;

import java.util.List;

/**
 * What one loss call works on: a batch's predictions and its targets, checked against each other
 * (same B, labels in {@code [0, K)}), and optionally the auxiliary decoder layers of contract.md §3
 * ({@code aux_outputs}): earlier layers' predictions of the same shape, each matched and lost on its own against
 * the same targets, in the same call.
 */
public final class Batch {
    private final Predictions predictions;
    private final Targets targets;
    private final List<Predictions> aux;

    /**
     * Pairs predictions with targets after checking they fit together. Both are referenced, not copied.
     *
     * @param predictions the decoder output, not null
     * @param targets     the ground truth, with the same number of images, not null
     * @throws InvalidInputException when an argument is null, B differs, a label lies outside {@code [0, K)}, or
     *                               {@code Q * Σ_b M_b} exceeds {@code 2^31 - 1} (naming {@code targets})
     */
    public Batch(Predictions predictions, Targets targets) {
        this(predictions, targets, List.of());
    }

    /**
     * A batch with auxiliary decoder layers (DETR's {@code aux_outputs}): every layer is matched and lost on its
     * own with the same targets and configuration; results and gradients come per layer. All arrays are referenced,
     * not copied.
     *
     * @param predictions the top (last) decoder layer, not null
     * @param targets     the ground truth, with the same number of images, not null
     * @param aux         the earlier layers in {@code aux_outputs} order, each with the same B, Q, logits per query
     *                    and loss class as {@code predictions}; empty for none; not null
     * @throws InvalidInputException when B differs, a label lies outside {@code [0, K)}, or an aux layer's shape
     *                               differs (naming {@code aux_outputs[l].pred_logits})
     */
    public Batch(Predictions predictions, Targets targets, List<Predictions> aux) {
        if (predictions == null) {
            throw new InvalidInputException("predictions", "is null");
        }
        if (targets == null) {
            throw new InvalidInputException("targets", "is null");
        }
        if (aux == null) {
            throw new InvalidInputException("aux_outputs", "is null");
        }
        for (int l = 0; l < aux.size(); l++) {
            Predictions a = aux.get(l);
            if (a.batch() != predictions.batch() || a.queries() != predictions.queries()
                    || a.numLogits() != predictions.numLogits() || a.lossClass() != predictions.lossClass()) {
                throw new InvalidInputException("aux_outputs[" + l + "].pred_logits", "has shape " + shape(a)
                        + "; the top-level pred_logits has " + shape(predictions) + " (every layer has the same B, Q"
                        + " and logits per query)");
            }
        }
        if (predictions.batch() != targets.batch()) {
            throw new InvalidInputException("targets", "has " + targets.batch() + " images; pred_logits has "
                    + predictions.batch());
        }
        int k = predictions.numClasses();
        int[] offsets = targets.offsets();
        int[] labels = targets.labels();
        for (int b = 0; b < targets.batch(); b++) {
            for (int i = offsets[b]; i < offsets[b + 1]; i++) {
                if (labels[i] < 0 || labels[i] >= k) {
                    throw new InvalidInputException("targets[" + b + "].labels[" + (i - offsets[b]) + "]",
                            "is " + labels[i] + "; must be in [0, " + k + ")");
                }
            }
        }
        this.predictions = predictions;
        this.targets = targets;
        this.aux = List.copyOf(aux);
        costCount(); // Q x total targets must fit 32-bit indexing on every backend: refused here, not mid-call
    }

    /** A view on checked parts (query groups as images, or one layer): nothing is validated again. */
    Batch(Predictions predictions, Targets targets, List<Predictions> aux, boolean unchecked) {
        this.predictions = predictions;
        this.targets = targets;
        this.aux = aux;
    }

    private static String shape(Predictions p) {
        return "[" + p.batch() + "][" + p.queries() + "][" + p.numLogits() + "]"
                + (p.lossClass() == LossClass.FOCAL ? " (focal)" : "");
    }

    /**
     * The auxiliary decoder layers.
     *
     * @return the earlier layers in {@code aux_outputs} order (unmodifiable; empty when none)
     */
    public List<Predictions> aux() {
        return aux;
    }

    /**
     * The number of decoder layers in this batch.
     *
     * @return {@code 1 + aux().size()}
     */
    public int layers() {
        return 1 + aux.size();
    }

    /**
     * One layer's predictions.
     *
     * @param l 0 for the top layer, {@code 1 + i} for {@code aux().get(i)}
     * @return that layer's predictions
     * @throws IndexOutOfBoundsException when {@code l} is not in {@code [0, layers())}
     */
    public Predictions layer(int l) {
        return l == 0 ? predictions : aux.get(l - 1);
    }

    /**
     * The same targets with one layer's predictions and no aux layers.
     *
     * @param l 0 for the top layer, {@code 1 + i} for {@code aux().get(i)}
     * @return a batch of that layer alone (this instance for {@code l = 0} without aux layers)
     * @throws IndexOutOfBoundsException when {@code l} is not in {@code [0, layers())}
     */
    public Batch layerBatch(int l) {
        if (l == 0 && aux.isEmpty()) {
            return this;
        }
        return new Batch(layer(l), targets, List.of(), true);
    }

    /**
     * The predictions.
     *
     * @return the predictions this batch was built with (same instance)
     */
    public Predictions predictions() {
        return predictions;
    }

    /**
     * The targets.
     *
     * @return the targets this batch was built with (same instance)
     */
    public Targets targets() {
        return targets;
    }

    /**
     * B, the number of images.
     *
     * @return B &gt;= 1
     */
    public int batch() {
        return predictions.batch();
    }

    /**
     * Q, predictions per image.
     *
     * @return Q &gt;= 1
     */
    public int queries() {
        return predictions.queries();
    }

    /**
     * The number of floats of the batch's cost blocks, {@code Q * Σ_b M_b}, checked to fit a Java array.
     *
     * @return {@code Q * targets().total()}
     * @throws InvalidInputException naming {@code targets} when the product exceeds {@code 2^31 - 1} (split the batch),
     *                               or {@code targets.offsets[B]} when it no longer matches the labels
     */
    public int costCount() {
        int total = targets.total();
        if (total != targets.labels().length) { // the arrays are referenced: offsets[B] may have been changed
            throw new InvalidInputException("targets.offsets[" + batch() + "]", "is " + total + " but labels has "
                    + targets.labels().length + " entries (the arrays were changed after the Targets was built)");
        }
        long n = (long) queries() * total;
        if (n > Integer.MAX_VALUE) {
            throw new InvalidInputException("targets", "give Q * total targets = " + queries() + " * "
                    + total + " = " + n + " cost entries; at most " + Integer.MAX_VALUE
                    + " fit 32-bit indexing (split the batch)");
        }
        return (int) n;
    }

    /**
     * Logits per prediction: K+1 (the last is the no-object class), or K with the focal loss.
     *
     * @return K+1 &gt;= 2, or K &gt;= 1 for focal
     */
    public int numLogits() {
        return predictions.numLogits();
    }

    /** The predictions' and targets' summaries. */
    @Override
    public String toString() {
        return "Batch{" + predictions + ", " + targets + (aux.isEmpty() ? "" : ", auxLayers=" + aux.size()) + "}";
    }
}

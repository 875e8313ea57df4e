package dev.hungarian4j;

/**
 * What one loss call works on: a batch's predictions and its targets, checked against each other
 * (same B, labels in {@code [0, K)}).
 */
public final class Batch {
    private final Predictions predictions;
    private final Targets targets;

    /**
     * Pairs predictions with targets after checking they fit together. Both are referenced, not copied.
     *
     * @param predictions the decoder output, not null
     * @param targets     the ground truth, with the same number of images, not null
     * @throws InvalidInputException when B differs or a label lies outside {@code [0, K)}
     */
    public Batch(Predictions predictions, Targets targets) {
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
     * K+1, logits per prediction (the last is the no-object class).
     *
     * @return K+1 &gt;= 2
     */
    public int numLogits() {
        return predictions.numLogits();
    }

    /** The predictions' and targets' summaries. */
    @Override
    public String toString() {
        return "Batch{" + predictions + ", " + targets + "}";
    }
}

package dev.hungarian4j;

/**
 * One decoder layer's predictions for a batch, as flat row-major float32 arrays (the layout every backend
 * shares): {@code logits[B*Q*(K+1)]} with the no-object class last, {@code boxes[B*Q*4]} as
 * {@code (cx, cy, w, h)}. The arrays are referenced, not copied: do not change them during a call. With the focal
 * loss ({@link LossClass#FOCAL}, contract.md §3) the logits are {@code K} sigmoid logits per query, without the
 * no-object class: build those with {@link #Predictions(int, int, int, float[], float[], LossClass)}.
 */
public final class Predictions {
    private final int batch;
    private final int queries;
    private final int numLogits;
    private final float[] logits;
    private final float[] boxes;
    private final LossClass lossClass;

    /**
     * Wraps and validates the arrays.
     *
     * @param batch     B &gt;= 1
     * @param queries   Q &gt;= 1
     * @param numLogits K+1 &gt;= 2 (the last is the no-object class)
     * @param logits    B*Q*(K+1) finite values, row-major; kept, not copied
     * @param boxes     B*Q*4 finite values {@code (cx, cy, w, h)}, widths and heights &gt;= 0; kept, not copied
     * @throws InvalidInputException naming the field and indices of the first bad value
     */
    public Predictions(int batch, int queries, int numLogits, float[] logits, float[] boxes) {
        this(batch, queries, numLogits, logits, boxes, LossClass.CE);
    }

    /**
     * As {@link #Predictions(int, int, int, float[], float[])} for the given classification head: with
     * {@link LossClass#CE} {@code numLogits} is K+1 (no-object last, K+1 &gt;= 2), with {@link LossClass#FOCAL} it
     * is K (sigmoid logits, K &gt;= 1). A caller that takes the arrays from a larger document names them there with
     * {@link InvalidInputException#withFieldPrefix}.
     *
     * @param batch       B &gt;= 1
     * @param queries     Q &gt;= 1
     * @param numLogits   logits per query: K+1 &gt;= 2 for {@code CE}, K &gt;= 1 for {@code FOCAL}
     * @param logits      B*Q*numLogits finite values, row-major; kept, not copied
     * @param boxes       B*Q*4 finite values {@code (cx, cy, w, h)}, widths and heights &gt;= 0; kept, not copied
     * @param lossClass   the classification head the logits feed, not null
     * @throws InvalidInputException naming the field and indices of the first bad value
     */
    public Predictions(int batch, int queries, int numLogits, float[] logits, float[] boxes, LossClass lossClass) {
        boolean focal = lossClass == LossClass.FOCAL;
        if (batch < 1) {
            throw new InvalidInputException("pred_logits", "has batch size " + batch + "; must be >= 1");
        }
        if (queries < 1) {
            throw new InvalidInputException("pred_logits", "has " + queries + " queries; must be >= 1");
        }
        if (numLogits < (focal ? 1 : 2)) {
            throw new InvalidInputException("pred_logits", "has " + numLogits + " logits per query; "
                    + (focal ? "K must be >= 1" : "K+1 must be >= 2"));
        }
        long n = (long) batch * queries;
        if (logits == null || logits.length != n * numLogits) {
            throw new InvalidInputException("pred_logits", "has length "
                    + (logits == null ? "null" : logits.length) + "; expected B*Q*(K+1) = " + n * numLogits);
        }
        if (boxes == null || boxes.length != n * 4) {
            throw new InvalidInputException("pred_boxes",
                    "has length " + (boxes == null ? "null" : boxes.length) + "; expected B*Q*4 = " + n * 4);
        }
        for (int i = 0; i < logits.length; i++) {
            if (!Float.isFinite(logits[i])) {
                int k = i % numLogits;
                int q = (i / numLogits) % queries;
                int b = i / numLogits / queries;
                throw new InvalidInputException("pred_logits[" + b + "][" + q + "][" + k + "]",
                        "is " + logits[i] + "; must be finite");
            }
        }
        Validation.checkBoxes(boxes, "pred_boxes", queries);
        this.batch = batch;
        this.queries = queries;
        this.numLogits = numLogits;
        this.logits = logits;
        this.boxes = boxes;
        this.lossClass = lossClass;
    }

    /** An unchecked view of already validated arrays with other dimensions (query groups as images). */
    Predictions(Predictions checked, int batch, int queries) {
        this.batch = batch;
        this.queries = queries;
        this.numLogits = checked.numLogits;
        this.logits = checked.logits;
        this.boxes = checked.boxes;
        this.lossClass = checked.lossClass;
    }

    /**
     * B, the number of images.
     *
     * @return B &gt;= 1
     */
    public int batch() {
        return batch;
    }

    /**
     * Q, predictions per image.
     *
     * @return Q &gt;= 1
     */
    public int queries() {
        return queries;
    }

    /**
     * Logits per prediction: K+1 with index K the no-object class ({@link LossClass#CE}), or K sigmoid logits
     * ({@link LossClass#FOCAL}).
     *
     * @return K+1 &gt;= 2, or K &gt;= 1 for focal
     */
    public int numLogits() {
        return numLogits;
    }

    /**
     * K, the number of real classes.
     *
     * @return K &gt;= 1
     */
    public int numClasses() {
        return lossClass == LossClass.FOCAL ? numLogits : numLogits - 1;
    }

    /**
     * The classification head these logits feed.
     *
     * @return {@link LossClass#CE} (with no-object) or {@link LossClass#FOCAL} (sigmoid, no no-object)
     */
    public LossClass lossClass() {
        return lossClass;
    }

    /**
     * The logits, {@code B*Q*(K+1)}, not a copy.
     *
     * @return the logits array itself, row-major
     */
    public float[] logits() {
        return logits;
    }

    /**
     * The boxes {@code (cx,cy,w,h)}, {@code B*Q*4}, not a copy.
     *
     * @return the boxes array itself, row-major
     */
    public float[] boxes() {
        return boxes;
    }

    /** Shape only ({@code B}, {@code Q}, {@code K+1}); the arrays can be large. */
    @Override
    public String toString() {
        return "Predictions{B=" + batch + ", Q=" + queries + ", numLogits=" + numLogits
                + (lossClass == LossClass.FOCAL ? ", focal" : "") + "}";
    }
}

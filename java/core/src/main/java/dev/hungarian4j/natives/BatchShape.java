package dev.hungarian4j.natives;

import dev.hungarian4j.InvalidInputException;

/**
 * The shape {@code (B, Q, C = K+1)} that {@link BufferBatch} and {@link DeviceBatch} are built with: checked once,
 * here, with the same messages for both, and read back through the same accessors. Package-private so that it adds
 * nothing to the public API; the two batches' public accessors are these.
 */
abstract class BatchShape {
    private final int batch;
    private final int queries;
    private final int numLogits;

    /**
     * A checked shape.
     *
     * @param batch     B &gt;= 1 images
     * @param queries   Q &gt;= 1 predictions per image, with {@code B*Q < 2^31}
     * @param numLogits C &gt;= 1 logits per prediction: K+1 &gt;= 2 with the no-object class last, or K &gt;= 1
     *                  sigmoid logits with the focal loss (the loss checks which, {@link #checkLogits})
     * @throws InvalidInputException naming {@code batch}, {@code queries} or {@code numLogits} when it is out of
     *                               range
     */
    BatchShape(int batch, int queries, int numLogits) {
        if (batch < 1) {
            throw new InvalidInputException("batch", "is " + batch + "; must be >= 1");
        }
        if (queries < 1) {
            throw new InvalidInputException("queries", "is " + queries + "; must be >= 1");
        }
        if (numLogits < 1) {
            throw new InvalidInputException("numLogits", "is " + numLogits + "; must be >= 1 (K+1 >= 2 logits with "
                    + "the no-object class, or K >= 1 sigmoid logits with the focal loss)");
        }
        if ((long) batch * queries > Integer.MAX_VALUE) {
            throw new InvalidInputException("queries", "gives B*Q = " + (long) batch * queries
                    + " predictions; at most " + Integer.MAX_VALUE + " (32-bit assignment indices)");
        }
        this.batch = batch;
        this.queries = queries;
        this.numLogits = numLogits;
    }

    /**
     * The loss class's bound on C, checked by the losses that know their configuration: K+1 &gt;= 2 logits with the
     * no-object class; a single logit is a one-class detector only with the focal loss (K sigmoid logits).
     *
     * @param shape a checked shape
     * @param cfg   the loss's packed configuration ({@link NativeConfig#pack}), which says whether it is the focal loss
     * @throws InvalidInputException naming {@code numLogits} when it is 1 without the focal loss
     */
    static void checkLogits(BatchShape shape, double[] cfg) {
        if (!NativeConfig.focal(cfg) && shape.numLogits() < 2) {
            throw new InvalidInputException("numLogits", "is " + shape.numLogits() + "; K+1 must be >= 2 (K classes "
                    + "plus no-object; a single logit needs the focal loss)");
        }
    }

    /**
     * B.
     *
     * @return the number of images
     */
    public int batch() {
        return batch;
    }

    /**
     * Q.
     *
     * @return the predictions per image
     */
    public int queries() {
        return queries;
    }

    /**
     * C = K+1.
     *
     * @return the logits per prediction
     */
    public int numLogits() {
        return numLogits;
    }

    /** {@code B=.., Q=.., C=..}, the shape as both batches' {@code toString} show it. */
    final String shapeString() {
        return "B=" + batch + ", Q=" + queries + ", C=" + numLogits;
    }
}

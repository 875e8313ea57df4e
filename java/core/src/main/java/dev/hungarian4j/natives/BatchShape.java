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
     * @param numLogits C = K+1 &gt;= 2 logits per prediction (the last is no-object)
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
        if (numLogits < 2) {
            throw new InvalidInputException("numLogits", "is " + numLogits + "; K+1 must be >= 2");
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

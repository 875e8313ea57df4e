package dev.hungarian4j.natives;

import dev.hungarian4j.InvalidInputException;
import org.bytedeco.javacpp.Pointer;

/**
 * The inputs of one {@link CudaDeviceLoss} call, by name: the shape {@code (B, Q, C = K+1)}, the promised bound
 * {@code maxM} on every image's target count, and DEVICE pointers to the predictions and targets in the flat layout
 * of {@link dev.hungarian4j.Batch}. Build it once and re-point it when the memory moves; a call allocates nothing for
 * it. Device memory cannot be sized on the host: each call checks that every pointer is set and has a position
 * &gt;= 0, and the kernels check the data they index with (a broken promise gives NaN terms). Not thread-safe: one
 * instance per calling thread.
 */
public final class DeviceBatch extends BatchShape {
    private final int maxM;
    Pointer logits;
    Pointer boxes;
    Pointer offsets;
    Pointer labels;
    Pointer targetBoxes;

    /**
     * An input description of the given shape, with no memory attached yet.
     *
     * @param batch     B &gt;= 1 images
     * @param queries   Q &gt;= 1 predictions per image, with {@code B*Q < 2^31}
     * @param numLogits C logits per prediction: K+1 &gt;= 2 (no-object last), or K &gt;= 1 with the focal loss
     * @param maxM      the promised bound on every {@code M_b}, &gt;= 0 (used by {@code forward} only)
     * @throws InvalidInputException naming {@code batch}, {@code queries}, {@code numLogits} or {@code maxM}
     */
    public DeviceBatch(int batch, int queries, int numLogits, int maxM) {
        super(batch, queries, numLogits);
        if (maxM < 0) {
            throw new InvalidInputException("maxM", "is " + maxM + "; must be >= 0");
        }
        this.maxM = maxM;
    }

    /**
     * The predictions.
     *
     * @param logits B*Q*C floats of device memory, row-major
     * @param boxes  B*Q*4 floats of device memory {@code (cx, cy, w, h)}
     * @return this
     */
    public DeviceBatch predictions(Pointer logits, Pointer boxes) {
        this.logits = logits;
        this.boxes = boxes;
        return this;
    }

    /**
     * The targets, CSR.
     *
     * @param offsets     B+1 ints of device memory
     * @param labels      {@code offsets[B]} ints of device memory in {@code [0, K)}
     * @param targetBoxes {@code 4*offsets[B]} floats of device memory {@code (cx, cy, w, h)}
     * @return this
     */
    public DeviceBatch targets(Pointer offsets, Pointer labels, Pointer targetBoxes) {
        this.offsets = offsets;
        this.labels = labels;
        this.targetBoxes = targetBoxes;
        return this;
    }

    /**
     * The promised bound on every image's target count.
     *
     * @return maxM
     */
    public int maxM() {
        return maxM;
    }

    /** Every input pointer set, with a position &gt;= 0 (labels and target boxes may be absent without targets). */
    void check() {
        device("pred_logits", logits, true);
        device("pred_boxes", boxes, true);
        device("offsets", offsets, true);
        device("labels", labels, false);
        device("target_boxes", targetBoxes, false);
    }

    /** A device pointer: not null when required, and never a negative position (it would address before it). */
    static void device(String name, Pointer p, boolean required) {
        if (p == null || p.isNull()) {
            if (required) {
                throw new InvalidInputException(name, "is null");
            }
            return;
        }
        if (p.position() < 0) {
            throw new InvalidInputException(name, "has position " + p.position() + "; must be >= 0");
        }
    }

    @Override
    public String toString() {
        return "DeviceBatch{" + shapeString() + ", maxM=" + maxM + "}";
    }
}

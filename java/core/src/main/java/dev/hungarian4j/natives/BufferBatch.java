package dev.hungarian4j.natives;

import dev.hungarian4j.InvalidInputException;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;

import java.nio.FloatBuffer;
import java.nio.IntBuffer;

/**
 * The inputs of one {@link NativeBufferLoss#forward(BufferBatch, BufferOutputs)} call, by name: the shape
 * {@code (B, Q, C = K+1)} fixed at construction, and the off-heap memory of the predictions and targets in the
 * flat layout of {@link dev.hungarian4j.Batch}. Build it once and re-point it when the memory changes; a call
 * allocates nothing for it. Everything is checked at call time (capacities against B, Q, C and
 * {@code offsets[B]}, values by the native side), so memory changed between calls is never read out of bounds.
 *
 * <p>A buffer contributes its {@code position..limit} region as it is when it is set (later changes to the
 * buffer's position do not move the view); it must be direct and in the platform's byte order. A JavaCPP pointer
 * is used from its position at call time, up to its limit when it has one. Not thread-safe: one instance per
 * calling thread (the memory it points to must not change during a call).
 */
public final class BufferBatch extends BatchShape {
    FloatPointer logits;
    FloatPointer boxes;
    IntPointer offsets;
    IntPointer labels;
    FloatPointer targetBoxes;

    /**
     * An input description of the given shape, with no memory attached yet.
     *
     * @param batch     B &gt;= 1 images
     * @param queries   Q &gt;= 1 predictions per image, with {@code B*Q < 2^31}
     * @param numLogits C logits per prediction: K+1 &gt;= 2 (no-object last), or K &gt;= 1 with the focal loss
     * @throws InvalidInputException naming {@code batch}, {@code queries} or {@code numLogits} when it is out of
     *                               range
     */
    public BufferBatch(int batch, int queries, int numLogits) {
        super(batch, queries, numLogits);
    }

    /**
     * The predictions as direct buffers.
     *
     * @param logits B*Q*C floats, row-major
     * @param boxes  B*Q*4 floats {@code (cx, cy, w, h)}
     * @return this
     * @throws InvalidInputException naming {@code pred_logits} or {@code pred_boxes} when it is null, not direct, or
     *                               not in the platform's byte order
     */
    public BufferBatch predictions(FloatBuffer logits, FloatBuffer boxes) {
        FloatPointer l = BufferViews.floats("pred_logits", logits, false);
        this.boxes = BufferViews.floats("pred_boxes", boxes, false);
        this.logits = l;
        return this;
    }

    /**
     * The predictions as JavaCPP pointers to host memory (checked at call time).
     *
     * @param logits B*Q*C floats, row-major
     * @param boxes  B*Q*4 floats {@code (cx, cy, w, h)}
     * @return this
     */
    public BufferBatch predictions(FloatPointer logits, FloatPointer boxes) {
        this.logits = logits;
        this.boxes = boxes;
        return this;
    }

    /**
     * The targets as direct buffers, CSR.
     *
     * @param offsets     B+1 ints, {@code offsets[0] = 0}, non-decreasing
     * @param labels      {@code offsets[B]} ints in {@code [0, K)}
     * @param targetBoxes {@code 4*offsets[B]} floats {@code (cx, cy, w, h)}
     * @return this
     * @throws InvalidInputException naming {@code offsets}, {@code labels} or {@code target_boxes} when it is null,
     *                               not direct, or not in the platform's byte order
     */
    public BufferBatch targets(IntBuffer offsets, IntBuffer labels, FloatBuffer targetBoxes) {
        IntPointer o = BufferViews.ints("offsets", offsets, false);
        IntPointer l = BufferViews.ints("labels", labels, false);
        this.targetBoxes = BufferViews.floats("target_boxes", targetBoxes, false);
        this.offsets = o;
        this.labels = l;
        return this;
    }

    /**
     * The targets as JavaCPP pointers to host memory (checked at call time).
     *
     * @param offsets     B+1 ints, {@code offsets[0] = 0}, non-decreasing
     * @param labels      {@code offsets[B]} ints in {@code [0, K)}
     * @param targetBoxes {@code 4*offsets[B]} floats {@code (cx, cy, w, h)}
     * @return this
     */
    public BufferBatch targets(IntPointer offsets, IntPointer labels, FloatPointer targetBoxes) {
        this.offsets = offsets;
        this.labels = labels;
        this.targetBoxes = targetBoxes;
        return this;
    }

    @Override
    public String toString() {
        return "BufferBatch{" + shapeString() + "}";
    }
}

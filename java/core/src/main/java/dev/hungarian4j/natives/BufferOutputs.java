package dev.hungarian4j.natives;

import dev.hungarian4j.InvalidInputException;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;

/**
 * Where one {@link NativeBufferLoss#forward(BufferBatch, BufferOutputs)} call writes, by name: the assignment
 * (required), and optionally each image's matching cost and the two gradients. Build it once and re-point it when
 * the memory changes; capacities are checked at call time against the {@link BufferBatch}'s shape. Buffers must be
 * direct, writable and in the platform's byte order, and contribute their {@code position..limit} region as it is
 * when set. Not thread-safe: one instance per calling thread.
 */
public final class BufferOutputs {
    IntPointer assign;
    DoublePointer matchingCost;
    FloatPointer gradLogits;
    FloatPointer gradBoxes;

    /** An output description with nothing attached yet (set at least {@link #assignment(IntBuffer)}). */
    public BufferOutputs() {
    }

    /**
     * The assignment: B*Q ints, overwritten with the image-local target index or -1.
     *
     * @param assign a direct, writable buffer in native byte order
     * @return this
     * @throws InvalidInputException naming {@code assign_out} when it is null, not direct, read-only or in the
     *                               wrong byte order
     */
    public BufferOutputs assignment(IntBuffer assign) {
        this.assign = BufferViews.ints("assign_out", assign, true);
        return this;
    }

    /**
     * The assignment as a JavaCPP pointer (checked at call time).
     *
     * @param assign B*Q ints of host memory
     * @return this
     */
    public BufferOutputs assignment(IntPointer assign) {
        this.assign = assign;
        return this;
    }

    /**
     * Each image's optimal matching cost: B doubles, or null for none.
     *
     * @param cost a direct, writable buffer in native byte order, or null
     * @return this
     * @throws InvalidInputException naming {@code matching_cost_out} when it is not direct, read-only or in the
     *                               wrong byte order
     */
    public BufferOutputs matchingCost(DoubleBuffer cost) {
        this.matchingCost = cost == null ? null : BufferViews.doubles("matching_cost_out", cost, true);
        return this;
    }

    /**
     * Each image's optimal matching cost as a JavaCPP pointer, or null for none.
     *
     * @param cost B doubles of host memory, or null
     * @return this
     */
    public BufferOutputs matchingCost(DoublePointer cost) {
        this.matchingCost = cost;
        return this;
    }

    /**
     * The gradients {@code d total / d logits} (B*Q*C floats) and {@code d total / d boxes} (B*Q*4 floats), both
     * overwritten; both null for none.
     *
     * @param gradLogits a direct, writable buffer in native byte order, or null
     * @param gradBoxes  likewise; null exactly when {@code gradLogits} is
     * @return this
     * @throws InvalidInputException naming the gradient when only one is given, or it is not direct, read-only or in
     *                               the wrong byte order
     */
    public BufferOutputs gradients(FloatBuffer gradLogits, FloatBuffer gradBoxes) {
        NativeBufferLoss.checkGradPair(gradLogits, gradBoxes);
        if (gradLogits == null) {
            return gradients((FloatPointer) null, null);
        }
        FloatPointer gl = BufferViews.floats("grad_logits", gradLogits, true);
        FloatPointer gb = BufferViews.floats("grad_boxes", gradBoxes, true);
        return gradients(gl, gb);
    }

    /**
     * The gradients as JavaCPP pointers (checked at call time); both null for none.
     *
     * @param gradLogits B*Q*C floats of host memory, or null
     * @param gradBoxes  B*Q*4 floats of host memory, or null (null exactly when {@code gradLogits} is)
     * @return this
     * @throws InvalidInputException naming the gradient when only one is given
     */
    public BufferOutputs gradients(FloatPointer gradLogits, FloatPointer gradBoxes) {
        NativeBufferLoss.checkGradPair(gradLogits, gradBoxes);
        this.gradLogits = gradLogits;
        this.gradBoxes = gradBoxes;
        return this;
    }

    @Override
    public String toString() {
        return "BufferOutputs{matchingCost=" + (matchingCost != null) + ", gradients=" + (gradLogits != null) + "}";
    }
}

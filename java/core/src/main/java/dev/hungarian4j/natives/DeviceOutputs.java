package dev.hungarian4j.natives;

import dev.hungarian4j.InvalidInputException;
import org.bytedeco.javacpp.Pointer;

/**
 * Where one {@link CudaDeviceLoss} call writes, by name, in DEVICE memory: the loss terms (5 doubles: ce, bbox,
 * giou, total, num_boxes; required), the assignment (B*Q ints; required by {@code forward}), and optionally each
 * image's matching cost (B doubles), the auction's statistics (B*{@link dev.hungarian4j.MatcherReport#STATS_LEN}
 * ints) and the two gradients (B*Q*C and B*Q*4 floats, both or neither). Build it once and re-point it when the
 * memory moves; checked at call time. Not thread-safe: one instance per calling thread.
 */
public final class DeviceOutputs {
    Pointer terms;
    Pointer assign;
    Pointer matchingCost;
    Pointer stats;
    Pointer gradLogits;
    Pointer gradBoxes;

    /** An output description with nothing attached yet. */
    public DeviceOutputs() {
    }

    /**
     * The loss terms: 5 doubles of device memory.
     *
     * @param terms the device pointer
     * @return this
     */
    public DeviceOutputs terms(Pointer terms) {
        this.terms = terms;
        return this;
    }

    /**
     * The assignment: B*Q ints of device memory (image-local target or -1).
     *
     * @param assign the device pointer
     * @return this
     */
    public DeviceOutputs assignment(Pointer assign) {
        this.assign = assign;
        return this;
    }

    /**
     * Each image's matching cost: B doubles of device memory, or null for none.
     *
     * @param cost the device pointer, or null
     * @return this
     */
    public DeviceOutputs matchingCost(Pointer cost) {
        this.matchingCost = cost;
        return this;
    }

    /**
     * The auction's per-image statistics, or null for none.
     *
     * @param stats B*{@link dev.hungarian4j.MatcherReport#STATS_LEN} ints of device memory, or null
     * @return this
     */
    public DeviceOutputs stats(Pointer stats) {
        this.stats = stats;
        return this;
    }

    /**
     * The gradients, overwritten; both null for none.
     *
     * @param gradLogits B*Q*C floats of device memory, or null
     * @param gradBoxes  B*Q*4 floats of device memory, or null (null exactly when {@code gradLogits} is)
     * @return this
     * @throws InvalidInputException naming the gradient when only one is given
     */
    public DeviceOutputs gradients(Pointer gradLogits, Pointer gradBoxes) {
        NativeBufferLoss.checkGradPair(gradLogits, gradBoxes);
        this.gradLogits = gradLogits;
        this.gradBoxes = gradBoxes;
        return this;
    }

    /** The outputs a call writes: set, never at a negative position. */
    void check(boolean needAssign) {
        DeviceBatch.device("terms_out", terms, true);
        DeviceBatch.device("assign_out", assign, needAssign);
        DeviceBatch.device("matching_cost_out", matchingCost, false);
        DeviceBatch.device("stats_out", stats, false);
        DeviceBatch.device("grad_logits", gradLogits, false);
        DeviceBatch.device("grad_boxes", gradBoxes, false);
    }

    @Override
    public String toString() {
        return "DeviceOutputs{matchingCost=" + (matchingCost != null) + ", stats=" + (stats != null) + ", gradients="
                + (gradLogits != null) + "}";
    }
}

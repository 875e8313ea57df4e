package dev.hungarian4j.djl;

import dev.hungarian4j.LossTerms;
import dev.hungarian4j.Targets;

import java.nio.FloatBuffer;

/**
 * One backend's whole criterion call on host memory: costs, matching, loss and, when the gradient buffers
 * are given, the gradients of the total, written into those buffers.
 */
interface Criterion {
    /**
     * Runs the criterion.
     *
     * @param batch      B
     * @param queries    Q
     * @param numLogits  C = K+1
     * @param logits     B*Q*C floats from position 0, direct
     * @param boxes      B*Q*4 floats from position 0, direct
     * @param targets    the batch's targets, normalized {@code (cx, cy, w, h)}
     * @param gradLogits B*Q*C floats overwritten with the gradient, or null for none
     * @param gradBoxes  B*Q*4 floats overwritten with the gradient, or null (null exactly when gradLogits is)
     * @param assignOut  B*Q ints overwritten with each query's matched target index in its image, or -1
     * @return the loss terms
     */
    LossTerms run(int batch, int queries, int numLogits, FloatBuffer logits, FloatBuffer boxes, Targets targets,
            FloatBuffer gradLogits, FloatBuffer gradBoxes, int[] assignOut);

    /**
     * The backend's name as the command line spells it.
     *
     * @return {@code native} or {@code jvm}
     */
    String backendName();
}

package dev.hungarian4j.djl;

import dev.hungarian4j.LossTerms;
import dev.hungarian4j.Targets;

import java.nio.FloatBuffer;

/**
 * One backend's whole criterion call on host memory, for L decoder layers at once: costs, matching, loss and, when
 * the gradient buffers are given, the gradients of the sum of all layers' totals, written into those buffers. Layers
 * lie one after the other in every buffer, in decoder order (the final layer last).
 */
interface Criterion {
    /**
     * Runs the criterion.
     *
     * @param layers     L &gt;= 1
     * @param batch      B
     * @param queries    Q
     * @param numLogits  C (K+1, or K with the focal loss)
     * @param logits     L*B*Q*C floats from position 0, direct
     * @param boxes      L*B*Q*4 floats from position 0, direct
     * @param targets    the batch's targets, normalized {@code (cx, cy, w, h)}, shared by every layer
     * @param gradLogits L*B*Q*C floats overwritten with the gradient, or null for none
     * @param gradBoxes  L*B*Q*4 floats overwritten with the gradient, or null (null exactly when gradLogits is)
     * @param assignOut  L*B*Q ints overwritten with each query's matched target index in its image, or -1
     * @return the loss terms of each layer, index = layer
     */
    LossTerms[] run(int layers, int batch, int queries, int numLogits, FloatBuffer logits, FloatBuffer boxes,
            Targets targets, FloatBuffer gradLogits, FloatBuffer gradBoxes, int[] assignOut);

    /**
     * The backend's name as the command line spells it.
     *
     * @return {@code native} or {@code jvm}
     */
    String backendName();
}

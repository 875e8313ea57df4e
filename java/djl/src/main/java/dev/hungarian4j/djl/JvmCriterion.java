package dev.hungarian4j.djl;

import dev.hungarian4j.BackendKind;
import dev.hungarian4j.Batch;
import dev.hungarian4j.HungarianConfig;
import dev.hungarian4j.HungarianLoss;
import dev.hungarian4j.LossResult;
import dev.hungarian4j.LossTerms;
import dev.hungarian4j.Predictions;
import dev.hungarian4j.Targets;

import java.nio.FloatBuffer;

/**
 * The pure-Java backend behind the same interface, for machines where the native library does not load: the
 * tensors are copied into {@code float[]} arrays (the array path), and the gradients copied back.
 */
final class JvmCriterion implements Criterion {
    private final HungarianLoss loss;

    /**
     * Creates the criterion.
     *
     * @param config the cost and loss configuration
     */
    JvmCriterion(HungarianConfig config) {
        this.loss = HungarianLoss.create(config, BackendKind.JVM);
    }

    @Override
    public LossTerms run(int batch, int queries, int numLogits, FloatBuffer logits, FloatBuffer boxes, Targets targets,
            FloatBuffer gradLogits, FloatBuffer gradBoxes, int[] assignOut) {
        float[] l = new float[batch * queries * numLogits];
        float[] b = new float[batch * queries * 4];
        logits.get(0, l);
        boxes.get(0, b);
        Batch in = new Batch(new Predictions(batch, queries, numLogits, l, b), targets);
        LossResult r;
        if (gradLogits != null) {
            float[] gl = new float[l.length];
            float[] gb = new float[b.length];
            r = loss.computeInto(in, gl, gb);
            gradLogits.put(0, gl);
            gradBoxes.put(0, gb);
        } else {
            r = loss.compute(in, false);
        }
        System.arraycopy(r.matching().assignment(), 0, assignOut, 0, batch * queries);
        return r.loss();
    }

    @Override
    public String backendName() {
        return "jvm";
    }
}

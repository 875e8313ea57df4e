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
import java.util.ArrayList;
import java.util.List;

/**
 * The pure-Java backend behind the same interface, for machines where the native library does not load: the
 * tensors are copied into {@code float[]} arrays (the array path, with the final layer as the batch's top layer and
 * the earlier ones as its aux layers), and the gradients copied back.
 */
final class JvmCriterion implements Criterion {
    private final HungarianConfig config;
    private final HungarianLoss loss;

    /**
     * Creates the criterion.
     *
     * @param config the cost and loss configuration
     */
    JvmCriterion(HungarianConfig config) {
        this.config = config;
        this.loss = HungarianLoss.create(config, BackendKind.JVM);
    }

    @Override
    public LossTerms[] run(int layers, int batch, int queries, int numLogits, FloatBuffer logits, FloatBuffer boxes,
            Targets targets, FloatBuffer gradLogits, FloatBuffer gradBoxes, int[] assignOut) {
        int nl = batch * queries * numLogits;
        int nb = batch * queries * 4;
        List<Predictions> aux = new ArrayList<>(layers - 1);
        for (int l = 0; l < layers - 1; l++) {
            aux.add(layer(l, batch, queries, numLogits, logits, boxes));
        }
        Batch in = new Batch(layer(layers - 1, batch, queries, numLogits, logits, boxes), targets, aux);
        // the batch's layer i is decoder layer (i == 0 ? final : i - 1)
        float[][] gl = new float[layers][];
        float[][] gb = new float[layers][];
        LossResult r;
        if (gradLogits != null) {
            for (int i = 0; i < layers; i++) {
                gl[i] = new float[nl];
                gb[i] = new float[nb];
            }
            r = loss.computeInto(in, gl, gb);
        } else {
            r = loss.compute(in, false);
        }
        LossTerms[] terms = new LossTerms[layers];
        int rows = batch * queries;
        for (int i = 0; i < layers; i++) {
            int l = i == 0 ? layers - 1 : i - 1;
            terms[l] = i == 0 ? r.loss() : r.aux().get(i - 1).loss();
            int[] a = i == 0 ? r.matching().assignment() : r.aux().get(i - 1).matching().assignment();
            System.arraycopy(a, 0, assignOut, l * rows, rows);
            if (gradLogits != null) {
                gradLogits.put(l * nl, gl[i]);
                gradBoxes.put(l * nb, gb[i]);
            }
        }
        return terms;
    }

    private Predictions layer(int l, int batch, int queries, int numLogits, FloatBuffer logits, FloatBuffer boxes) {
        int nl = batch * queries * numLogits;
        int nb = batch * queries * 4;
        float[] lg = new float[nl];
        float[] bx = new float[nb];
        logits.get(l * nl, lg);
        boxes.get(l * nb, bx);
        return new Predictions(batch, queries, numLogits, lg, bx, config.lossClass());
    }

    @Override
    public String backendName() {
        return "jvm";
    }
}

package org.example;

import dev.hungarian4j.BackendKind;
import dev.hungarian4j.Batch;
import dev.hungarian4j.HungarianConfig;
import dev.hungarian4j.HungarianLoss;
import dev.hungarian4j.LossResult;
import dev.hungarian4j.Predictions;
import dev.hungarian4j.Targets;

/**
 * A user's first program: one loss call with BackendKind.AUTO on a two-image batch. Prints the backend that ran
 * and the loss; exits 3 when a backend other than the expected one (first argument, default native) ran.
 * Runs the same on the class path and on the module path (module-info.java beside it).
 */
public final class App {
    private App() {
    }

    public static void main(String[] args) {
        int b = 2, q = 3, c = 4;  // K = 3 classes + no-object
        float[] logits = new float[b * q * c];
        float[] boxes = new float[b * q * 4];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) Math.sin(i * 0.7);
        }
        for (int i = 0; i < b * q; i++) {
            boxes[4 * i] = 0.2f + 0.1f * i;
            boxes[4 * i + 1] = 0.7f - 0.05f * i;
            boxes[4 * i + 2] = 0.1f + 0.01f * i;
            boxes[4 * i + 3] = 0.2f;
        }
        Targets targets = new Targets(new int[] {0, 1, 3}, new int[] {2, 0, 1},
                new float[] {0.31f, 0.64f, 0.12f, 0.21f, 0.52f, 0.48f, 0.15f, 0.2f, 0.61f, 0.45f, 0.14f, 0.19f});
        HungarianLoss loss = HungarianLoss.create(HungarianConfig.DEFAULTS, BackendKind.AUTO);
        LossResult r = loss.compute(new Batch(new Predictions(b, q, c, logits, boxes), targets), true);
        String where = App.class.getModule().isNamed() ? "module path" : "class path";
        System.out.println("java " + Runtime.version().feature() + ", " + where + ": backend " + r.backend().cliName()
                + ", loss total " + r.loss().total());
        String expected = args.length > 0 ? args[0] : "native";
        System.exit(r.backend().cliName().equals(expected) ? 0 : 3);
    }
}

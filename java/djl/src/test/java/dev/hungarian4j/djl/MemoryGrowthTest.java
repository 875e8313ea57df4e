package dev.hungarian4j.djl;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.listener.TrainingListener;
import dev.hungarian4j.SyntheticBatch;
import dev.hungarian4j.Targets;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 1,000 training steps at DETR's Q and K (B=2, Q=100, K=91) with one scoped manager per batch: the process's
 * resident memory must not grow, and no array may stay attached to the trainer's manager. Each step allocates about 0.3 MB of tensors (logits, their gradient, the
 * surrogate's products), so a leak of any of them would add over 100 MB.
 */
class MemoryGrowthTest {
    private static final int B = 2;
    private static final int Q = 100;
    private static final int K = 91;
    private static final int F = 4;

    private static long residentBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    @Test
    void thousandStepsDoNotGrowResidentMemory() throws IOException {
        HungarianDetrLoss loss = HungarianDetrLoss.builder().build();
        Targets t = SyntheticBatch.generate(9, B, Q, K, 10).targets();
        float[] features = new float[B * F];
        java.util.Arrays.fill(features, 0.5f);
        try (Model model = Model.newInstance("memory")) {
            model.setBlock(TinyDetrHead.create(Q, K + 1));
            DefaultTrainingConfig cfg = new DefaultTrainingConfig(loss)
                    .addTrainingListeners(TrainingListener.Defaults.basic());
            loss.termEvaluators().forEach(cfg::addEvaluator);
            try (Trainer trainer = model.newTrainer(cfg)) {
                trainer.initialize(new Shape(B, F));
                long warm = 0;
                int arraysWarm = 0;
                long peakAfterWarm = 0;
                for (int s = 0; s < 1000; s++) {
                    NDManager m = trainer.getManager().newSubManager();
                    NDList data = new NDList(m.create(features, new Shape(B, F)));
                    try (Batch b = new Batch(m, data, Fixtures.paddedLabels(m, t, true), B, null, null, s, 1000)) {
                        EasyTrain.trainBatch(trainer, b);
                        trainer.step();
                    }
                    if (s == 199) {
                        System.gc();
                        warm = residentBytes();
                        arraysWarm = trainer.getManager().getManagedArrays().size();
                    } else if (s > 199 && s % 50 == 0) {
                        peakAfterWarm = Math.max(peakAfterWarm, residentBytes());
                    }
                }
                System.gc();
                long end = Math.max(peakAfterWarm, residentBytes());
                long growth = end - warm;
                int arraysEnd = trainer.getManager().getManagedArrays().size();
                System.out.printf("%d arrays alive after 200 steps, %d after 1000%n", arraysWarm, arraysEnd);
                System.out.printf("resident memory after 200 steps %.1f MB, max over the next 800 %.1f MB%n",
                        warm / 1e6, end / 1e6);
                assertEquals(arraysWarm, arraysEnd, "arrays alive in the trainer's manager after 200 and 1000 steps");
                assertTrue(growth < 64L << 20, "resident memory grew by " + growth / 1e6 + " MB over 800 steps");
                assertEquals(1000, loss.criterionCalls(), "criterion calls");
            }
        }
    }
}

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
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.hungarian4j.SyntheticBatch;
import dev.hungarian4j.Targets;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The loss inside DJL's own training loop: EasyTrain, the evaluator listener, the optimizer, scoped batches. */
class TrainerStepTest {
    private static final int B = 4;
    private static final int Q = 6;
    private static final int K = 3;
    private static final int F = 8;

    private static Batch batch(NDManager trainerManager, float[] features, Targets t) {
        NDManager m = trainerManager.newSubManager();
        NDList data = new NDList(m.create(features, new Shape(B, F)));
        NDList labels = Fixtures.paddedLabels(m, t, true);
        return new Batch(m, data, labels, B, null, null, 0, 1);
    }

    @Test
    void easyTrainStepsLowerTheLossWithOneCriterionCallPerStep() {
        HungarianDetrLoss loss = HungarianDetrLoss.builder().build();
        Targets t = SyntheticBatch.generate(3, Q, K, new int[] {1, 2, 3, 2}).targets();
        float[] features = new float[B * F];
        Random rnd = new Random(5);
        for (int i = 0; i < features.length; i++) {
            features[i] = (float) rnd.nextGaussian();
        }
        try (Model model = Model.newInstance("tiny-detr")) {
            model.setBlock(TinyDetrHead.create(Q, K + 1));
            DefaultTrainingConfig cfg = new DefaultTrainingConfig(loss)
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(3e-3f)).build())
                    .addTrainingListeners(TrainingListener.Defaults.basic());
            loss.termEvaluators().forEach(cfg::addEvaluator);
            try (Trainer trainer = model.newTrainer(cfg)) {
                trainer.setMetrics(new ai.djl.metric.Metrics());
                trainer.initialize(new Shape(B, F));
                List<Float> losses = new ArrayList<>();
                int steps = 60;
                for (int s = 0; s < steps; s++) {
                    try (Batch b = batch(trainer.getManager(), features, t)) {
                        EasyTrain.trainBatch(trainer, b);
                        trainer.step();
                    }
                    losses.add(loss.getAccumulator(ai.djl.training.listener.EvaluatorTrainingListener.TRAIN_ALL));
                }
                assertEquals(steps, loss.criterionCalls(), "one criterion call per step");
                assertTrue(losses.get(steps - 1) < 0.7f * losses.get(0), "loss " + losses);
                for (String term : new String[] {"ce", "bbox", "giou"}) {
                    String key = "train_all_hungarian_loss_" + term;
                    assertTrue(trainer.getMetrics().hasMetric(key), key);
                    assertFalse(Float.isNaN(trainer.getMetrics().latestMetric(key).getValue().floatValue()), key);
                }
            }
        }
    }

    @Test
    void djlCacheStaysInsideTheBuild() {
        String dir = System.getenv("DJL_CACHE_DIR");
        assertTrue(dir != null && dir.contains("target"), "DJL_CACHE_DIR=" + dir);
        assertTrue(Boolean.getBoolean("ai.djl.offline"));
    }
}

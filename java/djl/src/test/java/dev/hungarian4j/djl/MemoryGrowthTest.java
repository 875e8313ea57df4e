package dev.hungarian4j.djl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.evaluator.Evaluator;
import dev.hungarian4j.SyntheticBatch;
import dev.hungarian4j.Targets;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 1,000 steps at DETR's Q and K (B=2, Q=100, K=91), each in its own scoped manager as a training loop's batch
 * is: forward values, the loss under a gradient collector, backward, DJL's second evaluation for the loss
 * accumulator and the three term evaluators. No array may outlive its step, and resident memory must not grow:
 * each step allocates about 0.3 MB of tensors (logits, their gradient, the surrogate's products), so a leak of
 * any of them would add over 50 MB.
 */
class MemoryGrowthTest {
    private static final int B = 2;
    private static final int Q = 100;
    private static final int K = 91;

    private static long residentBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    @Test
    void thousandScopedStepsLeaveNothingBehind() throws IOException {
        HungarianDetrLoss loss = HungarianDetrLoss.builder().build();
        List<Evaluator> terms = loss.termEvaluators();
        loss.addAccumulator("train");
        terms.forEach(e -> e.addAccumulator("train"));
        String[] keys = {"train"};
        Targets t = SyntheticBatch.generate(9, B, Q, K, 10).targets();
        float[] logits0 = SyntheticBatch.generate(9, B, Q, K, 10).predictions().logits();
        float[] boxes0 = SyntheticBatch.generate(9, B, Q, K, 10).predictions().boxes();
        long warm = 0;
        long peak = 0;
        try (NDManager root = NDManager.newBaseManager()) {
            for (int s = 0; s < 1000; s++) {
                try (NDManager step = root.newSubManager()) {
                    NDArray logits = step.create(logits0, new Shape(B, Q, K + 1));
                    NDArray boxes = step.create(boxes0, new Shape(B, Q, 4));
                    logits.setRequiresGradient(true);
                    boxes.setRequiresGradient(true);
                    NDList labels = Fixtures.paddedLabels(step, t, true);
                    NDList pred;
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        // non-leaf predictions, as a model's outputs are
                        pred = new NDList(logits.mul(1f), boxes.mul(1f));
                        gc.backward(loss.evaluate(labels, pred));
                    }
                    loss.updateAccumulators(keys, labels, pred);
                    for (Evaluator e : terms) {
                        e.updateAccumulators(keys, labels, pred);
                    }
                }
                if (s == 199) {
                    System.gc();
                    warm = residentBytes();
                } else if (s > 199 && s % 50 == 0) {
                    peak = Math.max(peak, residentBytes());
                }
                assertEquals(0, root.getManagedArrays().size(), "arrays left in the root manager after step " + s);
            }
            System.gc();
            long end = Math.max(peak, residentBytes());
            System.out.printf("resident memory after 200 steps %.1f MB, max over the next 800 %.1f MB%n",
                    warm / 1e6, end / 1e6);
            assertTrue(end - warm < 48L << 20, "resident memory grew by " + (end - warm) / 1e6 + " MB in 800 steps");
            assertEquals(1000, loss.criterionCalls(), "criterion calls");
        }
    }
}

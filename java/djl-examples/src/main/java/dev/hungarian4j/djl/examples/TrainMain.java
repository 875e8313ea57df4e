package dev.hungarian4j.djl.examples;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.hungarian4j.djl.BoxFormat;
import dev.hungarian4j.djl.DetrLossOutput;
import dev.hungarian4j.djl.HungarianDetrLoss;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code bin/hungarian4j-train}: trains {@link SetPredictionModel} on {@link SyntheticShapes} with the DETR
 * Hungarian loss of hungarian4j through DJL, every decoder layer matched and lost (DETR's auxiliary losses, all
 * layers in one native call), then reports the held-out matched IoU of the final layer as one JSON line. The loss
 * reported is what is trained: the sum of all layers' totals.
 */
@Command(name = "hungarian4j-train", mixinStandardHelpOptions = true,
        description = "Train a small DETR-style set predictor on synthetic shapes with hungarian4j's loss in DJL.")
public final class TrainMain implements Callable<Integer> {
    @Option(names = "--steps", description = "training steps (default: ${DEFAULT-VALUE})")
    int steps = 2000;
    @Option(names = "--seed", description = "seed of the data and the weights (default: ${DEFAULT-VALUE})")
    long seed = 1;
    @Option(names = "--plot", description = "write the loss curve to this PNG file")
    Path plot;
    @Option(names = "--batch", description = "images per step (default: ${DEFAULT-VALUE})")
    int batch = 16;
    @Option(names = "--lr", description = "Adam learning rate (default: ${DEFAULT-VALUE})")
    float lr = 2e-3f;
    @Option(names = "--held-out", description = "held-out images for the IoU (default: ${DEFAULT-VALUE})")
    int heldOut = 256;
    @Option(names = "--check", description = "exit 1 unless: decreased (loss_last < loss_first) or converged "
            + "(loss_last < 0.5 loss_first and mean_iou_matched >= 0.5)")
    String check;

    private static final int SIZE = 32;
    private static final int WINDOW = 20;

    /**
     * Runs the command line.
     *
     * @param args the arguments; {@code --help} lists them
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new TrainMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (check != null && !check.equals("decreased") && !check.equals("converged")) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--check: decreased or converged");
        }
        ai.djl.engine.Engine.getInstance().setRandomSeed((int) seed);
        int queries = SetPredictionModel.queries(SIZE);
        HungarianDetrLoss loss = HungarianDetrLoss.builder()
                .boxFormat(BoxFormat.cocoPixels(SIZE, SIZE)).build();
        SyntheticShapes data = new SyntheticShapes(SIZE, seed);
        List<Double> losses = new ArrayList<>(steps);
        double[] criterionMs = new double[steps];
        double iou;
        long trainNanos;
        long trainCpuNanos;
        try (Model model = Model.newInstance("set-prediction")) {
            model.setBlock(SetPredictionModel.create(SIZE, SyntheticShapes.CLASSES));
            DefaultTrainingConfig cfg = new DefaultTrainingConfig(loss)
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(lr)).build());
            try (Trainer trainer = model.newTrainer(cfg)) {
                trainer.initialize(new Shape(batch, 3, SIZE, SIZE));
                ConsoleProgress progress = new ConsoleProgress(System.err, steps);
                long t0 = System.nanoTime();
                long cpu0 = processCpuNanos();
                for (int s = 0; s < steps; s++) {
                    try (NDManager m = trainer.getManager().newSubManager()) {
                        SyntheticShapes.Sample sample = data.next(batch);
                        NDList x = new NDList(images(m, sample, batch));
                        NDList labels = labels(m, sample, batch);
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDList pred = trainer.forward(x, labels);
                            long c0 = System.nanoTime();
                            DetrLossOutput out = loss.compute(labels, pred);
                            criterionMs[s] = (System.nanoTime() - c0) / 1e6;
                            gc.backward(out.loss());
                            losses.add(out.totalAllLayers());
                        }
                        trainer.step();
                    }
                    progress.update(s + 1, losses.get(s));
                }
                trainNanos = System.nanoTime() - t0;
                trainCpuNanos = processCpuNanos() - cpu0;
                iou = heldOutIou(trainer, loss, new SyntheticShapes(SIZE, seed + 1_000_003L), queries);
            }
        }
        if (plot != null) {
            LossCurve.write(plot, losses, WINDOW);
        }
        double first = mean(losses.subList(0, Math.min(WINDOW, steps)));
        double last = mean(losses.subList(Math.max(0, steps - WINDOW), steps));
        double[] sorted = criterionMs.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "{\"steps\": %d, \"loss_first\": %.6f, \"loss_last\": %.6f, "
                + "\"mean_iou_matched\": %.4f, \"steps_per_s\": %.2f, \"criterion_ms_median\": %.4f, "
                + "\"train_s\": %.1f, \"train_cpu_s\": %.1f, \"backend\": \"%s\", \"batch\": %d, \"queries\": %d, "
                + "\"layers\": %d, \"seed\": %d}%n", steps, first, last, iou, steps / (trainNanos / 1e9),
                sorted[steps / 2], trainNanos / 1e9, trainCpuNanos / 1e9, loss.backend(), batch, queries,
                SetPredictionModel.LAYERS, seed);
        if ("decreased".equals(check) && !(last < first)) {
            System.err.println("check failed: loss_last " + last + " is not below loss_first " + first);
            return 1;
        }
        if ("converged".equals(check) && !(last < 0.5 * first && iou >= 0.5)) {
            System.err.println("check failed: need loss_last < 0.5 loss_first and mean_iou_matched >= 0.5");
            return 1;
        }
        return 0;
    }

    /** CPU time of the whole process (all threads), to tell work from waiting on a shared machine. */
    private static long processCpuNanos() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0L;
    }

    private static NDArray images(NDManager m, SyntheticShapes.Sample s, int batch) {
        return m.create(s.images(), new Shape(batch, 3, SIZE, SIZE));
    }

    private static NDList labels(NDManager m, SyntheticShapes.Sample s, int batch) {
        return new NDList(m.create(s.rows(), new Shape(batch, SyntheticShapes.MAX_OBJECTS, 5)), m.create(s.counts()));
    }

    /** Mean IoU of every held-out object with the prediction the Hungarian matching gives it. */
    private double heldOutIou(Trainer trainer, HungarianDetrLoss loss, SyntheticShapes heldOutData, int queries) {
        double sum = 0;
        long n = 0;
        for (int done = 0; done < heldOut; done += batch) {
            int b = Math.min(batch, heldOut - done);
            try (NDManager m = trainer.getManager().newSubManager()) {
                SyntheticShapes.Sample sample = heldOutData.next(b);
                NDList labels = labels(m, sample, b);
                NDList pred = trainer.evaluate(new NDList(images(m, sample, b)));
                DetrLossOutput out = loss.compute(labels, pred);
                // the final decoder layer's boxes, matched as out.assignment() says
                float[] boxes = pred.get(1).get(SetPredictionModel.LAYERS - 1).toFloatArray();
                for (int i = 0; i < b; i++) {
                    for (int q = 0; q < queries; q++) {
                        int t = out.assignment()[i * queries + q];
                        if (t < 0) {
                            continue;
                        }
                        int at = (i * SyntheticShapes.MAX_OBJECTS + t) * 5;
                        float[] r = sample.rows();
                        sum += iou(boxes, (i * queries + q) * 4, r[at + 1] / SIZE, r[at + 2] / SIZE,
                                r[at + 3] / SIZE, r[at + 4] / SIZE);
                        n++;
                    }
                }
            }
        }
        return sum / n;
    }

    /** IoU of a predicted (cx, cy, w, h) box and a top-left (x, y, w, h) box. */
    private static double iou(float[] p, int at, double x, double y, double w, double h) {
        double px1 = p[at] - p[at + 2] / 2.0;
        double py1 = p[at + 1] - p[at + 3] / 2.0;
        double px2 = px1 + p[at + 2];
        double py2 = py1 + p[at + 3];
        double iw = Math.max(0, Math.min(px2, x + w) - Math.max(px1, x));
        double ih = Math.max(0, Math.min(py2, y + h) - Math.max(py1, y));
        double inter = iw * ih;
        double union = (double) p[at + 2] * p[at + 3] + w * h - inter;
        return union > 0 ? inter / union : 0;
    }

    private static double mean(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }
}

package dev.hungarian4j.cli;

import dev.hungarian4j.BackendKind;
import dev.hungarian4j.Backends;
import dev.hungarian4j.Batch;
import dev.hungarian4j.SyntheticBatch;
import dev.hungarian4j.HungarianConfig;
import dev.hungarian4j.HungarianLoss;
import dev.hungarian4j.MatcherKind;
import dev.hungarian4j.Matching;
import dev.hungarian4j.spi.ComputeBackend;

import java.util.Arrays;

/**
 * Times the pipeline stages of one backend on one generated batch (CONTRACT.md "Bench output"), each after its
 * own warm-up: {@code cost} builds all cost blocks ({@link HungarianLoss#costs}); {@code match} is the matching
 * alone on those precomputed blocks; {@code loss} the loss and gradients given that matching; {@code total} one
 * whole public call ({@link HungarianLoss#compute} with gradients).
 */
final class BenchRunner {
    private final int warmup;
    private final int iterations;
    private final long seed;

    /**
     * @param warmup     untimed runs of each stage before timing
     * @param iterations timed runs of each stage
     * @param seed       seed of the generated batch
     */
    BenchRunner(int warmup, int iterations, long seed) {
        this.warmup = warmup;
        this.iterations = iterations;
        this.seed = seed;
    }

    /**
     * Times one backend on one size.
     *
     * @param kind    the backend (an unusable one throws {@link dev.hungarian4j.BackendUnavailableException})
     * @param matcher the matcher, or null for the backend's default
     * @param size    the generated batch's size
     */
    BenchResult run(BackendKind kind, MatcherKind matcher, BenchSize size) {
        HungarianConfig config = HungarianConfig.DEFAULTS;
        HungarianLoss loss = HungarianLoss.create(config, kind, matcher);
        ComputeBackend backend = Backends.select(kind).backend();
        Batch batch = SyntheticBatch.generate(seed, size.batch(), size.queries(), size.classes(), size.targets());
        float[] costs = loss.costs(batch);
        Matching matching = backend.match(batch, costs, loss.matcher());
        float[] gradLogits = new float[batch.predictions().logits().length];
        float[] gradBoxes = new float[batch.predictions().boxes().length];

        double[][] stats = new double[4][];
        stats[0] = time(() -> loss.costs(batch));
        stats[1] = time(() -> backend.match(batch, costs, loss.matcher()));
        stats[2] = time(() -> backend.loss(config, batch, matching.assignment(), gradLogits, gradBoxes));
        stats[3] = time(() -> loss.compute(batch, true));
        double[] median = new double[4];
        double[] p90 = new double[4];
        for (int s = 0; s < 4; s++) {
            median[s] = stats[s][0];
            p90[s] = stats[s][1];
        }
        return new BenchResult(loss.backend().cliName(), loss.matcher().cliName(), size, median, p90);
    }

    /** Median and 90th percentile (nearest rank) in microseconds, rounded to 0.1 us. */
    private double[] time(Runnable stage) {
        for (int i = 0; i < warmup; i++) {
            stage.run();
        }
        long[] ns = new long[iterations];
        for (int i = 0; i < iterations; i++) {
            long t0 = System.nanoTime();
            stage.run();
            ns[i] = System.nanoTime() - t0;
        }
        Arrays.sort(ns);
        double median = iterations % 2 == 1 ? ns[iterations / 2]
                : (ns[iterations / 2 - 1] + ns[iterations / 2]) / 2.0;
        double p90 = ns[(int) Math.ceil(0.9 * iterations) - 1];
        return new double[] {micros(median), micros(p90)};
    }

    private static double micros(double ns) {
        return Math.round(ns / 100.0) / 10.0;
    }
}

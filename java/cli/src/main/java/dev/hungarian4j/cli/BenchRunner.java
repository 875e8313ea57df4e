package dev.hungarian4j.cli;

import dev.hungarian4j.BackendKind;
import dev.hungarian4j.Backends;
import dev.hungarian4j.Batch;
import dev.hungarian4j.SyntheticBatch;
import dev.hungarian4j.HungarianConfig;
import dev.hungarian4j.HungarianLoss;
import dev.hungarian4j.LossClass;
import dev.hungarian4j.MatcherKind;
import dev.hungarian4j.Matching;
import dev.hungarian4j.QueryGroups;
import dev.hungarian4j.spi.ComputeBackend;

import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * Times the pipeline stages of one backend on one generated batch (contract.md "Bench output") in steady state by
 * construction: every stage writes into arrays allocated once before timing, so a timed call never lands on heap
 * pages touched for the first time. {@code cost} fills all cost blocks ({@link ComputeBackend#costBlocks}) into a
 * reused array; {@code match} is the matching alone on those blocks; {@code loss} the loss and gradients given that
 * matching, into reused gradient arrays; {@code total} one whole public call into reused gradient arrays
 * ({@link HungarianLoss#computeInto}); {@code total_alloc} the allocating public call ({@link HungarianLoss#compute}
 * with gradients), which a training loop that keeps its arrays does not pay. Each stage is warmed up for at least
 * the given number of runs and the given time, and until the JIT has been quiet for {@link #JIT_QUIET_NS};
 * {@code total_alloc} also until the garbage collector has run once since its warm-up began (the heap has cycled,
 * so its pages are no longer fresh); those waits last at most {@link #HEAP_CYCLE_FACTOR} times the warm-up time.
 * The timed runs are run again (at most {@link #RETIMES} times) when the JIT compiled something while they ran.
 * With L decoder layers (contract.md section 3, {@code --layers}) {@code cost}, {@code match} and {@code loss} run
 * once per layer (query groups reach the matcher as more images) and {@code total} / {@code total_alloc} are still
 * one call, which on the native backend puts every (layer, image, group) problem into one native call;
 * {@code layer_calls} is its baseline, the same L layers as L one-layer {@code computeInto} calls, each on its own
 * layer's arrays (the same working set as the batched call); {@code one_layer} is the one-layer call on layer 0
 * alone, repeated as {@code --layers 1} repeats it (its arrays stay in the caches between runs). Those three are
 * timed in {@link #ROUNDS} alternating blocks, so that a slower phase of a shared machine (another process, the
 * JIT compiling) falls on all three alike instead of on one: their ratios are read from one run. With a gap
 * ({@code --gap-us}) every timed run comes after that much idle time, as a training loop's calls come after its
 * model's work: the pools' workers have stopped polling by then and sleep (the warm-up runs back to back).
 */
final class BenchRunner {
    /**
     * The warm-up's waits (for the JIT to go quiet, for a garbage collection) last at most this times the warm-up
     * time.
     */
    static final int HEAP_CYCLE_FACTOR = 10;
    /**
     * The warm-up also lasts until the JIT has compiled nothing for this long: with 200 ms alone, C2 was still
     * compiling the jvm backend's pooled path when 8x100x91x10 on two threads was timed (a median of 320-1,170 us
     * against 208 us in JMH). It is not enough on its own: a method's next tier waits for its call count, not for a
     * quiet JIT, and with 200-500 ms native 8x100x91x10 on two threads still came out at 210-225 us in some JVMs
     * (100-115 us in the others and in JMH); the 1,000 ms default of {@code --warmup-time} gave 99-111 us in all.
     */
    static final long JIT_QUIET_NS = 100_000_000L;

    /**
     * Times a stage's timed runs are run again at most when the JIT compiled something meanwhile (on two cores a
     * compiler thread takes one of them: the pool then runs at half speed).
     */
    static final int RETIMES = 3;

    /** Blocks per stage of the stages timed together ({@code total}, {@code layer_calls}, {@code one_layer}). */
    static final int ROUNDS = 5;

    /** The longest idle time before a timed run that {@code --gap-us} takes (1 s). */
    static final int MAX_GAP_US = 1_000_000;

    private final int warmup;
    private final long warmupNs;
    private final int iterations;
    private final long seed;
    private final long gapNs;

    /**
     * @param warmup     untimed runs of each stage before timing, at least
     * @param warmupMs   milliseconds of untimed runs of each stage, at least
     * @param iterations timed runs of each stage
     * @param seed       seed of the generated batch
     * @param gapUs      idle microseconds before each timed run (0: back to back)
     */
    BenchRunner(int warmup, int warmupMs, int iterations, long seed, int gapUs) {
        this.warmup = warmup;
        this.warmupNs = warmupMs * 1_000_000L;
        this.iterations = iterations;
        this.seed = seed;
        this.gapNs = gapUs * 1_000L;
    }

    /** The gap before a timed run: the calling thread parked (parkNanos may return early: until the deadline). */
    private void idle() {
        if (gapNs <= 0) {
            return;
        }
        long end = System.nanoTime() + gapNs;
        for (long left = gapNs; left > 0; left = end - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    /**
     * Times one backend on one size.
     *
     * @param kind    the backend (an unusable one throws {@link dev.hungarian4j.BackendUnavailableException})
     * @param matcher the matcher, or null for the backend's default
     * @param size    the generated batch's size
     * @param family  layers, query groups and loss class
     */
    BenchResult run(BackendKind kind, MatcherKind matcher, BenchSize size, BenchFamily family) {
        LossClass lc = family.focal() ? LossClass.FOCAL : LossClass.CE;
        HungarianConfig config = family.isPlain() ? HungarianConfig.DEFAULTS
                : HungarianConfig.builder().groups(family.groups()).lossClass(lc).build();
        HungarianLoss loss = HungarianLoss.create(config, kind, matcher);
        ComputeBackend backend = Backends.select(kind).backend();
        int[] counts = new int[size.batch()];
        Arrays.fill(counts, size.targets());
        Batch batch = family.isPlain()
                ? SyntheticBatch.generate(seed, size.batch(), size.queries(), size.classes(), size.targets())
                : SyntheticBatch.generate(seed, size.queries(), size.classes(), counts, family.layers(), lc);
        int layers = batch.layers();
        Batch[] layer = new Batch[layers];
        Batch[] view = new Batch[layers];
        float[][] costs = new float[layers][];
        int[][] assignment = new int[layers][];
        float[][] gradLogits = new float[layers][];
        float[][] gradBoxes = new float[layers][];
        for (int l = 0; l < layers; l++) {
            layer[l] = batch.layerBatch(l);
            view[l] = QueryGroups.view(layer[l], family.groups());
            costs[l] = loss.costs(layer[l]);
            Matching m = backend.match(view[l], costs[l], loss.matcher());
            assignment[l] = m.assignment();
            gradLogits[l] = new float[batch.predictions().logits().length];
            gradBoxes[l] = new float[batch.predictions().boxes().length];
        }

        int n = BenchResult.STAGES.length;
        double[][] stats = new double[n][];
        stats[0] = time(() -> {
            for (int l = 0; l < layers; l++) {
                backend.costBlocks(config, layer[l], costs[l]);
            }
        }, false);
        stats[1] = time(() -> {
            for (int l = 0; l < layers; l++) {
                backend.match(view[l], costs[l], loss.matcher());
            }
        }, false);
        stats[2] = time(() -> {
            for (int l = 0; l < layers; l++) {
                backend.loss(config, layer[l], assignment[l], gradLogits[l], gradBoxes[l]);
            }
        }, false);
        Runnable total = () -> loss.computeInto(batch, gradLogits, gradBoxes);
        if (layers > 1) {
            // The batched call's baseline: the same layers as L one-layer calls, each on its own layer's arrays, so
            // the working set is the same as the batched call's; and the one-layer call repeated on layer 0, whose
            // arrays stay in the caches.
            double[][] together = timeTogether(total, () -> {
                for (int l = 0; l < layers; l++) {
                    loss.computeInto(layer[l], gradLogits[l], gradBoxes[l]);
                }
            }, () -> loss.computeInto(layer[0], gradLogits[0], gradBoxes[0]));
            stats[BenchResult.TOTAL] = together[0];
            stats[BenchResult.LAYER_CALLS] = together[1];
            stats[BenchResult.ONE_LAYER] = together[2];
        } else {
            stats[BenchResult.TOTAL] = time(total, false);
            stats[BenchResult.LAYER_CALLS] = stats[BenchResult.ONE_LAYER] = new double[] {Double.NaN, Double.NaN};
        }
        stats[4] = time(() -> loss.compute(batch, true), true);
        double[] median = new double[n];
        double[] p90 = new double[n];
        for (int s = 0; s < n; s++) {
            median[s] = stats[s][0];
            p90[s] = stats[s][1];
        }
        return new BenchResult(loss.backend().cliName(), loss.matcher().cliName(), size, family, median, p90);
    }

    /** Median and 90th percentile (nearest rank) in microseconds, rounded to 0.1 us. */
    private double[] time(Runnable stage, boolean untilHeapCycled) {
        warmUp(stage, untilHeapCycled);
        long[] ns = new long[iterations];
        timedRuns(() -> {
            for (int i = 0; i < iterations; i++) {
                idle();
                long t0 = System.nanoTime();
                stage.run();
                ns[i] = System.nanoTime() - t0;
            }
        });
        return stats(ns);
    }

    /**
     * Median and 90th percentile of each stage, timed in {@link #ROUNDS} blocks that alternate between the stages
     * (each block starts with one untimed run, so that it runs from its own stage's cache state).
     */
    private double[][] timeTogether(Runnable... stages) {
        for (Runnable stage : stages) {
            warmUp(stage, false);
        }
        long[][] ns = new long[stages.length][iterations];
        int rounds = Math.min(ROUNDS, iterations);
        timedRuns(() -> {
            int done = 0;
            for (int r = 0; r < rounds; r++) {
                int n = (iterations - done) / (rounds - r);
                for (int s = 0; s < stages.length; s++) {
                    stages[s].run();
                    for (int i = done; i < done + n; i++) {
                        idle();
                        long t0 = System.nanoTime();
                        stages[s].run();
                        ns[s][i] = System.nanoTime() - t0;
                    }
                }
                done += n;
            }
        });
        double[][] out = new double[stages.length][];
        for (int s = 0; s < stages.length; s++) {
            out[s] = stats(ns[s]);
        }
        return out;
    }

    /**
     * Runs {@code timing} (which records its own times), and again while the JIT compiled something meanwhile, at
     * most {@link #RETIMES} more times.
     */
    private static void timedRuns(Runnable timing) {
        for (int attempt = 0; ; attempt++) {
            long jit = jitMillis();
            timing.run();
            if (jitMillis() == jit || attempt == RETIMES) {
                return;
            }
        }
    }

    /**
     * Untimed runs of a stage: at least {@code warmup} runs and the warm-up time, and until the JIT has been quiet for
     * {@link #JIT_QUIET_NS} (and, if asked, the garbage collector has run), for at most {@link #HEAP_CYCLE_FACTOR}
     * times the warm-up time.
     */
    private void warmUp(Runnable stage, boolean untilHeapCycled) {
        long start = System.nanoTime();
        long gcs = collections();
        long jit = jitMillis();
        long jitQuietSince = start;
        for (int i = 0; ; i++) {
            long now = System.nanoTime();
            long j = jitMillis();
            if (j != jit) { // the JIT compiled something during the last run: not steady yet
                jit = j;
                jitQuietSince = now;
            }
            boolean capped = now - start >= HEAP_CYCLE_FACTOR * warmupNs;
            boolean warm = i >= warmup && now - start >= warmupNs;
            boolean jitQuiet = now - jitQuietSince >= JIT_QUIET_NS;
            boolean heapCycled = !untilHeapCycled || collections() != gcs;
            if (warm && (capped || (jitQuiet && heapCycled))) {
                break;
            }
            stage.run();
        }
    }

    /** Median and 90th percentile (nearest rank) of the times, in microseconds rounded to 0.1 us. */
    private static double[] stats(long[] ns) {
        int iterations = ns.length;
        Arrays.sort(ns);
        double median = iterations % 2 == 1 ? ns[iterations / 2]
                : (ns[iterations / 2 - 1] + ns[iterations / 2]) / 2.0;
        double p90 = ns[(int) Math.ceil(0.9 * iterations) - 1];
        return new double[] {micros(median), micros(p90)};
    }

    /**
     * Milliseconds the JIT compilers have spent so far, or 0 where the JVM does not say (then the warm-up does not
     * wait for it).
     */
    private static long jitMillis() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }

    /** Garbage collections so far, over every collector. */
    private static long collections() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionCount());
        }
        return n;
    }

    private static double micros(double ns) {
        return Math.round(ns / 100.0) / 10.0;
    }
}

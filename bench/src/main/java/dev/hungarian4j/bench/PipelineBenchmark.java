package dev.hungarian4j.bench;

import dev.hungarian4j.BackendKind;
import dev.hungarian4j.Backends;
import dev.hungarian4j.Batch;
import dev.hungarian4j.HungarianConfig;
import dev.hungarian4j.HungarianLoss;
import dev.hungarian4j.LossResult;
import dev.hungarian4j.LossTerms;
import dev.hungarian4j.Matching;
import dev.hungarian4j.MatcherKind;
import dev.hungarian4j.SyntheticBatch;
import dev.hungarian4j.spi.ComputeBackend;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Each pipeline stage and the whole call, per backend and DETR-realistic size. Sizes with {@code L6} run six
 * decoder layers (the aux-loss workload) as six calls. A backend that is not usable here is skipped by
 * {@link #setup()} with its reason.
 *
 * <p>{@code java -jar bench/target/benchmarks.jar PipelineBenchmark -p backend=native -prof gc}
 *
 * <p>The score is the mean time per call ({@code Mode.AverageTime}); the CLI bench reports medians. On a shared
 * machine a few calls that lose their core for a scheduling period raise the mean far above the median, so compare
 * the CLI with {@code -bm sample}, whose {@code p0.50} line is the median ({@code bench/compare_cli_jmh.sh} does).
 *
 * <p>The annotations are a quick profile (the whole default jar runs in about two minutes on two cores); for
 * error bars run longer, e.g. {@code -f 3 -wi 5 -w 1s -i 10 -r 1s} (see bench/README.md).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 2, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class PipelineBenchmark {
    /**
     * jvm, native or cuda. cuda is not in the defaults because the development machines and CI have no GPU
     * (its setup would fail the trial there); on a GPU machine run {@code -p backend=jvm,native,cuda}.
     */
    @Param({"jvm", "native"})
    public String backend;

    /** BxQxKxM, optionally followed by {@code xL6} for six decoder layers. */
    @Param({"8x100x91x10", "64x100x91x20", "16x300x91x50", "4x900x91x100", "8x100x91x10xL6"})
    public String size;

    private HungarianLoss loss;
    private ComputeBackend compute;
    private Batch[] layers;
    private float[] costs;
    private int[] assignment;
    private float[] gradLogits;
    private float[] gradBoxes;

    /**
     * jvm and native: the threads a call may use ({@link Backends#setMaxNativeThreads}; 0 = every core). The CLI
     * bench's {@code --threads} sets the same cap.
     */
    @Param({"0"})
    public int threads;

    /**
     * Seed of the generated batch (layer {@code l} gets {@code seed + l}). 1 is the CLI bench's default
     * ({@code --seed}), so that both time the very same batch: the matcher's work depends on the data.
     */
    @Param({"1"})
    public long seed;

    /** Builds the batch and warms the backend; fails with the reason when the backend is unavailable. */
    @Setup(Level.Trial)
    public void setup() {
        BackendKind kind = BackendKind.parse(backend);
        Backends.setMaxNativeThreads(threads);
        loss = HungarianLoss.create(HungarianConfig.DEFAULTS, kind, MatcherKind.EXACT);
        compute = Backends.select(kind).backend();
        String[] parts = size.split("xL");
        int[] s = BenchSizes.parse(parts[0]);
        int numLayers = parts.length > 1 ? Integer.parseInt(parts[1]) : 1;
        layers = new Batch[numLayers];
        for (int l = 0; l < numLayers; l++) {
            layers[l] = SyntheticBatch.generate(seed + l, s[0], s[1], s[2], s[3]);
        }
        Batch b = layers[0];
        costs = new float[b.queries() * b.targets().total()];
        compute.costBlocks(loss.config(), b, costs);
        assignment = compute.match(b, costs, MatcherKind.EXACT).assignment();
        gradLogits = new float[b.predictions().logits().length];
        gradBoxes = new float[b.predictions().boxes().length];
    }

    /** Cost blocks of every image (first layer). */
    @Benchmark
    public float[] cost() {
        compute.costBlocks(loss.config(), layers[0], costs);
        return costs;
    }

    /** Matching alone on precomputed cost blocks (first layer). */
    @Benchmark
    public Matching match() {
        return compute.match(layers[0], costs, MatcherKind.EXACT);
    }

    /** Loss and gradients with the matching fixed (first layer). */
    @Benchmark
    public LossTerms lossAndGradients() {
        return compute.loss(loss.config(), layers[0], assignment, gradLogits, gradBoxes);
    }

    /**
     * The whole public call (costs, matching, loss, gradients) for every layer, into gradient arrays reused across
     * calls ({@link HungarianLoss#computeInto}): the steady state of a training loop, and what the CLI bench's
     * {@code total} measures.
     */
    @Benchmark
    public double total() {
        double sum = 0;
        for (Batch b : layers) {
            LossResult r = loss.computeInto(b, gradLogits, gradBoxes);
            sum += r.loss().total();
        }
        return sum;
    }

    /** As {@link #total()} with newly allocated gradient arrays per call ({@link HungarianLoss#compute}). */
    @Benchmark
    public double totalAlloc() {
        double sum = 0;
        for (Batch b : layers) {
            LossResult r = loss.compute(b, true);
            sum += r.loss().total();
        }
        return sum;
    }
}

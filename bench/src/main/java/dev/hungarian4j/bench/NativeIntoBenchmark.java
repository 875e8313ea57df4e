package dev.hungarian4j.bench;

import dev.hungarian4j.BackendKind;
import dev.hungarian4j.Batch;
import dev.hungarian4j.HungarianConfig;
import dev.hungarian4j.HungarianLoss;
import dev.hungarian4j.MatcherKind;
import dev.hungarian4j.SyntheticBatch;
import dev.hungarian4j.natives.NativeBackend;
import dev.hungarian4j.natives.NativeBufferLoss;
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

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.concurrent.TimeUnit;

/**
 * The native backend's allocation-free entry points ({@link NativeBackend#forwardInto},
 * {@link NativeBackend#matchInto}): caller-owned output arrays, reused every call. With {@code -prof gc},
 * {@code gc.alloc.rate.norm} should be ~0 B/op; compare with {@code PipelineBenchmark.total} and {@code .match},
 * which return fresh result objects and gradient arrays.
 *
 * <p>{@code java -jar bench/target/benchmarks.jar NativeIntoBenchmark -prof gc}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 2, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class NativeIntoBenchmark {
    /** BxQxKxM. */
    @Param({"8x100x91x10", "64x100x91x20"})
    public String size;

    private NativeBackend nb;
    private Batch batch;
    private float[] costs;
    private int[] assign;
    private double[] cost;
    private double[] terms;
    private float[] gradLogits;
    private float[] gradBoxes;
    private NativeBufferLoss direct;
    private FloatBuffer dLogits;
    private FloatBuffer dBoxes;
    private IntBuffer dOffsets;
    private IntBuffer dLabels;
    private FloatBuffer dTargetBoxes;
    private IntBuffer dAssign;
    private DoubleBuffer dCost;
    private FloatBuffer dGradLogits;
    private FloatBuffer dGradBoxes;

    /** Builds the batch (seed of PipelineBenchmark) and the reusable output arrays; fails without the native library. */
    @Setup(Level.Trial)
    public void setup() {
        nb = NativeBackend.instance();
        int[] s = BenchSizes.parse(size);
        batch = SyntheticBatch.generate(42, s[0], s[1], s[2], s[3]);
        costs = HungarianLoss.create(HungarianConfig.DEFAULTS, BackendKind.NATIVE, MatcherKind.EXACT).costs(batch);
        assign = new int[batch.batch() * batch.queries()];
        cost = new double[batch.batch()];
        terms = new double[5];
        gradLogits = new float[batch.predictions().logits().length];
        gradBoxes = new float[batch.predictions().boxes().length];
        direct = new NativeBufferLoss(HungarianConfig.DEFAULTS);
        dLogits = floats(batch.predictions().logits());
        dBoxes = floats(batch.predictions().boxes());
        dOffsets = ints(batch.targets().offsets());
        dLabels = ints(batch.targets().labels());
        dTargetBoxes = floats(batch.targets().boxes());
        dAssign = ByteBuffer.allocateDirect(4 * assign.length).order(ByteOrder.nativeOrder()).asIntBuffer();
        dCost = ByteBuffer.allocateDirect(8 * cost.length).order(ByteOrder.nativeOrder()).asDoubleBuffer();
        dGradLogits = floats(gradLogits);
        dGradBoxes = floats(gradBoxes);
    }

    private static FloatBuffer floats(float[] a) {
        FloatBuffer b = ByteBuffer.allocateDirect(4 * a.length).order(ByteOrder.nativeOrder()).asFloatBuffer();
        b.put(a).flip();
        return b;
    }

    private static IntBuffer ints(int[] a) {
        IntBuffer b = ByteBuffer.allocateDirect(4 * a.length).order(ByteOrder.nativeOrder()).asIntBuffer();
        b.put(a).flip();
        return b;
    }

    /** Costs, exact matching, loss and gradients in one native call into reused arrays. */
    @Benchmark
    public double forwardInto() {
        nb.forwardInto(HungarianConfig.DEFAULTS, batch, assign, cost, terms, gradLogits, gradBoxes);
        return terms[3];
    }

    /**
     * The same pipeline on direct buffers ({@link NativeBufferLoss}): no JNI array copies. The difference to
     * {@link #forwardInto} is what copying the Java arrays in and out of the native call costs.
     */
    @Benchmark
    public double forwardDirect() {
        return direct.forward(batch.batch(), batch.queries(), batch.numLogits(), dLogits, dBoxes, dOffsets, dLabels,
                dTargetBoxes, dAssign, dCost, dGradLogits, dGradBoxes).total();
    }

    /** Exact matching on precomputed costs into reused arrays. */
    @Benchmark
    public double matchInto() {
        nb.matchInto(batch, costs, assign, cost);
        return cost[0];
    }
}

package dev.hungarian4j.bench;

import dev.hungarian4j.BackendKind;
import dev.hungarian4j.Backends;
import dev.hungarian4j.Batch;
import dev.hungarian4j.HungarianConfig;
import dev.hungarian4j.HungarianLoss;
import dev.hungarian4j.Matching;
import dev.hungarian4j.MatcherKind;
import dev.hungarian4j.SyntheticBatch;
import dev.hungarian4j.spi.ComputeBackend;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * Per-core speed of the jvm backend against the native one, robust to a shared machine: both run on one thread
 * ({@link Backends#setMaxNativeThreads}{@code (1)}), alternately, stage after stage, and each is timed by the CPU
 * time of the calling thread (time spent waiting for a core while other processes run is not counted, as wall time
 * would count it). Prints, per size and stage, the median over the rounds of each side's microseconds per call and
 * their ratio. Steady state: every stage writes into arrays allocated once ({@code total} is
 * {@link HungarianLoss#computeInto}).
 *
 * <pre>{@code java -cp bench/target/benchmarks.jar dev.hungarian4j.bench.CpuTimeRatio [SIZES] [ROUNDS]}</pre>
 */
public final class CpuTimeRatio {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final long SLICE_NS = 150_000_000L;

    private CpuTimeRatio() {
    }

    /**
     * Runs the comparison.
     *
     * @param args optional: the sizes ({@code BxQxKxM,...}, default the four DETR sizes) and the rounds (default 5)
     */
    public static void main(String[] args) {
        String sizes = args.length > 0 ? args[0] : "8x100x91x10,64x100x91x20,16x300x91x50,4x900x91x100";
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Backends.setMaxNativeThreads(1);
        HungarianConfig cfg = HungarianConfig.DEFAULTS;
        System.out.printf(Locale.ROOT, "one thread each, CPU time of the calling thread, median of %d rounds, us per call"
                + " (%s %s)%n", rounds, System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"));
        System.out.printf(Locale.ROOT, "%-14s %-6s %12s %12s %10s%n", "BxQxKxM", "stage", "jvm", "native",
                "jvm/native");
        for (String size : sizes.split(",")) {
            int[] s = BenchSizes.parse(size);
            Batch batch = SyntheticBatch.generate(1, s[0], s[1], s[2], s[3]);
            HungarianLoss[] loss = {HungarianLoss.create(cfg, BackendKind.JVM, MatcherKind.EXACT),
                HungarianLoss.create(cfg, BackendKind.NATIVE, MatcherKind.EXACT)};
            ComputeBackend[] be = {Backends.select(BackendKind.JVM).backend(),
                Backends.select(BackendKind.NATIVE).backend()};
            float[] gl = new float[batch.predictions().logits().length];
            float[] gb = new float[batch.predictions().boxes().length];
            float[] costs = loss[0].costs(batch);
            Matching m = be[0].match(batch, costs, MatcherKind.EXACT);
            String[] stages = {"total", "cost", "match", "loss"};
            double[][][] t = new double[stages.length][2][rounds];
            for (int r = 0; r < rounds; r++) {
                for (int k = 0; k < 2; k++) {
                    HungarianLoss l = loss[k];
                    ComputeBackend b = be[k];
                    t[0][k][r] = cpuMicros(() -> l.computeInto(batch, gl, gb));
                    t[1][k][r] = cpuMicros(() -> b.costBlocks(cfg, batch, costs));
                    t[2][k][r] = cpuMicros(() -> b.match(batch, costs, MatcherKind.EXACT));
                    t[3][k][r] = cpuMicros(() -> b.loss(cfg, batch, m.assignment(), gl, gb));
                }
            }
            for (int st = 0; st < stages.length; st++) {
                double j = median(t[st][0]);
                double n = median(t[st][1]);
                System.out.printf(Locale.ROOT, "%-14s %-6s %12.1f %12.1f %10.2f%n", size, stages[st], j, n, j / n);
            }
        }
    }

    /** CPU microseconds per call of {@code r}, called back to back for about {@link #SLICE_NS} of wall time. */
    private static double cpuMicros(Runnable r) {
        long end = System.nanoTime() + SLICE_NS;
        long c0 = THREADS.getCurrentThreadCpuTime();
        int n = 0;
        do {
            r.run();
            n++;
        } while (System.nanoTime() < end);
        return (THREADS.getCurrentThreadCpuTime() - c0) / 1e3 / n;
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
    }
}

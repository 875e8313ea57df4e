package dev.hungarian4j.bench;

import dev.hungarian4j.Batch;
import dev.hungarian4j.HungarianConfig;
import dev.hungarian4j.HungarianLoss;
import dev.hungarian4j.BackendKind;
import dev.hungarian4j.BackendStatus;
import dev.hungarian4j.Backends;
import dev.hungarian4j.MatcherKind;
import dev.hungarian4j.SyntheticBatch;
import org.jgrapht.alg.interfaces.MatchingAlgorithm;
import org.jgrapht.alg.matching.KuhnMunkresMinimalWeightBipartitePerfectMatching;
import org.jgrapht.graph.DefaultWeightedEdge;
import org.jgrapht.graph.SimpleWeightedGraph;
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

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The JVM peer users reach for today: JGraphT's Kuhn-Munkres on the same cost blocks, square-padded with
 * zero-cost dummy targets as it requires a perfect matching. Graph construction is part of the timing,
 * because a caller has to do it on every step. Compare with {@code PipelineBenchmark.match}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 2, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class JGraphTPeerBenchmark {
    /** BxQxKxM. */
    @Param({"8x100x91x10", "64x100x91x20", "16x300x91x50"})
    public String size;

    private Batch batch;
    private float[] costs;

    /**
     * Builds the batch (the seed and sizes of {@code PipelineBenchmark}) and its cost blocks with the pure-Java
     * backend, and checks once that Kuhn-Munkres finds the same optimal total cost as our exact matcher on every
     * usable CPU backend (it fails the trial otherwise).
     */
    @Setup(Level.Trial)
    public void setup() {
        int[] s = BenchSizes.parse(size);
        batch = SyntheticBatch.generate(42, s[0], s[1], s[2], s[3]);
        costs = HungarianLoss.create(HungarianConfig.DEFAULTS, BackendKind.JVM, MatcherKind.EXACT).costs(batch);
        double peer = kuhnMunkres();
        for (BackendStatus st : Backends.statuses()) {
            BackendKind kind = st.kind();
            if (kind == BackendKind.CUDA || !st.available()) {
                continue;
            }
            double ours = 0;
            for (double c : Backends.select(kind).backend().match(batch, costs, MatcherKind.EXACT).costs()) {
                ours += c;
            }
            if (Math.abs(ours - peer) > 1e-6 * (1 + Math.abs(ours))) {
                throw new IllegalStateException("JGraphT's optimal cost " + peer + " differs from " + kind.cliName()
                        + "'s " + ours + " on " + size);
            }
            System.out.printf(Locale.ROOT, "%nsetup check %s: JGraphT optimal cost %.9f, %s exact %.9f%n", size, peer,
                    kind.cliName(), ours);
        }
    }

    /** Kuhn-Munkres per image on the square-padded block; returns the summed optimal cost. */
    @Benchmark
    public double kuhnMunkres() {
        int q = batch.queries();
        int[] offsets = batch.targets().offsets();
        double total = 0;
        for (int b = 0; b < batch.batch(); b++) {
            int m = offsets[b + 1] - offsets[b];
            if (m == 0) {
                continue;
            }
            int n = Math.max(q, m);
            SimpleWeightedGraph<Integer, DefaultWeightedEdge> g = new SimpleWeightedGraph<>(DefaultWeightedEdge.class);
            List<Integer> left = new ArrayList<>(n);
            List<Integer> right = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                g.addVertex(i);
                left.add(i);
                g.addVertex(n + i);
                right.add(n + i);
            }
            int base = q * offsets[b];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    DefaultWeightedEdge e = g.addEdge(i, n + j);
                    double w = i < q && j < m ? costs[base + i * m + j] : 0.0;
                    g.setEdgeWeight(e, w);
                }
            }
            Set<Integer> l = new HashSet<>(left);
            Set<Integer> r = new HashSet<>(right);
            MatchingAlgorithm.Matching<Integer, DefaultWeightedEdge> mt =
                    new KuhnMunkresMinimalWeightBipartitePerfectMatching<>(g, l, r).getMatching();
            total += mt.getWeight();
        }
        return total;
    }
}

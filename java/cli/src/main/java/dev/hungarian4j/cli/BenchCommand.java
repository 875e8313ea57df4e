package dev.hungarian4j.cli;

import dev.hungarian4j.BackendKind;
import dev.hungarian4j.BackendStatus;
import dev.hungarian4j.Backends;
import dev.hungarian4j.InvalidInputException;
import dev.hungarian4j.MatcherKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code hungarian4j bench}: times the pipeline stages (cost, match, loss, total) on seeded DETR-like batches,
 * for one size ({@code --batch --queries --classes --targets}) or several ({@code --sizes 8x100x91x10,...}),
 * optionally as a DETR-family batch ({@code --layers L --groups G --focal}, contract.md section 3),
 * on one backend or on every usable one ({@code --backend all}). {@code --json} prints contract.md's bench JSON
 * (an array when there are several results, each with the thread count, JDK and CPU it ran on, and a fifth stage
 * {@code total_alloc}); otherwise a table. Every stage runs in steady state ({@link BenchRunner}). With several runs, a progress line per run goes
 * to standard error. {@code --plot FILE.png} also draws the medians against size ({@link BenchPlot});
 * {@code --dump-costs FILE} writes the timed problems' cost blocks for other solvers ({@link CostDump}).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Times cost, match, loss and total on generated DETR-like batches.",
            "--backend also accepts all: every backend usable here."})
public final class BenchCommand implements Callable<Integer> {
    private final CliContext ctx;
    @Mixin
    BackendOption backend;
    @Mixin
    MatcherOption matcher;
    @Option(names = "--batch", paramLabel = "B", description = "images per batch (default 8)")
    Integer batch;
    @Option(names = "--queries", paramLabel = "Q", description = "queries per image (default 100)")
    Integer queries;
    @Option(names = "--classes", paramLabel = "K", description = "real classes (default 91)")
    Integer classes;
    @Option(names = "--targets", paramLabel = "M", description = "targets per image (default 10)")
    Integer targets;
    @Option(names = "--sizes", paramLabel = "BxQxKxM[,...]",
            description = "several sizes instead of --batch/--queries/--classes/--targets, e.g. 8x100x91x10,64x100x91x20")
    String sizes;
    @Option(names = "--layers", paramLabel = "L", defaultValue = "1",
            description = "decoder layers: the top one and L-1 aux layers, all in one call (default ${DEFAULT-VALUE}; "
                    + "DETR uses 6)")
    int layers;
    @Option(names = "--groups", paramLabel = "G", defaultValue = "1",
            description = "query groups, each matched to all targets (default ${DEFAULT-VALUE}; Group-DETR: 11)")
    int groups;
    @Option(names = "--focal", description = "sigmoid logits and the focal class cost and loss (Deformable DETR, DINO)")
    boolean focal;
    @Option(names = "--iterations", paramLabel = "N", defaultValue = "50", description = "timed runs per stage (default ${DEFAULT-VALUE})")
    int iterations;
    @Option(names = "--warmup", paramLabel = "N", defaultValue = "10", description = "warm-up runs per stage, at least (default ${DEFAULT-VALUE})")
    int warmup;
    @Option(names = "--warmup-time", paramLabel = "MS", defaultValue = "1000",
            description = "warm-up milliseconds per stage, at least (default ${DEFAULT-VALUE}); every stage also warms "
                    + "up until the JIT has compiled nothing for 100 ms, and total_alloc until the garbage collector "
                    + "has run once, for at most 10 times as long")
    int warmupMs;
    @Option(names = "--gap-us", paramLabel = "US", defaultValue = "0",
            description = "idle microseconds before each timed run, as a training loop leaves the library idle "
                    + "between its steps: the pools' workers are then asleep when a call comes (default "
                    + "${DEFAULT-VALUE}: back to back; at most " + BenchRunner.MAX_GAP_US + ")")
    int gapUs;
    @Option(names = "--threads", paramLabel = "N",
            description = "threads a call of the jvm and native backends may use (Backends.setMaxNativeThreads; "
                    + "default: all cores)")
    Integer threads;
    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "1", description = "seed of the generated batches (default ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--json", description = "print contract.md's bench JSON instead of a table")
    boolean json;
    @Option(names = "--plot", paramLabel = "FILE.png",
            description = "also draw the median times (log scale) against size, one line per backend and a panel "
                    + "per stage, as a PNG")
    Path plot;
    @Option(names = "--dump-costs", paramLabel = "FILE",
            description = "also write the generated batches' cost blocks and optimal costs (binary float32, for "
                    + "bench/scipy_lsap.py) before timing")
    Path dumpCosts;

    /** @param ctx the invocation's streams */
    public BenchCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        if (iterations < 1) {
            throw new InvalidInputException("--iterations", "is " + iterations + "; must be >= 1");
        }
        if (warmup < 0) {
            throw new InvalidInputException("--warmup", "is " + warmup + "; must be >= 0");
        }
        if (warmupMs < 0) {
            throw new InvalidInputException("--warmup-time", "is " + warmupMs + "; must be >= 0");
        }
        if (gapUs < 0 || gapUs > BenchRunner.MAX_GAP_US) {
            throw new InvalidInputException("--gap-us", "is " + gapUs + "; must be in [0, " + BenchRunner.MAX_GAP_US
                    + "]");
        }
        if (threads != null && threads < 1) {
            throw new InvalidInputException("--threads", "is " + threads + "; must be >= 1");
        }
        if (plot != null) { // a bad target is bad usage, found before minutes of benchmarking
            BenchPlot.checkTarget(plot);
        }
        MatcherKind matcherKind = matcher.kind();
        List<BackendKind> kinds = backends();
        List<BenchSize> sizeList = sizes();
        if (dumpCosts != null) {
            CostDump.write(dumpCosts, sizeList, seed, kinds.get(0));
        }
        Integer previousThreads = threads != null ? Backends.setMaxNativeThreads(threads) : null;
        try {
            BenchEnvironment env = BenchEnvironment.current();
            BenchRunner runner = new BenchRunner(warmup, warmupMs, iterations, seed, gapUs);
            List<BenchResult> results = new ArrayList<>();
            int runs = kinds.size() * sizeList.size();
            int n = 0;
            for (BenchSize size : sizeList) {
                for (BackendKind kind : kinds) {
                    n++;
                    if (runs > 1) {
                        ctx.err().printf(Locale.ROOT, "bench: [%d/%d] %s %s%n", n, runs, kind.cliName(), size);
                        ctx.err().flush();
                    }
                    results.add(runner.run(kind, matcherKind, size,
                            new BenchFamily(layers, groups, focal).validate(size)));
                }
            }
            if (plot != null) { // before stdout: a failure prints nothing there
                BenchPlot.write(plot, results, iterations);
            }
            if (json) {
                BenchReport.writeJson(ctx.out(), results, env, gapUs);
            } else {
                BenchReport.writeTable(ctx.out(), results, env, warmup, warmupMs, iterations, gapUs);
            }
        } finally {
            if (previousThreads != null) { // the CLI runs in-process in tests: leave the cap as found
                Backends.setMaxNativeThreads(previousThreads);
            }
        }
        return ErrorReporter.OK;
    }

    private List<BackendKind> backends() {
        List<BackendKind> kinds = new ArrayList<>();
        if (backend.isAll()) {
            for (BackendStatus s : Backends.statuses()) {
                if (s.available()) {
                    kinds.add(s.kind());
                }
            }
        } else {
            BackendKind kind = backend.kind();
            Backends.select(kind); // an unusable requested backend is an error before any work
            kinds.add(kind);
        }
        return kinds;
    }

    private List<BenchSize> sizes() {
        List<BenchSize> list = new ArrayList<>();
        if (sizes != null) {
            if (batch != null || queries != null || classes != null || targets != null) {
                throw new InvalidInputException("--sizes", "cannot be combined with --batch, --queries, --classes "
                        + "or --targets");
            }
            String[] parts = sizes.split(",", -1);
            for (int i = 0; i < parts.length; i++) {
                list.add(BenchSize.parse(parts[i], "--sizes[" + i + "]"));
            }
        } else {
            BenchSize size = new BenchSize(atLeast("--batch", batch, 8, 1), atLeast("--queries", queries, 100, 1),
                    atLeast("--classes", classes, 91, 1), atLeast("--targets", targets, 10, 0));
            list.add(size.validate("--batch/--queries/--classes/--targets"));
        }
        return list;
    }

    private static int atLeast(String option, Integer value, int dflt, int min) {
        int v = value == null ? dflt : value;
        if (v < min) {
            throw new InvalidInputException(option, "is " + v + "; must be >= " + min);
        }
        return v;
    }
}

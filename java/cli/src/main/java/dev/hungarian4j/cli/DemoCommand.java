package dev.hungarian4j.cli;

import dev.hungarian4j.Batch;
import dev.hungarian4j.SyntheticBatch;
import dev.hungarian4j.HungarianConfig;
import dev.hungarian4j.HungarianLoss;
import dev.hungarian4j.LossResult;
import dev.hungarian4j.LossTerms;
import dev.hungarian4j.Matching;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code hungarian4j demo}: the whole job on a seeded DETR-sized batch (B=2, Q=100, K=91, 5 and 12 targets) with
 * the default configuration; prints the backend and why it was chosen, the matcher, the matches and matching
 * cost per image, the loss terms, num_boxes and the wall time of one call with gradients after a warm-up.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Runs the loss on a built-in DETR-sized synthetic batch and prints a readable summary.")
public final class DemoCommand implements Callable<Integer> {
    private static final int QUERIES = 100;
    private static final int CLASSES = 91;
    private static final int[] TARGETS = {5, 12};

    private final CliContext ctx;
    @Mixin
    BackendOption backend;
    @Mixin
    MatcherOption matcher;
    @Option(names = "--seed", defaultValue = "42", description = "random seed of the batch (default: ${DEFAULT-VALUE})")
    long seed;

    /** @param ctx the invocation's streams */
    public DemoCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        HungarianLoss loss = HungarianLoss.create(HungarianConfig.DEFAULTS, backend.kind(), matcher.kind());
        Batch batch = SyntheticBatch.generate(seed, QUERIES, CLASSES, TARGETS);
        loss.compute(batch, true); // warm-up
        long t0 = System.nanoTime();
        LossResult r = loss.compute(batch, true);
        long elapsed = System.nanoTime() - t0;

        PrintStream out = ctx.out();
        out.printf(Locale.ROOT, "hungarian4j demo: synthetic DETR batch B=%d Q=%d K=%d, targets per image %d and %d"
                + " (seed %d)%n", TARGETS.length, QUERIES, CLASSES, TARGETS[0], TARGETS[1], seed);
        out.printf(Locale.ROOT, "backend:  %s (%s)%n", loss.backend().cliName(), loss.selectionReason());
        out.printf(Locale.ROOT, "matcher:  %s%n", loss.matcher().cliName());
        out.printf(Locale.ROOT, "config:   %s%n", HungarianConfig.DEFAULTS);
        Matching m = r.matching();
        for (int b = 0; b < m.batch(); b++) {
            int[] pred = m.predIndices(b);
            int[] target = m.targetIndices(b);
            out.printf(Locale.ROOT, "image %d:  %d matches, matching cost %.6f%n", b, pred.length, m.cost(b));
            StringBuilder sb = new StringBuilder("          ");
            for (int i = 0; i < pred.length; i++) {
                if (i > 0 && i % 8 == 0) {
                    out.println(sb.toString().stripTrailing());
                    sb = new StringBuilder("          ");
                }
                sb.append(String.format(Locale.ROOT, "%3d->%-3d ", pred[i], target[i]));
            }
            out.println(sb.toString().stripTrailing());
            if (m.report() != null && b < m.report().problems()) {
                out.printf(Locale.ROOT, "          auction: %s%n", m.report().outcome(b).jsonName());
            }
        }
        LossTerms t = r.loss();
        out.printf(Locale.ROOT, "loss:     ce %.6f  bbox %.6f  giou %.6f  total %.6f%n", t.ce(), t.bbox(), t.giou(),
                t.total());
        out.printf(Locale.ROOT, "num_boxes: %s%n", formatCount(r.numBoxes()));
        out.printf(Locale.ROOT, "time:     %.3f ms for one call with gradients (after one warm-up call)%n",
                elapsed / 1e6);
        return ErrorReporter.OK;
    }

    private static String formatCount(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}

package dev.hungarian4j.cli;

import dev.hungarian4j.Backends;
import dev.hungarian4j.HungarianLoss;
import dev.hungarian4j.LossResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code hungarian4j loss --input F [--grad]}: matching, loss terms, num_boxes and optional gradients, as JSON. */
@Command(name = "loss", mixinStandardHelpOptions = true,
        description = "Reads the input JSON and prints backend, matches, matching_cost, loss, num_boxes "
                + "and, with --grad, grad as JSON.")
public final class LossCommand implements Callable<Integer> {
    private final CliContext ctx;
    @Mixin
    InputOption input;
    @Mixin
    BackendOption backend;
    @Mixin
    MatcherOption matcher;
    @Option(names = "--grad", description = "also print d total / d pred_logits and d total / d pred_boxes")
    boolean grad;

    /** @param ctx the invocation's streams */
    public LossCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        var kind = backend.kind();
        var matcherKind = matcher.kind();
        Backends.select(kind); // an unusable requested backend fails before the input is read
        ParsedInput parsed = input.read(ctx);
        HungarianLoss loss = HungarianLoss.create(parsed.config(), kind, matcherKind);
        LossResult r = loss.compute(parsed.batch(), grad);
        OutputWriter.writeLoss(ctx.out(), r, parsed.batch().queries(), parsed.batch().numLogits(),
                parsed.auxGiven());
        return ErrorReporter.OK;
    }
}

package dev.hungarian4j.cli;

import dev.hungarian4j.Backends;
import dev.hungarian4j.Batch;
import dev.hungarian4j.HungarianLoss;
import dev.hungarian4j.Matching;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code hungarian4j match --input F}: the optimal matching of every image and its cost, as JSON. */
@Command(name = "match", mixinStandardHelpOptions = true,
        description = "Reads the input JSON and prints backend, matches and matching_cost as JSON.")
public final class MatchCommand implements Callable<Integer> {
    private final CliContext ctx;
    @Mixin
    InputOption input;
    @Mixin
    BackendOption backend;
    @Mixin
    MatcherOption matcher;

    /** @param ctx the invocation's streams */
    public MatchCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        var kind = backend.kind();
        var matcherKind = matcher.kind();
        Backends.select(kind); // an unusable requested backend fails before the input is read
        ParsedInput parsed = input.read(ctx);
        HungarianLoss loss = HungarianLoss.create(parsed.config(), kind, matcherKind);
        Batch batch = parsed.batch();
        Matching m = loss.match(batch);
        List<Matching> aux = null;
        if (parsed.auxGiven()) {
            aux = new ArrayList<>();
            for (int l = 1; l < batch.layers(); l++) {
                aux.add(loss.match(batch.layerBatch(l)));
            }
        }
        OutputWriter.writeMatch(ctx.out(), loss.backend().cliName(), m, aux);
        return ErrorReporter.OK;
    }
}

package dev.hungarian4j.natives;

import dev.hungarian4j.BackendKind;
import dev.hungarian4j.BackendStatus;
import dev.hungarian4j.Batch;
import dev.hungarian4j.HungarianConfig;
import dev.hungarian4j.LossTerms;
import dev.hungarian4j.MatcherKind;
import dev.hungarian4j.MatcherReport;
import dev.hungarian4j.Matching;
import dev.hungarian4j.Predictions;
import dev.hungarian4j.Targets;
import dev.hungarian4j.spi.ComputeBackend;

/**
 * The C++ CPU backend through JavaCPP. Thread-safe: the native side keeps per-thread workspaces and shares
 * one worker pool without oversubscribing.
 */
public final class NativeBackend implements ComputeBackend {
    private static final NativeBackend INSTANCE = new NativeBackend();

    private NativeBackend() {
    }

    /** Whether the native library loaded, with its version or the load error. */
    public static BackendStatus status() {
        String err = NativeLoader.error();
        if (err != null) {
            return new BackendStatus(BackendKind.NATIVE, false, err);
        }
        return new BackendStatus(BackendKind.NATIVE, true,
                "libhungarian4j " + NativeLibrary.h4j_version() + ", " + Runtime.getRuntime().availableProcessors()
                        + " cores");
    }

    /**
     * The backend.
     *
     * @throws dev.hungarian4j.BackendUnavailableException when the library did not load
     */
    public static NativeBackend instance() {
        if (NativeLoader.error() != null) {
            throw new dev.hungarian4j.BackendUnavailableException("backend native is not available: "
                    + NativeLoader.error());
        }
        return INSTANCE;
    }

    @Override
    public BackendKind kind() {
        return BackendKind.NATIVE;
    }

    @Override
    public void costBlocks(HungarianConfig config, Batch batch, float[] costOut) {
        Predictions p = batch.predictions();
        Targets t = batch.targets();
        NativeStatus.check(NativeLibrary.h4j_cpu_cost_blocks(p.batch(), p.queries(), p.numLogits(), p.logits(),
                p.boxes(), t.offsets(), t.labels(), t.boxes(), NativeConfig.pack(config), costOut),
                "h4j_cpu_cost_blocks");
    }

    @Override
    public Matching match(Batch batch, float[] costs, MatcherKind matcher) {
        int[] assignment = new int[batch.batch() * batch.queries()];
        double[] cost = new double[batch.batch()];
        if (matcher == MatcherKind.AUCTION) {
            int[] stats = new int[batch.batch() * MatcherReport.STATS_LEN];
            NativeStatus.check(NativeLibrary.h4j_cpu_match_auction(batch.batch(), batch.queries(),
                    batch.targets().offsets(), costs, assignment, cost, stats), "h4j_cpu_match_auction");
            return new Matching(batch.batch(), batch.queries(), assignment, cost, new MatcherReport(stats));
        }
        NativeStatus.check(NativeLibrary.h4j_cpu_match_exact(batch.batch(), batch.queries(),
                batch.targets().offsets(), costs, assignment, cost), "h4j_cpu_match_exact");
        return new Matching(batch.batch(), batch.queries(), assignment, cost, null);
    }

    @Override
    public LossTerms loss(HungarianConfig config, Batch batch, int[] assignment, float[] gradLogits,
            float[] gradBoxes) {
        Predictions p = batch.predictions();
        Targets t = batch.targets();
        double[] terms = new double[5];
        NativeStatus.check(NativeLibrary.h4j_cpu_loss(p.batch(), p.queries(), p.numLogits(), p.logits(), p.boxes(),
                t.offsets(), t.labels(), t.boxes(), NativeConfig.pack(config), assignment, terms, gradLogits,
                gradBoxes), "h4j_cpu_loss");
        return new LossTerms(terms[0], terms[1], terms[2], terms[3]);
    }

    @Override
    public Forward forward(HungarianConfig config, Batch batch, MatcherKind matcher, float[] gradLogits,
            float[] gradBoxes) {
        if (matcher != MatcherKind.EXACT) {
            return ComputeBackend.super.forward(config, batch, matcher, gradLogits, gradBoxes);
        }
        Predictions p = batch.predictions();
        Targets t = batch.targets();
        int[] assignment = new int[p.batch() * p.queries()];
        double[] cost = new double[p.batch()];
        double[] terms = new double[5];
        // one JNI call: costs stay in the native workspace
        NativeStatus.check(NativeLibrary.h4j_cpu_forward(p.batch(), p.queries(), p.numLogits(), p.logits(),
                p.boxes(), t.offsets(), t.labels(), t.boxes(), NativeConfig.pack(config), assignment, cost, terms,
                gradLogits, gradBoxes), "h4j_cpu_forward");
        return new Forward(new Matching(p.batch(), p.queries(), assignment, cost, null),
                new LossTerms(terms[0], terms[1], terms[2], terms[3]));
    }
}

package dev.hungarian4j.jvm;

import dev.hungarian4j.BackendKind;
import dev.hungarian4j.BackendUnavailableException;
import dev.hungarian4j.Batch;
import dev.hungarian4j.ClassCost;
import dev.hungarian4j.HungarianConfig;
import dev.hungarian4j.HungarianException;
import dev.hungarian4j.InvalidInputException;
import dev.hungarian4j.LossClass;
import dev.hungarian4j.LossTerms;
import dev.hungarian4j.Matching;
import dev.hungarian4j.MatcherKind;
import dev.hungarian4j.Predictions;
import dev.hungarian4j.QueryGroups;
import dev.hungarian4j.Reduction;
import dev.hungarian4j.Targets;
import dev.hungarian4j.natives.NativeBackend;
import dev.hungarian4j.spi.ComputeBackend;

/**
 * The pure-Java backend: the last fallback, and the one macOS, Windows and aarch64 users run. Thread-safe: images
 * spread over {@link JvmPool} (capped by {@link dev.hungarian4j.Backends#setMaxNativeThreads}), scratch and solvers are per thread and
 * kept, so a steady-state call allocates little beyond its result.
 */
public final class JvmBackend implements ComputeBackend {
    /** The single instance. */
    public static final JvmBackend INSTANCE = new JvmBackend();

    private JvmBackend() {
    }

    @Override
    public BackendKind kind() {
        return BackendKind.JVM;
    }

    @Override
    public void costBlocks(HungarianConfig c, Batch batch, float[] costOut) {
        recheck(batch);
        Predictions p = batch.predictions();
        Targets t = batch.targets();
        if (c.lossClass() == LossClass.FOCAL) {
            JvmFocalKernel.costBlocks(p.batch(), p.queries(), p.numLogits(), p.logits(), p.boxes(), t.offsets(),
                    t.labels(), t.boxes(), c.costClass(), c.costBbox(), c.costGiou(), c.focalAlpha(),
                    c.focalGamma(), costOut);
            return;
        }
        JvmCostKernel.costBlocks(p.batch(), p.queries(), p.numLogits(), p.logits(), p.boxes(), t.offsets(),
                t.labels(), t.boxes(), c.costClass(), c.costBbox(), c.costGiou(), c.classCost() == ClassCost.LOG_PROB,
                costOut);
    }

    @Override
    public Matching match(Batch batch, float[] costs, MatcherKind matcher) {
        if (matcher == MatcherKind.AUCTION) {
            // The auction's CPU twin is the native code the GPU kernel shares; a pure-Java copy would test nothing.
            if (!NativeBackend.status().available()) {
                throw new BackendUnavailableException("the auction matcher's CPU twin needs the native library: "
                        + NativeBackend.status().detail());
            }
            return NativeBackend.instance().match(batch, costs, matcher);
        }
        recheckTargets(batch); // the matcher reads the offsets and the costs (checked as it loads them), not the logits
        int[] assignment = new int[batch.batch() * batch.queries()];
        double[] cost = JvmMatcher.matchAll(batch.batch(), batch.queries(), batch.targets().offsets(), costs,
                assignment);
        return new Matching(batch.batch(), batch.queries(), assignment, cost, null);
    }

    @Override
    public Forward forward(HungarianConfig c, Batch batch, MatcherKind matcher, float[] gradLogits,
            float[] gradBoxes) {
        // JvmForward fuses section 1; groups, num_boxes and the focal loss (contract.md section 3) run the stages
        if (matcher != MatcherKind.EXACT || c.usesExtensions()) {
            return ComputeBackend.super.forward(c, batch, matcher, gradLogits, gradBoxes);
        }
        if ((gradLogits == null) != (gradBoxes == null)) { // the SPI's rule, as the native backends enforce it
            throw new InvalidInputException(gradLogits == null ? "grad_logits" : "grad_boxes",
                    "is null while the other gradient array is not; pass both or neither");
        }
        // The predictions' values are checked as the kernels read them (the softmax its logits): one pass over the
        // logits instead of a checking pass first. A failure reruns the whole-array checks, which name the first
        // bad value (before a cost beyond float32, as a check before the call would have).
        recheckTargets(batch);
        Predictions p = batch.predictions();
        Targets t = batch.targets();
        int[] assignment = new int[p.batch() * p.queries()];
        double[] cost = new double[p.batch()];
        double[] r;
        try {
            r = JvmForward.forward(p.batch(), p.queries(), p.numLogits(), p.logits(), p.boxes(), t.offsets(),
                    t.labels(), t.boxes(), c.costClass(), c.costBbox(), c.costGiou(),
                    c.classCost() == ClassCost.LOG_PROB, c.lossCeWeight(), c.lossBboxWeight(), c.lossGiouWeight(),
                    c.eosCoef(), c.reduction() == Reduction.SUM, assignment, cost, gradLogits, gradBoxes);
        } catch (RuntimeException e) {
            recheck(batch);
            if (e instanceof JvmForward.BadPrediction) {
                throw new HungarianException(0, "a bad prediction value was seen once but not again (the arrays "
                        + "changed during the call): " + e.getMessage());
            }
            throw e;
        }
        return new Forward(new Matching(p.batch(), p.queries(), assignment, cost, null),
                new LossTerms(r[0], r[1], r[2], r[3]));
    }

    @Override
    public LossTerms loss(HungarianConfig c, Batch batch, int[] assignment, float[] gradLogits, float[] gradBoxes) {
        if ((gradLogits == null) != (gradBoxes == null)) { // the SPI's rule, as the native backends enforce it
            throw new InvalidInputException(gradLogits == null ? "grad_logits" : "grad_boxes",
                    "is null while the other gradient array is not; pass both or neither");
        }
        recheck(batch);
        // query groups: the kernels see B*G images of Q/G queries, normalized by the whole batch's normalizer
        double normalizer = c.normalizer(batch);
        Batch v = QueryGroups.view(batch, c.groups());
        Predictions p = v.predictions();
        Targets t = v.targets();
        boolean sum = c.reduction() == Reduction.SUM;
        double[] r = c.lossClass() == LossClass.FOCAL
                ? JvmFocalKernel.loss(p.batch(), p.queries(), p.numLogits(), p.logits(), p.boxes(), t.offsets(),
                        t.labels(), t.boxes(), c.lossCeWeight(), c.lossBboxWeight(), c.lossGiouWeight(),
                        c.focalAlpha(), c.focalGamma(), sum, normalizer, assignment, gradLogits, gradBoxes)
                : JvmLossKernel.loss(p.batch(), p.queries(), p.numLogits(), p.logits(), p.boxes(), t.offsets(),
                        t.labels(), t.boxes(), c.lossCeWeight(), c.lossBboxWeight(), c.lossGiouWeight(), c.eosCoef(),
                        sum, normalizer, assignment, gradLogits, gradBoxes);
        return new LossTerms(r[0], r[1], r[2], r[3]);
    }

    /**
     * Re-runs the checks of {@link Predictions}, {@link Targets} and {@link Batch} on the arrays' current contents:
     * they are referenced, not copied, so a caller may have changed them since construction (an offset, a width
     * made negative), and the native backends check the values at every call too. O(input): a pass over the logits
     * on the calling thread, so {@link #forward} runs it only after a failure, to name the first bad value.
     */
    private static void recheck(Batch batch) {
        Predictions p = batch.predictions();
        Targets t = batch.targets();
        new Batch(new Predictions(p.batch(), p.queries(), p.numLogits(), p.logits(), p.boxes(), p.lossClass()),
                new Targets(t.offsets(), t.labels(), t.boxes()));
    }

    /**
     * As {@link #recheck} for the targets only (O(targets)): what the matching of given cost blocks reads, and what
     * {@link #forward} checks before its kernels (which check the predictions as they read them). Scanning the
     * B*Q*(K+1) logits again took half of the jvm matcher's time at 8x100x91x10 (25 of ~55 us).
     */
    private static void recheckTargets(Batch batch) {
        Targets t = batch.targets();
        new Batch(batch.predictions(), new Targets(t.offsets(), t.labels(), t.boxes()));
    }
}

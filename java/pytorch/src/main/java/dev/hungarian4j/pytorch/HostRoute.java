package dev.hungarian4j.pytorch;

import dev.hungarian4j.HungarianConfig;
import dev.hungarian4j.InvalidInputException;
import dev.hungarian4j.LossTerms;
import dev.hungarian4j.natives.BufferBatch;
import dev.hungarian4j.natives.BufferOutputs;
import dev.hungarian4j.natives.NativeBufferLoss;
import dev.hungarian4j.natives.NativeLayeredBufferLoss;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.pytorch.Tensor;

/**
 * The criterion for CPU tensors on the native backend: the predictions are read in place and the gradients written in
 * place (JavaCPP pointers over the tensors' memory), one native call for all layers ({@link NativeBufferLoss} for one,
 * {@link NativeLayeredBufferLoss} for several); only the small targets are staged, into reused host buffers. Not
 * thread-safe.
 */
final class HostRoute {
    private final NativeBufferLoss loss;
    private final NativeLayeredBufferLoss layered;
    private final HostStaging staging = new HostStaging();
    private final BufferOutputs out = new BufferOutputs();
    private BufferBatch in;

    /**
     * Loads the native library and packs the configuration.
     *
     * @throws dev.hungarian4j.BackendUnavailableException when the native library did not load
     */
    HostRoute(HungarianConfig config) {
        this.loss = new NativeBufferLoss(config);
        this.layered = new NativeLayeredBufferLoss(config);
    }

    TorchLossOutput run(DecoderTensors p, TorchTargets targets, GradientTensors gradients) {
        checkBatch(p, targets);
        if (in == null || in.batch() != p.batch || in.queries() != p.queries || in.numLogits() != p.numLogits) {
            in = new BufferBatch(p.batch, p.queries, p.numLogits);
        }
        int rows = p.layers * p.batch * p.queries;
        staging.fitTargets(p.batch, targets.total());
        staging.fitAssign(rows);
        staging.offsets.put(0, targets.offsets(), 0, p.batch + 1);
        targets.stageHost(staging.labels, staging.boxes);
        Tensor[] g = gradients.acquire(p);
        in.predictions(floats(p.logits, false), floats(p.boxes, false))
                .targets(staging.offsets, staging.labels, staging.boxes);
        out.assignment(staging.assign).gradients(floats(g[0], true), floats(g[1], true));
        LossTerms[] terms = p.layers == 1 ? new LossTerms[] {loss.forward(in, out)} : layered.forward(p.layers, in, out);
        int[] assignment = new int[rows];
        staging.assign.get(0, assignment, 0, rows);
        double total = TorchLossOutput.sumTotals(terms);
        return TorchLossOutput.onHost(Surrogate.wire(p, g, total), p, g, terms, assignment);
    }

    /** A float pointer over a contiguous float32 CPU tensor's memory, its capacity the element count. */
    static FloatPointer floats(Tensor t, boolean write) {
        try (Pointer data = write ? t.mutable_data_ptr() : t.const_data_ptr()) {
            return new FloatPointer(data).capacity(t.numel());
        }
    }

    static void checkBatch(DecoderTensors p, TorchTargets targets) {
        if (targets == null) {
            throw new InvalidInputException("targets", "is null");
        }
        if (targets.batch() != p.batch) {
            throw new InvalidInputException("targets", "has " + targets.batch() + " images; the predictions have B = "
                    + p.batch);
        }
    }
}

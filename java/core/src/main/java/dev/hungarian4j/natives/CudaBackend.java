package dev.hungarian4j.natives;

import dev.hungarian4j.BackendKind;
import dev.hungarian4j.BackendStatus;
import dev.hungarian4j.BackendUnavailableException;
import dev.hungarian4j.Batch;
import dev.hungarian4j.HungarianConfig;
import dev.hungarian4j.LossTerms;
import dev.hungarian4j.MatcherKind;
import dev.hungarian4j.MatcherReport;
import dev.hungarian4j.Matching;
import dev.hungarian4j.Predictions;
import dev.hungarian4j.Targets;
import dev.hungarian4j.spi.ComputeBackend;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The CUDA backend: cost blocks, the auction matcher and the loss with its gradients on the GPU, from host
 * arrays (staged through per-thread native buffers and copied to and from the device per call; the
 * device-resident path without copies is {@link CudaDeviceLoss}).
 * With {@link MatcherKind#EXACT} the matching runs on the CPU on a host copy of the cost blocks.
 */
public final class CudaBackend implements ComputeBackend {
    private static final CudaBackend INSTANCE = new CudaBackend();
    private static final BackendStatus STATUS = probe();

    private CudaBackend() {
    }

    private static BackendStatus probe() {
        if (NativeLoader.error() != null) {
            return new BackendStatus(BackendKind.CUDA, false, NativeLoader.error());
        }
        int[] count = new int[1];
        int st = NativeLibrary.h4j_cuda_device_count(count);
        if (st != NativeStatus.OK) {
            String why = NativeLibrary.h4j_last_error();  // says what to do, e.g. the driver version needed
            return new BackendStatus(BackendKind.CUDA, false, why.isEmpty()
                    ? "status " + st + " (" + NativeLibrary.h4j_status_string(st) + ")" : why);
        }
        if (count[0] < 1) {
            return new BackendStatus(BackendKind.CUDA, false, "no CUDA device found");
        }
        byte[] name = new byte[256];
        st = NativeLibrary.h4j_cuda_device_name(0, name, name.length);
        String dev = st == NativeStatus.OK ? cString(name) : "device 0";
        return new BackendStatus(BackendKind.CUDA, true, dev + " (" + count[0] + " device(s))");
    }

    private static String cString(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }

    /**
     * Whether a CUDA device is usable here, with its name or the reason (status code and text) it is not. The
     * device is probed once per JVM, when this class is initialized.
     *
     * @return the status of the {@code cuda} backend
     */
    public static BackendStatus status() {
        return STATUS;
    }

    /**
     * The backend.
     *
     * @return the single instance
     * @throws BackendUnavailableException when no device is usable
     */
    public static CudaBackend instance() {
        if (!STATUS.available()) {
            throw new BackendUnavailableException("backend cuda is not available: " + STATUS.detail());
        }
        return INSTANCE;
    }

    @Override
    public BackendKind kind() {
        return BackendKind.CUDA;
    }

    @Override
    public void costBlocks(HungarianConfig config, Batch batch, float[] costOut) {
        // groups and num_boxes do not change cost blocks; the kernel has the focal class cost
        Predictions p = batch.predictions();
        Targets t = batch.targets();
        ArrayStaging st = ArrayStaging.forCuda();
        int[] offsets = st.offsets(t);
        int n = NativeBackend.costCount(p.queries(), offsets[p.batch()]);
        NativeBackend.need("cost_out", costOut, costOut == null ? 0 : costOut.length, n);
        NativeStatus.check(NativeLibrary.h4j_cuda_cost_blocks_host(p.batch(), p.queries(), p.numLogits(),
                st.logits(p), st.boxes(p), offsets, t.labels(), t.boxes(),
                NativeConfig.pack(config), st.costsOut(costOut, n)), "h4j_cuda_cost_blocks_host");
        st.copyCostsOut(costOut, n);
    }

    @Override
    public Matching match(Batch batch, float[] costs, MatcherKind matcher) {
        if (matcher == MatcherKind.EXACT) {
            return NativeBackend.instance().match(batch, costs, matcher);
        }
        ArrayStaging st = ArrayStaging.forCuda();
        int[] offsets = st.offsets(batch.targets());
        int n = NativeBackend.costCount(batch.queries(), offsets[batch.batch()]);
        NativeBackend.need("costs", costs, costs == null ? 0 : costs.length, n);
        int[] assignment = new int[batch.batch() * batch.queries()];
        double[] cost = new double[batch.batch()];
        int[] stats = new int[batch.batch() * MatcherReport.STATS_LEN];
        NativeStatus.check(NativeLibrary.h4j_cuda_match_auction_host(batch.batch(), batch.queries(),
                offsets, st.costsIn(costs, n), assignment, cost,
                stats), "h4j_cuda_match_auction_host");
        return new Matching(batch.batch(), batch.queries(), assignment, cost, new MatcherReport(stats));
    }

    @Override
    public LossTerms loss(HungarianConfig config, Batch batch, int[] assignment, float[] gradLogits,
            float[] gradBoxes) {
        Predictions p = batch.predictions();
        Targets t = batch.targets();
        NativeBackend.need("assignment", assignment, assignment == null ? 0 : assignment.length,
                (long) p.batch() * p.queries());
        NativeBackend.needGradients(p, gradLogits, gradBoxes);
        double[] terms = new double[5];
        ArrayStaging st = ArrayStaging.forCuda();
        int[] offsets = st.offsets(t);
        NativeStatus.check(NativeLibrary.h4j_cuda_loss_host(p.batch(), p.queries(), p.numLogits(),
                st.logits(p), st.boxes(p), offsets, t.labels(), t.boxes(),
                NativeConfig.pack(config), assignment, terms,
                st.gradLogits(p, gradLogits), st.gradBoxes(p, gradBoxes)), "h4j_cuda_loss_host");
        st.copyGradients(p, gradLogits, gradBoxes);
        return new LossTerms(terms[0], terms[1], terms[2], terms[3]);
    }

    @Override
    public Forward forward(HungarianConfig config, Batch batch, MatcherKind matcher, float[] gradLogits,
            float[] gradBoxes) {
        if (matcher != MatcherKind.AUCTION) {
            return ComputeBackend.super.forward(config, batch, matcher, gradLogits, gradBoxes);
        }
        Predictions p = batch.predictions();
        Targets t = batch.targets();
        int[] assignment = new int[p.batch() * p.queries()];
        double[] cost = new double[p.batch()];
        double[] terms = new double[5];
        // one auction report entry per (image, query group) problem, as QueryGroups.fold keeps them
        int[] stats = new int[p.batch() * config.groups() * MatcherReport.STATS_LEN];
        NativeBackend.needGradients(p, gradLogits, gradBoxes);
        ArrayStaging st = ArrayStaging.forCuda();
        int[] offsets = st.offsets(t);
        // one pipeline on the device: costs, auction and loss without a host round trip in between
        NativeStatus.check(NativeLibrary.h4j_cuda_forward_host(p.batch(), p.queries(), p.numLogits(),
                st.logits(p), st.boxes(p), offsets, t.labels(), t.boxes(),
                NativeConfig.pack(config), assignment, cost, terms,
                st.gradLogits(p, gradLogits), st.gradBoxes(p, gradBoxes), stats), "h4j_cuda_forward_host");
        st.copyGradients(p, gradLogits, gradBoxes);
        return new Forward(new Matching(p.batch(), p.queries(), assignment, cost, new MatcherReport(stats)),
                new LossTerms(terms[0], terms[1], terms[2], terms[3]));
    }

    /**
     * Every decoder layer in ONE call with the auction (h4j_cuda_forward_layers_host: every (layer, image, group)
     * problem in the same launches, one copy in and out); the exact matcher runs layer by layer.
     */
    @Override
    public List<Forward> forwardLayers(HungarianConfig config, Batch batch, MatcherKind matcher,
            float[][] gradLogits, float[][] gradBoxes) {
        int layers = batch.layers();
        if (matcher != MatcherKind.AUCTION || layers == 1) {
            return ComputeBackend.super.forwardLayers(config, batch, matcher, gradLogits, gradBoxes);
        }
        NativeBackend.needLayerGradients(batch, gradLogits, gradBoxes);
        Predictions p = batch.predictions();
        Targets t = batch.targets();
        int rows = p.batch() * p.queries();
        int problems = p.batch() * config.groups();
        int[] assignment = new int[rows * layers];
        double[] cost = new double[p.batch() * layers];
        double[] terms = new double[5 * layers];
        int[] stats = new int[problems * layers * MatcherReport.STATS_LEN];
        ArrayStaging st = ArrayStaging.forCuda();
        NativeStatus.check(NativeLibrary.h4j_cuda_forward_layers_host(layers, p.batch(), p.queries(), p.numLogits(),
                st.layerLogits(batch), st.layerBoxes(batch), st.offsets(t), t.labels(), t.boxes(),
                NativeConfig.pack(config), assignment, cost, terms, st.layerGradLogits(batch, gradLogits),
                st.layerGradBoxes(batch, gradBoxes), stats), "h4j_cuda_forward_layers_host");
        st.copyLayerGradients(batch, gradLogits, gradBoxes);
        List<Forward> out = new ArrayList<>(layers);
        int statsPerLayer = problems * MatcherReport.STATS_LEN;
        for (int l = 0; l < layers; l++) {
            Matching m = new Matching(p.batch(), p.queries(), Arrays.copyOfRange(assignment, l * rows, (l + 1) * rows),
                    Arrays.copyOfRange(cost, l * p.batch(), (l + 1) * p.batch()),
                    new MatcherReport(Arrays.copyOfRange(stats, l * statsPerLayer, (l + 1) * statsPerLayer)));
            out.add(new Forward(m, new LossTerms(terms[5 * l], terms[5 * l + 1], terms[5 * l + 2], terms[5 * l + 3])));
        }
        return out;
    }
}

package dev.hungarian4j.pytorch;

import dev.hungarian4j.InvalidInputException;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;

/**
 * The criterion for tensors in device memory, through the device-pointer API: the targets become three small tensors
 * on the device (offsets uploaded, labels and boxes concatenated there or uploaded), the outputs are tensors on the
 * device (terms {@code (L,5)} double, assignment {@code (L,B,Q)} int, gradients owned by {@link GradientTensors}),
 * and all L layers are ONE {@link LayerKernel} call on the contiguous {@code (L,B,Q,·)} stack of the predictions
 * (per-layer lists were stacked by {@link DecoderTensors}). Nothing waits for the device: the loss value is a device
 * tensor ({@code Σ_l terms[l][3]}), and the host copies of the terms and matchings are made only when
 * {@link TorchLossOutput} is asked for them. Libtorch's own calls here run on its current stream, so the kernel runs
 * on that same stream unless the caller names one ({@link CudaStreamLookup}). Not thread-safe.
 */
final class DeviceRoute {
    private static final int TERMS = 5;

    private final LayerKernel kernel;
    private final CudaStreamLookup streams;
    private final HostStaging staging = new HostStaging();
    private final LayerCall call = new LayerCall();

    DeviceRoute(LayerKernel kernel, CudaStreamLookup streams) {
        this.kernel = kernel;
        this.streams = streams;
    }

    /**
     * Runs the criterion of every layer.
     *
     * @param stream the caller's {@code cudaStream_t}, or null for libtorch's current stream of the predictions' device
     * @throws InvalidInputException naming the argument when something is wrong; naming {@code cudaStream} when none
     *                               was given and libtorch's current stream cannot be obtained
     */
    TorchLossOutput run(DecoderTensors p, TorchTargets targets, GradientTensors gradients, Pointer stream) {
        HostRoute.checkBatch(p, targets);
        Device device = p.device();
        // before anything is made on the device: a missing stream fails with nothing enqueued
        Pointer onStream = streams.streamFor(stream, device);
        int b = p.batch;
        staging.fitTargets(b, targets.total());
        staging.offsets.put(0, targets.offsets(), 0, b + 1);
        Tensor offsets = TensorOps.upload(staging.offsets, b + 1, new long[] {b + 1}, device);
        Tensor[] lb = targets.onDevice(device, staging);
        Tensor terms = TensorOps.empty(new long[] {p.layers, TERMS}, TensorOps.DOUBLE, device);
        Tensor assign = TensorOps.empty(new long[] {p.layers, b, p.queries}, TensorOps.INT, device);
        Tensor[] g = gradients.acquire(p);
        call.layers = p.layers;
        call.batch = b;
        call.queries = p.queries;
        call.numLogits = p.numLogits;
        call.maxM = targets.maxCount();
        call.offsets = TensorOps.address(offsets);
        call.labels = TensorOps.address(lb[0]);
        call.targetBoxes = TensorOps.address(lb[1]);
        call.logits = TensorOps.address(p.logits);
        call.boxes = TensorOps.address(p.boxes);
        call.gradLogits = TensorOps.address(g[0]);
        call.gradBoxes = TensorOps.address(g[1]);
        call.terms = TensorOps.address(terms);
        call.assign = TensorOps.address(assign);
        kernel.forward(call, onStream);
        Tensor value;
        try (Tensor totals = terms.select(1, 3); Tensor sum = totals.sum()) {
            value = sum.to(TensorOps.FLOAT);
        }
        Tensor loss = Surrogate.wire(p, g, value);
        if (loss != value) {
            value.close();
        }
        offsets.close();
        lb[0].close();
        lb[1].close();
        return TorchLossOutput.onDevice(loss, p, g, terms, assign, kernel.backend());
    }
}

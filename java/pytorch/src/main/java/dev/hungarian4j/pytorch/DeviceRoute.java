package dev.hungarian4j.pytorch;

import dev.hungarian4j.InvalidInputException;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;

/**
 * The criterion for tensors in device memory, through the device-pointer API: the targets become three small tensors
 * on the device (offsets uploaded, labels and boxes concatenated there or uploaded), the outputs are tensors on the
 * device (terms {@code (L,5)} double, assignment {@code (L,B,Q)} int, gradients owned by {@link GradientTensors}),
 * and each layer is one {@link LayerKernel} call on its slice of the memory. Nothing waits for the device: the loss
 * value is a device tensor ({@code Σ_l terms[l][3]}), and the host copies of the terms and matchings are made only
 * when {@link TorchLossOutput} is asked for them. Libtorch's own calls here run on its current stream, so the kernel
 * must be given that same stream. Not thread-safe.
 */
final class DeviceRoute {
    private static final int TERMS = 5;

    private final LayerKernel kernel;
    private final HostStaging staging = new HostStaging();
    private final LayerCall call = new LayerCall();

    DeviceRoute(LayerKernel kernel) {
        this.kernel = kernel;
    }

    TorchLossOutput run(DecoderTensors p, TorchTargets targets, GradientTensors gradients, Pointer stream) {
        HostRoute.checkBatch(p, targets);
        Device device = p.device();
        int b = p.batch;
        staging.fitTargets(b, targets.total());
        staging.offsets.put(0, targets.offsets(), 0, b + 1);
        Tensor offsets = TensorOps.upload(staging.offsets, b + 1, new long[] {b + 1}, device);
        Tensor[] lb = targets.onDevice(device, staging);
        Tensor terms = TensorOps.empty(new long[] {p.layers, TERMS}, TensorOps.DOUBLE, device);
        Tensor assign = TensorOps.empty(new long[] {p.layers, b, p.queries}, TensorOps.INT, device);
        Tensor[] g = gradients.acquire(p);
        long rows = (long) b * p.queries;
        call.batch = b;
        call.queries = p.queries;
        call.numLogits = p.numLogits;
        call.maxM = targets.maxCount();
        call.offsets = TensorOps.address(offsets);
        call.labels = TensorOps.address(lb[0]);
        call.targetBoxes = TensorOps.address(lb[1]);
        long logits = TensorOps.address(p.logits);
        long boxes = TensorOps.address(p.boxes);
        long gl = TensorOps.address(g[0]);
        long gb = TensorOps.address(g[1]);
        long termsAt = TensorOps.address(terms);
        long assignAt = TensorOps.address(assign);
        for (int l = 0; l < p.layers; l++) {
            long logitBytes = 4L * l * rows * p.numLogits;
            long boxBytes = 4L * l * rows * 4;
            call.logits = logits + logitBytes;
            call.boxes = boxes + boxBytes;
            call.gradLogits = gl + logitBytes;
            call.gradBoxes = gb + boxBytes;
            call.terms = termsAt + 8L * TERMS * l;
            call.assign = assignAt + 4L * l * rows;
            try {
                kernel.forward(call, stream);
            } catch (InvalidInputException e) {
                throw p.layers == 1 ? e : e.withFieldPrefix("layer[" + l + "].");
            }
        }
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

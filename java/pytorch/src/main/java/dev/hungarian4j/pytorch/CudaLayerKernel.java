package dev.hungarian4j.pytorch;

import dev.hungarian4j.HungarianConfig;
import dev.hungarian4j.natives.CudaDeviceLoss;
import dev.hungarian4j.natives.DeviceBatch;
import dev.hungarian4j.natives.DeviceOutputs;
import org.bytedeco.javacpp.Pointer;

/**
 * The layers of one call on the GPU through core's device-pointer API ({@link CudaDeviceLoss}): costs, the exact
 * auction matching, loss and gradients enqueued on the given stream, no host synchronisation; the workspace comes from
 * the library's stream-ordered pool. One layer is {@link CudaDeviceLoss#forward}; L stacked layers are ONE
 * {@link CudaDeviceLoss#forwardLayers} (one launch sequence for all of them, not one per layer). The description of
 * the memory is kept per shape and re-pointed at every call.
 */
final class CudaLayerKernel implements LayerKernel {
    private final CudaDeviceLoss loss;
    private final DeviceOutputs out = new DeviceOutputs();
    private DeviceBatch in;

    /**
     * Checks that a CUDA device is usable.
     *
     * @param config the cost and loss configuration
     * @throws dev.hungarian4j.BackendUnavailableException when no CUDA device is usable here (the message says why)
     */
    CudaLayerKernel(HungarianConfig config) {
        this.loss = new CudaDeviceLoss(config);
    }

    @Override
    public void forward(LayerCall c, Pointer stream) {
        if (in == null || in.batch() != c.batch || in.queries() != c.queries || in.numLogits() != c.numLogits
                || in.maxM() != c.maxM) {
            in = new DeviceBatch(c.batch, c.queries, c.numLogits, c.maxM);
        }
        in.predictions(TensorOps.at(c.logits), TensorOps.at(c.boxes))
                .targets(TensorOps.at(c.offsets), TensorOps.at(c.labels), TensorOps.at(c.targetBoxes));
        out.terms(TensorOps.at(c.terms)).assignment(TensorOps.at(c.assign))
                .gradients(TensorOps.at(c.gradLogits), TensorOps.at(c.gradBoxes));
        if (c.layers == 1) {
            loss.forward(in, out, null, 0, stream);
        } else {
            loss.forwardLayers(c.layers, in, out, null, 0, stream);
        }
    }

    @Override
    public String backend() {
        return "cuda";
    }
}

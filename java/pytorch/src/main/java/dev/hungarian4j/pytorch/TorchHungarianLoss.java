package dev.hungarian4j.pytorch;

import dev.hungarian4j.HungarianConfig;
import dev.hungarian4j.InvalidInputException;
import dev.hungarian4j.LossClass;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;

import java.util.List;

/**
 * DETR's Hungarian loss on libtorch tensors from Java (JavaCPP's PyTorch presets): one call per training step
 * computes every decoder layer's costs, matching, loss terms and gradients, and returns a loss tensor whose backward
 * pass hands those gradients to libtorch's autograd.
 *
 * <p>Predictions: {@code pred_logits (B, Q, C)} and {@code pred_boxes (B, Q, 4)} (normalized {@code (cx, cy, w, h)});
 * C is K+1 with the no-object class last, or K with the focal loss of {@link HungarianConfig#lossClass()}. Aux decoder
 * layers (contract.md §3) come stacked, {@code (L, B, Q, C)} and {@code (L, B, Q, 4)} with the final layer last (read
 * in place), or as per-layer lists (stacked here: one copy, through autograd). Query groups, {@code num_boxes} and
 * the focal loss come from the {@link HungarianConfig}. Every tensor must be contiguous float32 (targets: see
 * {@link TorchTargets}), all on one device; anything else is an {@link InvalidInputException} naming the argument.
 *
 * <p>Routing, by the predictions' device:
 * <ul>
 * <li>CPU: the native backend reads the tensors in place and writes the gradients into tensors this loss owns and
 * reuses (no copy of the predictions, no per-step allocation of gradient memory); all layers in one native call.</li>
 * <li>CUDA: core's device-pointer API ({@code CudaDeviceLoss}) enqueues costs, the exact auction matching, loss and
 * gradients on a CUDA stream, and nothing waits for the device. All layers are one launch sequence
 * ({@code CudaDeviceLoss.forwardLayers}) on the contiguous {@code (L,B,Q,·)} stack; per-layer lists are stacked into
 * one copy first, so they take the same single call (memory that stays in separate per-layer allocations can only be
 * run layer by layer, through {@code CudaDeviceLoss.forward} directly). The stream: with no stream (or a null one),
 * libtorch's current CUDA stream of the predictions' device, {@code torch_cuda.getCurrentCUDAStream(device).stream()},
 * looked up at the call (through reflection, so the presets' CPU build never loads {@code torch_cuda}); when it cannot
 * be obtained the call fails with an {@link InvalidInputException} naming {@code cudaStream} before anything is
 * enqueued, never falling back to another stream in silence. A given stream is used as it is ({@code new Pointer()},
 * address 0: CUDA's legacy default stream); the small target tensors are made on libtorch's current stream, so a
 * given stream must be that one too (or be synchronised with it by the caller).</li>
 * </ul>
 *
 * <p>Tensors the loss returns are created in the caller's {@code PointerScope} when there is one (close it after the
 * step, as with any presets code); the gradient tensors are the loss's own and outlive scopes. Not thread-safe: one
 * instance per training thread.
 */
public final class TorchHungarianLoss {
    private final HungarianConfig config;
    private final HostRoute host;
    private final GradientTensors gradients = new GradientTensors();
    private final CudaStreamLookup streams = new TorchCudaStreamLookup();
    private DeviceRoute cuda;

    /**
     * A loss with the given configuration.
     *
     * @param config the cost and loss configuration, not null
     * @throws InvalidInputException                       naming {@code config} when it is null
     * @throws dev.hungarian4j.BackendUnavailableException when the native library did not load
     */
    public TorchHungarianLoss(HungarianConfig config) {
        if (config == null) {
            throw new InvalidInputException("config", "is null");
        }
        this.config = config;
        this.host = new HostRoute(config);
    }

    /**
     * A loss with DETR's defaults ({@link HungarianConfig#DEFAULTS}).
     *
     * @throws dev.hungarian4j.BackendUnavailableException when the native library did not load
     */
    public TorchHungarianLoss() {
        this(HungarianConfig.DEFAULTS);
    }

    /**
     * The configuration.
     *
     * @return the cost and loss configuration
     */
    public HungarianConfig config() {
        return config;
    }

    /**
     * The criterion of one layer {@code (B,Q,C)} or of a stacked decoder output {@code (L,B,Q,C)}, on CPU tensors or
     * on CUDA tensors on libtorch's current CUDA stream of their device.
     *
     * @param predLogits the logits
     * @param predBoxes  the boxes, shaped like the logits with 4 in the last dimension
     * @param targets    the B images' targets
     * @return the loss, gradients, terms and matchings
     * @throws InvalidInputException                       naming the argument when a dtype, layout, shape, device or
     *                                                     value is wrong; naming {@code cudaStream} for CUDA tensors
     *                                                     when libtorch's current stream cannot be obtained (the
     *                                                     presets' CPU build; pass the stream then)
     * @throws dev.hungarian4j.BackendUnavailableException for CUDA tensors when no CUDA device is usable by the
     *                                                     library
     */
    public TorchLossOutput forward(Tensor predLogits, Tensor predBoxes, TorchTargets targets) {
        return forward(predLogits, predBoxes, targets, null);
    }

    /**
     * The same, on a given CUDA stream for CUDA tensors.
     *
     * @param predLogits the logits
     * @param predBoxes  the boxes
     * @param targets    the B images' targets
     * @param cudaStream the {@code cudaStream_t} for CUDA tensors, normally libtorch's current one
     *                   ({@code torch_cuda.getCurrentCUDAStream(device).stream()}; {@code new Pointer()}: CUDA's
     *                   legacy default stream), or null to look libtorch's current stream up here; ignored for CPU
     *                   tensors
     * @return the loss, gradients, terms and matchings
     * @throws InvalidInputException                       naming the argument when something is wrong; naming
     *                                                     {@code cudaStream} when it is null and libtorch's current
     *                                                     stream cannot be obtained
     * @throws dev.hungarian4j.BackendUnavailableException for CUDA tensors when no CUDA device is usable
     */
    public TorchLossOutput forward(Tensor predLogits, Tensor predBoxes, TorchTargets targets, Pointer cudaStream) {
        return run(DecoderTensors.read(predLogits, predBoxes, minLogits()), targets, cudaStream);
    }

    /**
     * The criterion of per-layer predictions, earliest decoder layer first and the final layer last (DETR's
     * {@code aux_outputs} followed by the final output), each {@code (B,Q,C)} and {@code (B,Q,4)}.
     *
     * @param predLogits L &gt;= 1 logits tensors
     * @param predBoxes  L boxes tensors
     * @param targets    the B images' targets
     * @param cudaStream the {@code cudaStream_t} for CUDA tensors, or null for libtorch's current stream of their
     *                   device (as in {@link #forward(Tensor, Tensor, TorchTargets, Pointer)})
     * @return the loss, gradients (stacked {@code (L,B,Q,·)}), terms and matchings
     * @throws InvalidInputException                       naming {@code pred_logits[l]} or the argument when
     *                                                     something is wrong; naming {@code cudaStream} when it is
     *                                                     null and libtorch's current stream cannot be obtained
     * @throws dev.hungarian4j.BackendUnavailableException for CUDA tensors when no CUDA device is usable
     */
    public TorchLossOutput forward(List<Tensor> predLogits, List<Tensor> predBoxes, TorchTargets targets,
            Pointer cudaStream) {
        return run(DecoderTensors.read(predLogits, predBoxes, minLogits()), targets, cudaStream);
    }

    /**
     * The criterion of per-layer predictions on CPU tensors, or on CUDA tensors on libtorch's current CUDA stream of
     * their device: {@link #forward(List, List, TorchTargets, Pointer)} with a null stream.
     *
     * @param predLogits L &gt;= 1 logits tensors, earliest decoder layer first
     * @param predBoxes  L boxes tensors
     * @param targets    the B images' targets
     * @return the loss, gradients (stacked {@code (L,B,Q,·)}), terms and matchings
     * @throws InvalidInputException                       naming the argument when something is wrong
     * @throws dev.hungarian4j.BackendUnavailableException for CUDA tensors when no CUDA device is usable
     */
    public TorchLossOutput forward(List<Tensor> predLogits, List<Tensor> predBoxes, TorchTargets targets) {
        return forward(predLogits, predBoxes, targets, null);
    }

    private int minLogits() {
        return config.lossClass() == LossClass.FOCAL ? 1 : 2;
    }

    private TorchLossOutput run(DecoderTensors p, TorchTargets targets, Pointer cudaStream) {
        if (route(p.device()) == Route.CUDA) {
            return cudaRoute().run(p, targets, gradients, cudaStream);
        }
        return host.run(p, targets, gradients);
    }

    /** Where tensors on a device are computed. */
    enum Route {
        /** The native CPU backend on host memory. */
        HOST,
        /** The CUDA backend on device memory. */
        CUDA
    }

    /** The route of the predictions' device (the device was checked to be the CPU or CUDA). */
    static Route route(Device device) {
        return device.is_cuda() ? Route.CUDA : Route.HOST;
    }

    /** The CUDA route, made at the first CUDA call (so that CPU users never need a GPU). */
    DeviceRoute cudaRoute() {
        if (cuda == null) {
            cuda = new DeviceRoute(new CudaLayerKernel(config), streams);
        }
        return cuda;
    }

    /** Runs the device route with another kernel (the tests' CPU twin) on a given stream. */
    TorchLossOutput runDeviceRoute(DecoderTensors p, TorchTargets targets, LayerKernel kernel) {
        return runDeviceRoute(p, targets, kernel, device -> {
            throw new AssertionError("a given stream is never looked up");
        }, new Pointer());
    }

    /** Runs the device route with another kernel and stream lookup (the tests' fakes). */
    TorchLossOutput runDeviceRoute(DecoderTensors p, TorchTargets targets, LayerKernel kernel,
            CudaStreamLookup lookup, Pointer cudaStream) {
        return new DeviceRoute(kernel, lookup).run(p, targets, gradients, cudaStream);
    }
}

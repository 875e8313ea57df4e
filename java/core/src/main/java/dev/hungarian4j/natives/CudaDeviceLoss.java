package dev.hungarian4j.natives;

import dev.hungarian4j.BackendUnavailableException;
import dev.hungarian4j.HungarianConfig;
import dev.hungarian4j.InvalidInputException;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.SizeTPointer;

/**
 * The device-resident CUDA pipeline for stacks that already hold device memory and a CUDA stream (a C++
 * engine, bytedeco's PyTorch or CUDA presets): every array argument is a DEVICE pointer (wrapped in a JavaCPP
 * {@link Pointer}, e.g. from {@code cudaMalloc}), {@code stream} is a {@code cudaStream_t} (null = the default
 * stream). Calls only enqueue work: costs, auction matching, loss and gradients run on the stream with no host
 * synchronisation, and results are ready when the caller synchronises or copies them back.
 *
 * <p>Device data cannot be validated on the host without a sync: the kernels check offsets, labels and the
 * {@code M_b <= maxM} promise themselves and, when a check fails, write NaN into the loss terms and the
 * gradients instead of reading out of bounds. Size the workspace once with {@link #forwardWorkspaceBytes} and
 * reuse it (16-byte aligned; no zeroing needed; not shared by concurrent streams).
 */
public final class CudaDeviceLoss {
    private final double[] cfg;

    /**
     * @param config the cost and loss configuration
     * @throws BackendUnavailableException when no CUDA device is usable here
     */
    public CudaDeviceLoss(HungarianConfig config) {
        CudaBackend.instance();
        this.cfg = NativeConfig.pack(config);
    }

    /** Workspace bytes for {@link #forward}: B images, Q queries, C = K+1 logits, T targets, {@code M_b <= maxM}. */
    public static long forwardWorkspaceBytes(int batch, int queries, int numLogits, int totalTargets, int maxM) {
        try (SizeTPointer bytes = new SizeTPointer(1)) {
            NativeStatus.check(NativeLibrary.h4j_cuda_forward_workspace_size(batch, queries, numLogits, totalTargets,
                    maxM, bytes), "h4j_cuda_forward_workspace_size");
            return bytes.get();
        }
    }

    /** Workspace bytes for {@link #loss}. */
    public static long lossWorkspaceBytes(int batch, int queries, int numLogits) {
        try (SizeTPointer bytes = new SizeTPointer(1)) {
            NativeStatus.check(NativeLibrary.h4j_cuda_loss_workspace_size(batch, queries, numLogits, bytes),
                    "h4j_cuda_loss_workspace_size");
            return bytes.get();
        }
    }

    /**
     * Enqueues costs, the auction matcher and the loss (with gradients when both gradient pointers are
     * non-null). Outputs: {@code assignOut[B*Q]} (int), {@code matchingCostOut[B]} (double, may be null),
     * {@code termsOut[5]} (double: ce, bbox, giou, total, num_boxes), {@code statsOut[B*8]} (int, may be null:
     * the {@link dev.hungarian4j.MatcherReport} layout).
     */
    public void forward(int batch, int queries, int numLogits, int maxM, Pointer logits, Pointer boxes,
            Pointer offsets, Pointer labels, Pointer targetBoxes, Pointer workspace, long workspaceBytes,
            Pointer assignOut, Pointer matchingCostOut, Pointer termsOut, Pointer gradLogits, Pointer gradBoxes,
            Pointer statsOut, Pointer stream) {
        gradPair(gradLogits, gradBoxes);
        NativeStatus.check(NativeLibrary.h4j_cuda_forward(batch, queries, numLogits, maxM, logits, boxes, offsets,
                labels, targetBoxes, cfg, workspace, workspaceBytes, assignOut, matchingCostOut, termsOut, gradLogits,
                gradBoxes, statsOut, stream), "h4j_cuda_forward");
    }

    /** Enqueues the loss (and gradients) for a given device assignment {@code assign[B*Q]}. */
    public void loss(int batch, int queries, int numLogits, Pointer logits, Pointer boxes, Pointer offsets,
            Pointer labels, Pointer targetBoxes, Pointer assign, Pointer workspace, long workspaceBytes,
            Pointer termsOut, Pointer gradLogits, Pointer gradBoxes, Pointer stream) {
        gradPair(gradLogits, gradBoxes);
        NativeStatus.check(NativeLibrary.h4j_cuda_loss(batch, queries, numLogits, logits, boxes, offsets, labels,
                targetBoxes, cfg, assign, workspace, workspaceBytes, termsOut, gradLogits, gradBoxes, stream),
                "h4j_cuda_loss");
    }

    private static void gradPair(Pointer gl, Pointer gb) {
        if ((gl == null) != (gb == null)) {
            throw new InvalidInputException(gl == null ? "grad_logits" : "grad_boxes",
                    "is null but the other gradient is not; pass both or neither");
        }
    }
}

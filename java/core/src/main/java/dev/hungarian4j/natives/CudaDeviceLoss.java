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
     * Checks that a CUDA device is usable and packs the configuration once for all later calls.
     *
     * @param config the cost and loss configuration, not null
     * @throws BackendUnavailableException when no CUDA device is usable here
     */
    public CudaDeviceLoss(HungarianConfig config) {
        CudaBackend.instance();
        this.cfg = NativeConfig.pack(config);
    }

    /**
     * Workspace bytes for {@link #forward}: B images, Q queries, C = K+1 logits, T targets, {@code M_b <= maxM}.
     *
     * @param batch        B &gt;= 1
     * @param queries      Q &gt;= 1
     * @param numLogits    C: K+1 &gt;= 2, or K &gt;= 1 with the focal loss
     * @param totalTargets T = {@code offsets[B]} &gt;= 0 (the {@code Q*T} cost blocks live in the workspace)
     * @param maxM         the bound promised on every {@code M_b}, &gt;= 0
     * @return the workspace size in bytes
     * @throws InvalidInputException              naming the bad size
     * @throws dev.hungarian4j.HungarianException when no CUDA device is usable (status 3)
     * @throws dev.hungarian4j.BackendUnavailableException when the native library did not load
     */
    public static long forwardWorkspaceBytes(int batch, int queries, int numLogits, int totalTargets, int maxM) {
        requireLibrary();
        try (SizeTPointer bytes = new SizeTPointer(1)) {
            NativeStatus.check(NativeLibrary.h4j_cuda_forward_workspace_size(batch, queries, numLogits, totalTargets,
                    maxM, bytes), "h4j_cuda_forward_workspace_size");
            return bytes.get();
        }
    }

    /**
     * Workspace bytes for {@link #forwardLayers}: L layers of B images, Q queries and C = K+1 logits against the same
     * T targets ({@code L*Q*T} cost floats live in the workspace). The sizes are checked here first, so a bad one is
     * named even where no device is usable.
     *
     * @param layers       L &gt;= 1, with {@code L*B*Q < 2^31}
     * @param batch        B &gt;= 1
     * @param queries      Q &gt;= 1
     * @param numLogits    C: K+1 &gt;= 2, or K &gt;= 1 with the focal loss
     * @param totalTargets T = {@code offsets[B]} &gt;= 0
     * @param maxM         the bound promised on every {@code M_b}, &gt;= 0
     * @return the workspace size in bytes
     * @throws InvalidInputException              naming the bad size
     * @throws dev.hungarian4j.HungarianException when no CUDA device is usable (status 3)
     * @throws dev.hungarian4j.BackendUnavailableException when the native library did not load
     */
    public static long forwardLayersWorkspaceBytes(int layers, int batch, int queries, int numLogits,
            int totalTargets, int maxM) {
        checkLayers(layers, new DeviceBatch(batch, queries, numLogits, maxM)); // the shape's checks and messages
        if (totalTargets < 0) {
            throw new InvalidInputException("totalTargets", "is " + totalTargets + "; must be >= 0");
        }
        requireLibrary();
        try (SizeTPointer bytes = new SizeTPointer(1)) {
            NativeStatus.check(NativeLibrary.h4j_cuda_forward_layers_workspace_size(layers, batch, queries, numLogits,
                    totalTargets, maxM, bytes), "h4j_cuda_forward_layers_workspace_size");
            return bytes.get();
        }
    }

    /**
     * Workspace bytes for {@link #loss}.
     *
     * @param batch     B &gt;= 1
     * @param queries   Q &gt;= 1
     * @param numLogits C: K+1 &gt;= 2, or K &gt;= 1 with the focal loss
     * @return the workspace size in bytes (currently independent of the sizes)
     * @throws InvalidInputException              naming the bad size
     * @throws dev.hungarian4j.HungarianException when no CUDA device is usable (status 3)
     * @throws dev.hungarian4j.BackendUnavailableException when the native library did not load
     */
    public static long lossWorkspaceBytes(int batch, int queries, int numLogits) {
        requireLibrary();
        try (SizeTPointer bytes = new SizeTPointer(1)) {
            NativeStatus.check(NativeLibrary.h4j_cuda_loss_workspace_size(batch, queries, numLogits, bytes),
                    "h4j_cuda_loss_workspace_size");
            return bytes.get();
        }
    }

    /**
     * Enqueues costs, the auction matcher and the loss (with gradients when {@code out} has them) for the device
     * memory {@code in} describes, into the device memory {@code out} describes.
     *
     * @param in             the shape, {@code maxM} and the device inputs
     * @param out            the device outputs: terms and assignment required
     * @param workspace      at least {@link #forwardWorkspaceBytes} bytes of device memory, 16-byte aligned, or null
     *                       for a stream-ordered allocation inside the call
     * @param workspaceBytes the size of {@code workspace} in bytes, &gt;= 0
     * @param stream         the {@code cudaStream_t} to enqueue on, or null for the default stream
     * @throws InvalidInputException              naming the argument when a host-side check fails (a missing
     *                                            pointer, a negative position, a workspace too small)
     * @throws dev.hungarian4j.HungarianException when a launch fails or no device is usable; errors during
     *                                            execution surface at the caller's next synchronisation
     */
    public void forward(DeviceBatch in, DeviceOutputs out, Pointer workspace, long workspaceBytes, Pointer stream) {
        checkCall(in, out, true, workspace, workspaceBytes);
        BatchShape.checkLogits(in, cfg);
        NativeStatus.check(NativeLibrary.h4j_cuda_forward(in.batch(), in.queries(), in.numLogits(), in.maxM(),
                in.logits, in.boxes, in.offsets, in.labels, in.targetBoxes, cfg, workspace, workspaceBytes,
                out.assign, out.matchingCost, out.terms, out.gradLogits, out.gradBoxes, out.stats, stream),
                "h4j_cuda_forward");
    }

    /**
     * Enqueues costs, the auction matcher, loss and gradients of L decoder layers in ONE launch sequence
     * ({@code h4j_cuda_forward_layers}: each stage one launch over every (layer, image, group) problem), every layer
     * matched and lost on its own against the same targets. {@code in} gives the shape of ONE layer
     * {@code (B, Q, C)} and {@code maxM}; its prediction pointers address the L layers one after the other (layer 0
     * first: a contiguous {@code (L, B, Q, C)} and {@code (L, B, Q, 4)} stack), its targets are shared. {@code out}
     * addresses L layers likewise: terms {@code L*5} doubles (layer {@code l} at {@code 5*l}), assignment
     * {@code L*B*Q} ints, matching costs {@code L*B} doubles (optional), statistics {@code L*B*G*}{@link
     * dev.hungarian4j.MatcherReport#STATS_LEN} ints with G query groups (optional), gradients {@code L*B*Q*C} and
     * {@code L*B*Q*4} floats (optional; layer {@code l}'s is that of the sum of all totals). Layers that live in
     * separate allocations cannot be passed here: call {@link #forward} once per layer.
     *
     * @param layers         L &gt;= 1, with {@code L*B*Q < 2^31}
     * @param in             one layer's shape, {@code maxM}, the stacked device predictions and the device targets
     * @param out            the stacked device outputs: terms and assignment required
     * @param workspace      at least {@link #forwardLayersWorkspaceBytes} bytes of device memory, 16-byte aligned,
     *                       or null for a stream-ordered allocation inside the call
     * @param workspaceBytes the size of {@code workspace} in bytes, &gt;= 0
     * @param stream         the {@code cudaStream_t} to enqueue on, or null for the legacy default stream
     * @throws InvalidInputException              naming the argument when a host-side check fails ({@code layers}
     *                                            out of range, a missing pointer, a negative position, a workspace
     *                                            too small)
     * @throws dev.hungarian4j.HungarianException when a launch fails or no device is usable; errors during
     *                                            execution surface at the caller's next synchronisation
     */
    public void forwardLayers(int layers, DeviceBatch in, DeviceOutputs out, Pointer workspace, long workspaceBytes,
            Pointer stream) {
        checkLayersCall(layers, in, out, workspace, workspaceBytes);
        BatchShape.checkLogits(in, cfg);
        NativeStatus.check(NativeLibrary.h4j_cuda_forward_layers(layers, in.batch(), in.queries(), in.numLogits(),
                in.maxM(), in.logits, in.boxes, in.offsets, in.labels, in.targetBoxes, cfg, workspace,
                workspaceBytes, out.assign, out.matchingCost, out.terms, out.gradLogits, out.gradBoxes, out.stats,
                stream), "h4j_cuda_forward_layers");
    }

    /** The host-side checks of {@link #forwardLayers} (package-private: testable without a GPU). */
    static void checkLayersCall(int layers, DeviceBatch in, DeviceOutputs out, Pointer workspace,
            long workspaceBytes) {
        checkCall(in, out, true, workspace, workspaceBytes);
        checkLayers(layers, in);
    }

    /** L &gt;= 1 layers of a (checked) one-layer shape, with {@code L*B*Q} within 32-bit assignment indices. */
    static void checkLayers(int layers, DeviceBatch shape) {
        if (layers < 1) {
            throw new InvalidInputException("layers", "is " + layers + "; must be >= 1");
        }
        long all = (long) layers * shape.batch() * shape.queries();
        if (all > Integer.MAX_VALUE) {
            throw new InvalidInputException("layers", "gives L*B*Q = " + all + " predictions; at most "
                    + Integer.MAX_VALUE + " (32-bit assignment indices)");
        }
    }

    /**
     * Enqueues the loss (and gradients when {@code out} has them) for a given device assignment.
     *
     * @param in             the shape and the device inputs ({@code maxM} unused)
     * @param assign         B*Q ints of device memory: image-local target or -1, a matching
     * @param out            the device outputs: terms required, gradients optional
     * @param workspace      at least {@link #lossWorkspaceBytes} bytes of device memory, or null
     * @param workspaceBytes the size of {@code workspace} in bytes, &gt;= 0
     * @param stream         the {@code cudaStream_t} to enqueue on, or null for the default stream
     * @throws InvalidInputException              naming the argument when a host-side check fails
     * @throws dev.hungarian4j.HungarianException when a launch fails or no device is usable
     */
    public void loss(DeviceBatch in, Pointer assign, DeviceOutputs out, Pointer workspace, long workspaceBytes,
            Pointer stream) {
        checkCall(in, out, false, workspace, workspaceBytes);
        BatchShape.checkLogits(in, cfg);
        DeviceBatch.device("assign", assign, true);
        NativeStatus.check(NativeLibrary.h4j_cuda_loss(in.batch(), in.queries(), in.numLogits(), in.logits, in.boxes,
                in.offsets, in.labels, in.targetBoxes, cfg, assign, workspace, workspaceBytes, out.terms,
                out.gradLogits, out.gradBoxes, stream), "h4j_cuda_loss");
    }

    /** The host-side checks of a device call (package-private: testable without a GPU). */
    static void checkCall(DeviceBatch in, DeviceOutputs out, boolean needAssign, Pointer workspace,
            long workspaceBytes) {
        if (in == null) {
            throw new InvalidInputException("in", "is null");
        }
        if (out == null) {
            throw new InvalidInputException("out", "is null");
        }
        in.check();
        out.check(needAssign);
        DeviceBatch.device("workspace", workspace, false);
        if (workspaceBytes < 0) {
            throw new InvalidInputException("workspace_bytes", "is " + workspaceBytes + "; must be >= 0");
        }
    }

    /**
     * Enqueues costs, the auction matcher and the loss (with gradients when both gradient pointers are
     * non-null). Outputs: {@code assignOut[B*Q]} (int), {@code matchingCostOut[B]} (double, may be null),
     * {@code termsOut[5]} (double: ce, bbox, giou, total, num_boxes), {@code statsOut[B*8]} (int, may be null:
     * the {@link dev.hungarian4j.MatcherReport} layout). All array pointers are DEVICE memory.
     *
     * @param batch           B &gt;= 1 images
     * @param queries         Q &gt;= 1 predictions per image
     * @param numLogits       C logits per prediction: K+1 &gt;= 2 (no-object last), or K &gt;= 1 with the focal loss
     * @param maxM            the promised bound on every {@code M_b}; a broken promise gives NaN terms
     * @param logits          B*Q*C floats, row-major
     * @param boxes           B*Q*4 floats {@code (cx, cy, w, h)}
     * @param offsets         B+1 ints, the CSR target offsets
     * @param labels          {@code offsets[B]} ints in {@code [0, K)}
     * @param targetBoxes     {@code 4*offsets[B]} floats {@code (cx, cy, w, h)}
     * @param workspace       at least {@link #forwardWorkspaceBytes} bytes, 16-byte aligned, or null for a
     *                        stream-ordered allocation inside the call
     * @param workspaceBytes  the size of {@code workspace} in bytes
     * @param assignOut       B*Q ints: image-local target index or -1
     * @param matchingCostOut B doubles: each image's matching cost, or null
     * @param termsOut        5 doubles: ce, bbox, giou, total, num_boxes
     * @param gradLogits      B*Q*C floats to overwrite with {@code d total / d logits}, or null
     * @param gradBoxes       B*Q*4 floats to overwrite with {@code d total / d boxes}, or null (null exactly when
     *                        {@code gradLogits} is)
     * @param statsOut        B*{@link dev.hungarian4j.MatcherReport#STATS_LEN} ints, or null
     * @param stream          the {@code cudaStream_t} to enqueue on, or null for the default stream
     * @throws InvalidInputException              naming the argument when a host-side check fails (a size, a
     *                                            missing pointer, only one gradient pointer, a workspace too
     *                                            small)
     * @throws dev.hungarian4j.HungarianException when a launch fails or no device is usable; errors during
     *                                            execution surface at the caller's next synchronisation
     * @deprecated describe the memory once with {@link DeviceBatch} and {@link DeviceOutputs} and call
     *             {@link #forward(DeviceBatch, DeviceOutputs, Pointer, long, Pointer)}
     */
    @Deprecated
    public void forward(int batch, int queries, int numLogits, int maxM, Pointer logits, Pointer boxes,
            Pointer offsets, Pointer labels, Pointer targetBoxes, Pointer workspace, long workspaceBytes,
            Pointer assignOut, Pointer matchingCostOut, Pointer termsOut, Pointer gradLogits, Pointer gradBoxes,
            Pointer statsOut, Pointer stream) {
        gradPair(gradLogits, gradBoxes);
        forward(new DeviceBatch(batch, queries, numLogits, maxM).predictions(logits, boxes)
                        .targets(offsets, labels, targetBoxes),
                new DeviceOutputs().assignment(assignOut).matchingCost(matchingCostOut).terms(termsOut)
                        .gradients(gradLogits, gradBoxes).stats(statsOut), workspace, workspaceBytes, stream);
    }

    /**
     * Enqueues the loss (and gradients) for a given device assignment {@code assign[B*Q]}. All array pointers are
     * DEVICE memory; an assignment entry outside {@code [-1, M_b)} gives NaN terms.
     *
     * @param batch          B &gt;= 1 images
     * @param queries        Q &gt;= 1 predictions per image
     * @param numLogits      C logits per prediction: K+1 &gt;= 2 (no-object last), or K &gt;= 1 with the focal loss
     * @param logits         B*Q*C floats, row-major
     * @param boxes          B*Q*4 floats {@code (cx, cy, w, h)}
     * @param offsets        B+1 ints, the CSR target offsets
     * @param labels         {@code offsets[B]} ints in {@code [0, K)}
     * @param targetBoxes    {@code 4*offsets[B]} floats {@code (cx, cy, w, h)}
     * @param assign         B*Q ints: image-local target index or -1, a matching
     * @param workspace      at least {@link #lossWorkspaceBytes} bytes, 16-byte aligned, or null for a
     *                       stream-ordered allocation inside the call
     * @param workspaceBytes the size of {@code workspace} in bytes
     * @param termsOut       5 doubles: ce, bbox, giou, total, num_boxes
     * @param gradLogits     B*Q*C floats to overwrite with {@code d total / d logits}, or null
     * @param gradBoxes      B*Q*4 floats to overwrite with {@code d total / d boxes}, or null (null exactly when
     *                       {@code gradLogits} is)
     * @param stream         the {@code cudaStream_t} to enqueue on, or null for the default stream
     * @throws InvalidInputException              naming the argument when a host-side check fails
     * @throws dev.hungarian4j.HungarianException when a launch fails or no device is usable; errors during
     *                                            execution surface at the caller's next synchronisation
     * @deprecated use {@link #loss(DeviceBatch, Pointer, DeviceOutputs, Pointer, long, Pointer)}
     */
    @Deprecated
    public void loss(int batch, int queries, int numLogits, Pointer logits, Pointer boxes, Pointer offsets,
            Pointer labels, Pointer targetBoxes, Pointer assign, Pointer workspace, long workspaceBytes,
            Pointer termsOut, Pointer gradLogits, Pointer gradBoxes, Pointer stream) {
        gradPair(gradLogits, gradBoxes);
        loss(new DeviceBatch(batch, queries, numLogits, 0).predictions(logits, boxes)
                        .targets(offsets, labels, targetBoxes), assign,
                new DeviceOutputs().terms(termsOut).gradients(gradLogits, gradBoxes), workspace, workspaceBytes,
                stream);
    }

    private static void gradPair(Pointer gl, Pointer gb) {
        if ((gl == null) != (gb == null)) {
            throw new InvalidInputException(gl == null ? "grad_logits" : "grad_boxes",
                    "is null but the other gradient is not; pass both or neither");
        }
    }

    /** The static size queries call the binding directly: without the library that would be an UnsatisfiedLinkError. */
    private static void requireLibrary() {
        if (NativeLoader.error() != null) {
            throw new dev.hungarian4j.BackendUnavailableException("backend cuda is not available: "
                    + NativeLoader.error());
        }
    }
}

package dev.hungarian4j.pytorch;

import dev.hungarian4j.InvalidInputException;
import dev.hungarian4j.Targets;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;

import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * The ground truth of a batch for {@link TorchHungarianLoss}: B images, image {@code b} with {@code M_b >= 0} labels
 * in {@code [0, K)} and normalized {@code (cx, cy, w, h)} boxes. Either per-image tensors (labels {@code (M_b)} of
 * Int or Long, boxes {@code (M_b, 4)} of Float, contiguous, all on one device: the form DETR's {@code targets} list
 * has) or the library's {@link Targets}. Per-image counts come from the tensors' shapes, so building the CSR offsets
 * never reads device memory. Values (label range, finite boxes) are checked by the criterion's backend.
 */
public final class TorchTargets {
    private final int[] offsets;
    private final int maxCount;
    private final Targets arrays;
    private final Tensor[] labels;
    private final Tensor[] boxes;

    private TorchTargets(int[] offsets, Targets arrays, Tensor[] labels, Tensor[] boxes) {
        this.offsets = offsets;
        int max = 0;
        for (int b = 0; b + 1 < offsets.length; b++) {
            max = Math.max(max, offsets[b + 1] - offsets[b]);
        }
        this.maxCount = max;
        this.arrays = arrays;
        this.labels = labels;
        this.boxes = boxes;
    }

    /**
     * The library's CSR targets (host arrays, referenced, not copied).
     *
     * @param targets the targets, not null
     * @return the targets
     * @throws InvalidInputException naming {@code targets} when it is null
     */
    public static TorchTargets of(Targets targets) {
        if (targets == null) {
            throw new InvalidInputException("targets", "is null");
        }
        return new TorchTargets(targets.offsets().clone(), targets, null, null);
    }

    /**
     * Per-image tensors, as DETR's {@code targets[b]["labels"]} and {@code targets[b]["boxes"]}.
     *
     * @param labels one {@code (M_b)} tensor of Int or Long per image (B &gt;= 1), contiguous
     * @param boxes  one {@code (M_b, 4)} Float tensor per image, contiguous, on the labels' device
     * @return the targets (the tensors are referenced, read at each criterion call)
     * @throws InvalidInputException naming {@code targets.labels[b]} or {@code targets.boxes[b]} when a list, dtype,
     *                               shape, layout or device is wrong
     */
    public static TorchTargets of(List<Tensor> labels, List<Tensor> boxes) {
        if (labels == null || labels.isEmpty()) {
            throw new InvalidInputException("targets.labels", "must list one tensor per image (B >= 1); got "
                    + (labels == null ? "null" : "none"));
        }
        if (boxes == null || boxes.size() != labels.size()) {
            throw new InvalidInputException("targets.boxes", "must list one tensor per image (" + labels.size()
                    + "); got " + (boxes == null ? "null" : String.valueOf(boxes.size())));
        }
        int n = labels.size();
        int[] offsets = new int[n + 1];
        Tensor first = null;
        for (int b = 0; b < n; b++) {
            String ln = "targets.labels[" + b + "]";
            String bn = "targets.boxes[" + b + "]";
            Tensor l = labels.get(b);
            Tensor x = boxes.get(b);
            defined(ln, l);
            defined(bn, x);
            if (first == null) {
                first = l;
            }
            DecoderTensors.checkSameDevice(ln, l, first);
            DecoderTensors.checkSameDevice(bn, x, first);
            if (TensorOps.dtype(l) != org.bytedeco.pytorch.global.torch.ScalarType.Int
                    && TensorOps.dtype(l) != org.bytedeco.pytorch.global.torch.ScalarType.Long) {
                throw new InvalidInputException(ln, "has dtype " + TensorOps.dtype(l) + "; expected Int or Long");
            }
            if (TensorOps.dtype(x) != org.bytedeco.pytorch.global.torch.ScalarType.Float) {
                throw new InvalidInputException(bn, "has dtype " + TensorOps.dtype(x) + "; expected Float (float32)");
            }
            long[] ls = DecoderTensors.sizes(l);
            long[] bs = DecoderTensors.sizes(x);
            if (ls.length != 1) {
                throw new InvalidInputException(ln, "has shape " + Arrays.toString(ls) + "; expected (M_b)");
            }
            if (bs.length != 2 || bs[0] != ls[0] || bs[1] != 4) {
                throw new InvalidInputException(bn, "has shape " + Arrays.toString(bs) + "; expected [" + ls[0]
                        + ", 4]");
            }
            if (!l.is_contiguous() || !x.is_contiguous()) {
                throw new InvalidInputException(l.is_contiguous() ? bn : ln, "is not contiguous; pass .contiguous()");
            }
            long next = offsets[b] + ls[0];
            if (next > Integer.MAX_VALUE / 4) {
                throw new InvalidInputException(ln, "brings the batch to " + next + " targets; at most "
                        + Integer.MAX_VALUE / 4);
            }
            offsets[b + 1] = (int) next;
        }
        return new TorchTargets(offsets, null, labels.toArray(new Tensor[0]), boxes.toArray(new Tensor[0]));
    }

    private static void defined(String name, Tensor t) {
        if (t == null || t.isNull() || !t.defined()) {
            throw new InvalidInputException(name, "is null or undefined");
        }
        if (!t.is_cpu() && !t.is_cuda()) {
            throw new InvalidInputException(name, "is on device " + DecoderTensors.describe(t.device())
                    + "; expected the CPU or a CUDA device");
        }
    }

    /**
     * B.
     *
     * @return the number of images
     */
    public int batch() {
        return offsets.length - 1;
    }

    /**
     * T, the number of targets in the batch.
     *
     * @return {@code offsets[B]}
     */
    public int total() {
        return offsets[offsets.length - 1];
    }

    /** The CSR offsets (B+1), from the shapes. */
    int[] offsets() {
        return offsets;
    }

    /** The largest M_b (the bound promised to the device matcher). */
    int maxCount() {
        return maxCount;
    }

    /** Whether the targets are tensors on a CUDA device (then only a CUDA route reads them without a sync). */
    boolean onCuda() {
        return labels != null && labels[0].is_cuda();
    }

    /**
     * Copies the labels and boxes into host buffers (from position 0), for the native CPU backend.
     *
     * @throws InvalidInputException naming {@code targets.labels[b]} when the tensors are on a CUDA device or a Long
     *                               label does not fit an int
     */
    void stageHost(IntBuffer labelsOut, FloatBuffer boxesOut) {
        if (arrays != null) {
            labelsOut.put(0, arrays.labels(), 0, total());
            boxesOut.put(0, arrays.boxes(), 0, 4 * total());
            return;
        }
        if (onCuda()) {
            throw new InvalidInputException("targets.labels[0]", "is on device "
                    + DecoderTensors.describe(labels[0].device()) + "; the predictions are on cpu");
        }
        for (int b = 0; b < labels.length; b++) {
            int m = offsets[b + 1] - offsets[b];
            if (m == 0) {
                continue;
            }
            Tensor l = labels[b];
            if (TensorOps.dtype(l) == org.bytedeco.pytorch.global.torch.ScalarType.Int) {
                IntPointer p = new IntPointer(l.const_data_ptr()).capacity(m);
                for (int j = 0; j < m; j++) {
                    labelsOut.put(offsets[b] + j, p.get(j));
                }
            } else {
                LongPointer p = new LongPointer(l.const_data_ptr()).capacity(m);
                for (int j = 0; j < m; j++) {
                    long v = p.get(j);
                    if (v != (int) v) {
                        throw new InvalidInputException("targets.labels[" + b + "][" + j + "]", "is " + v
                                + "; must be in [0, K)");
                    }
                    labelsOut.put(offsets[b] + j, (int) v);
                }
            }
            FloatPointer x = new FloatPointer(boxes[b].const_data_ptr()).capacity(4L * m);
            for (int j = 0; j < 4 * m; j++) {
                boxesOut.put(4 * offsets[b] + j, x.get(j));
            }
        }
    }

    /**
     * The labels {@code (T)} Int and boxes {@code (T, 4)} Float as tensors on {@code device}: concatenated there when
     * the targets are tensors on it (no host synchronisation), else staged on the host and uploaded.
     *
     * @param device the predictions' device
     * @return {labels, boxes}
     * @throws InvalidInputException naming {@code targets.labels[0]} when the targets are on another CUDA device
     */
    Tensor[] onDevice(Device device, HostStaging staging) {
        if (labels != null && labels[0].is_cuda()) {
            Device d = labels[0].device();
            if (!DecoderTensors.sameDevice(d, device)) {
                throw new InvalidInputException("targets.labels[0]", "is on device " + DecoderTensors.describe(d)
                        + "; the predictions are on " + DecoderTensors.describe(device));
            }
            return new Tensor[] {TensorOps.concatenate(labels, TensorOps.INT, device),
                    TensorOps.concatenate(boxes, TensorOps.FLOAT, device)};
        }
        staging.fitTargets(batch(), total());
        stageHost(staging.labels, staging.boxes);
        return new Tensor[] {TensorOps.upload(staging.labels, total(), new long[] {total()}, device),
                TensorOps.upload(staging.boxes, 4 * total(), new long[] {total(), 4}, device)};
    }
}

package dev.hungarian4j.pytorch;

import dev.hungarian4j.InvalidInputException;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

import java.util.Arrays;
import java.util.List;

/**
 * The predictions of one step as the adapter reads them: L decoder layers of B images, Q queries and C logits, as two
 * contiguous float32 tensors on one device that hold the layers one after the other (layer 0 first, the final layer
 * last), so that the criterion reads them in place. Every check names the argument; nothing here reads tensor data.
 */
final class DecoderTensors {
    final int layers;
    final int batch;
    final int queries;
    final int numLogits;
    /** {@code (L,B,Q,C)}, or {@code (B,Q,C)} when one layer was given. */
    final Tensor logits;
    /** {@code (L,B,Q,4)}, or {@code (B,Q,4)} when one layer was given. */
    final Tensor boxes;
    /** True when {@link #logits} and {@link #boxes} were stacked here from a per-layer list (a copy we own). */
    final boolean stacked;

    private DecoderTensors(int layers, long[] one, Tensor logits, Tensor boxes, boolean stacked) {
        this.layers = layers;
        this.batch = Math.toIntExact(one[0]);
        this.queries = Math.toIntExact(one[1]);
        this.numLogits = Math.toIntExact(one[2]);
        this.logits = logits;
        this.boxes = boxes;
        this.stacked = stacked;
    }

    /**
     * One layer {@code (B,Q,C)}/{@code (B,Q,4)}, or a stacked decoder output {@code (L,B,Q,C)}/{@code (L,B,Q,4)}.
     *
     * @param logits    the logits
     * @param boxes     the boxes
     * @param minLogits the least C: 2 with a softmax head (K+1), 1 with a focal head (K)
     * @return the layers, read in place
     * @throws InvalidInputException naming {@code pred_logits} or {@code pred_boxes}
     */
    static DecoderTensors read(Tensor logits, Tensor boxes, int minLogits) {
        checkTensor("pred_logits", logits);
        checkTensor("pred_boxes", boxes);
        checkSameDevice("pred_boxes", boxes, logits);
        long[] ls = sizes(logits);
        long[] bs = sizes(boxes);
        if (ls.length == 4) {
            if (ls[0] < 1) {
                throw new InvalidInputException("pred_logits", "has shape " + Arrays.toString(ls)
                        + "; stacked layers need L >= 1");
            }
            if (bs.length != 4 || bs[0] != ls[0]) {
                throw new InvalidInputException("pred_boxes", "has shape " + Arrays.toString(bs) + "; stacked logits "
                        + Arrays.toString(ls) + " need stacked boxes [" + ls[0] + ", " + ls[1] + ", " + ls[2] + ", 4]");
            }
            long[] one = Arrays.copyOfRange(ls, 1, 4);
            checkPair("pred_logits", "pred_boxes", one, Arrays.copyOfRange(bs, 1, 4), minLogits);
            checkRows(ls[0], one);
            return new DecoderTensors(Math.toIntExact(ls[0]), one, logits, boxes, false);
        }
        checkPair("pred_logits", "pred_boxes", ls, bs, minLogits);
        checkRows(1, ls);
        return new DecoderTensors(1, ls, logits, boxes, false);
    }

    /**
     * A per-layer list, earliest decoder layer first and the final layer last, every layer {@code (B,Q,·)}; stacked
     * here into {@code (L,B,Q,·)} (one copy, through autograd).
     *
     * @param logits    L &gt;= 1 logits tensors
     * @param boxes     L boxes tensors
     * @param minLogits the least C
     * @return the layers
     * @throws InvalidInputException naming {@code pred_logits[l]} or {@code pred_boxes[l]}
     */
    static DecoderTensors read(List<Tensor> logits, List<Tensor> boxes, int minLogits) {
        if (logits == null || logits.isEmpty()) {
            throw new InvalidInputException("pred_logits", "must list L >= 1 layers; got "
                    + (logits == null ? "null" : "none"));
        }
        if (boxes == null || boxes.size() != logits.size()) {
            throw new InvalidInputException("pred_boxes", "must list one tensor per layer (" + logits.size() + "); got "
                    + (boxes == null ? "null" : String.valueOf(boxes.size())));
        }
        long[] first = null;
        Tensor device = null;
        for (int l = 0; l < logits.size(); l++) {
            String ln = "pred_logits[" + l + "]";
            String bn = "pred_boxes[" + l + "]";
            checkTensor(ln, logits.get(l));
            checkTensor(bn, boxes.get(l));
            if (device == null) {
                device = logits.get(l);
            }
            checkSameDevice(ln, logits.get(l), device);
            checkSameDevice(bn, boxes.get(l), device);
            long[] ls = sizes(logits.get(l));
            checkPair(ln, bn, ls, sizes(boxes.get(l)), minLogits);
            if (first == null) {
                first = ls;
            } else if (!Arrays.equals(first, ls)) {
                throw new InvalidInputException(ln, "has shape " + Arrays.toString(ls) + "; every layer has layer 0's "
                        + "shape " + Arrays.toString(first));
            }
        }
        checkRows(logits.size(), first);
        if (logits.size() == 1) {
            return new DecoderTensors(1, first, logits.get(0), boxes.get(0), false);
        }
        try (TensorVector lv = new TensorVector(logits.toArray(new Tensor[0]));
                TensorVector bv = new TensorVector(boxes.toArray(new Tensor[0]))) {
            return new DecoderTensors(logits.size(), first, torch.stack(lv), torch.stack(bv), true);
        }
    }

    /** The device of the predictions. */
    Device device() {
        return logits.device();
    }

    /** A defined, contiguous float32 tensor on the CPU or a CUDA device. */
    static void checkTensor(String name, Tensor t) {
        if (t == null || t.isNull() || !t.defined()) {
            throw new InvalidInputException(name, "is null or undefined");
        }
        if (TensorOps.dtype(t) != torch.ScalarType.Float) {
            throw new InvalidInputException(name, "has dtype " + TensorOps.dtype(t) + "; expected Float (float32)");
        }
        if (!t.is_cpu() && !t.is_cuda()) {
            throw new InvalidInputException(name, "is on device " + describe(t.device())
                    + "; expected the CPU or a CUDA device");
        }
        if (!t.is_contiguous()) {
            throw new InvalidInputException(name, "is not contiguous (strides of a view); pass .contiguous()");
        }
    }

    /** {@code t} on the same device as {@code reference}. */
    static void checkSameDevice(String name, Tensor t, Tensor reference) {
        Device d = t.device();
        Device r = reference.device();
        if (!sameDevice(d, r)) {
            throw new InvalidInputException(name, "is on device " + describe(d) + "; the predictions are on "
                    + describe(r));
        }
    }

    /** The same device: compared by libtorch's own name of it ({@code cpu}, {@code cuda:0}, ...). */
    static boolean sameDevice(Device a, Device b) {
        return describe(a).equals(describe(b));
    }

    static String describe(Device d) {
        return d.str().getString();
    }

    static long[] sizes(Tensor t) {
        long n = t.dim();
        long[] s = new long[(int) n];
        for (int i = 0; i < n; i++) {
            s[i] = t.size(i);
        }
        return s;
    }

    private static void checkPair(String logitsName, String boxesName, long[] ls, long[] bs, int minLogits) {
        if (ls.length != 3 || ls[2] < minLogits || ls[0] < 1 || ls[1] < 1) {
            throw new InvalidInputException(logitsName, "has shape " + Arrays.toString(ls)
                    + "; expected (B, Q, C) or stacked (L, B, Q, C) with C >= " + minLogits
                    + (minLogits == 2 ? " (K+1 with the no-object class last)" : " (K, focal)"));
        }
        if (bs.length != 3 || bs[0] != ls[0] || bs[1] != ls[1] || bs[2] != 4) {
            throw new InvalidInputException(boxesName, "has shape " + Arrays.toString(bs) + "; expected [" + ls[0]
                    + ", " + ls[1] + ", 4]");
        }
    }

    private static void checkRows(long layers, long[] one) {
        if (one[0] > Integer.MAX_VALUE || one[2] > Integer.MAX_VALUE || layers * one[0] * one[1] > Integer.MAX_VALUE) {
            throw new InvalidInputException("pred_logits", "has L*B*Q = " + layers * one[0] * one[1]
                    + " predictions; at most " + Integer.MAX_VALUE + " (32-bit assignment indices)");
        }
    }
}

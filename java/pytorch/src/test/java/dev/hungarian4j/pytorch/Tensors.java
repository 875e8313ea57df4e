package dev.hungarian4j.pytorch;

import dev.hungarian4j.Batch;
import dev.hungarian4j.Predictions;
import dev.hungarian4j.Targets;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

import java.util.ArrayList;
import java.util.List;

/** Library batches turned into libtorch tensors (copies), and tensors read back, for the tests. */
final class Tensors {
    private Tensors() {
    }

    static Tensor floats(float[] data, long... shape) {
        Tensor t = torch.empty(shape, new TensorOptions(torch.ScalarType.Float), null);
        if (data.length == 0) {
            return t; // no memory to write (a null data pointer)
        }
        try (Pointer p = t.mutable_data_ptr()) {
            new FloatPointer(p).capacity(data.length).put(data);
        }
        return t;
    }

    static Tensor leaf(float[] data, long... shape) {
        Tensor t = floats(data, shape);
        t.requires_grad_(true);
        return t;
    }

    static float[] read(Tensor t) {
        try (Tensor c = t.contiguous(); Pointer p = c.const_data_ptr()) {
            float[] out = new float[(int) c.numel()];
            new FloatPointer(p).capacity(out.length).get(out);
            return out;
        }
    }

    /** Layer {@code l} in decoder order (0 = earliest aux layer, L-1 = final) of a library batch (0 = top). */
    static Predictions decoderLayer(Batch b, int l) {
        return l == b.layers() - 1 ? b.layer(0) : b.layer(l + 1);
    }

    /** Every layer as a leaf (B,Q,C)/(B,Q,4) pair, in decoder order. */
    static List<Tensor[]> leaves(Batch b) {
        List<Tensor[]> out = new ArrayList<>();
        for (int l = 0; l < b.layers(); l++) {
            Predictions p = decoderLayer(b, l);
            out.add(new Tensor[] {leaf(p.logits(), b.batch(), b.queries(), b.numLogits()),
                    leaf(p.boxes(), b.batch(), b.queries(), 4)});
        }
        return out;
    }

    /** DETR's per-image target tensors: Long labels (M_b), Float boxes (M_b, 4). */
    static TorchTargets tensorTargets(Targets t) {
        List<Tensor> labels = new ArrayList<>();
        List<Tensor> boxes = new ArrayList<>();
        for (int b = 0; b < t.batch(); b++) {
            int m = t.count(b);
            Tensor l = torch.empty(new long[] {m}, new TensorOptions(torch.ScalarType.Long), null);
            if (m > 0) {
                try (Pointer p = l.mutable_data_ptr()) {
                    LongPointer lp = new LongPointer(p).capacity(m);
                    for (int j = 0; j < m; j++) {
                        lp.put(j, t.labels()[t.offsets()[b] + j]);
                    }
                }
            }
            float[] x = java.util.Arrays.copyOfRange(t.boxes(), 4 * t.offsets()[b], 4 * t.offsets()[b + 1]);
            labels.add(l);
            boxes.add(floats(x, m, 4));
        }
        return TorchTargets.of(labels, boxes);
    }
}

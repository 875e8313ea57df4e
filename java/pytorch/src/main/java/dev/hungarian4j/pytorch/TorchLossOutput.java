package dev.hungarian4j.pytorch;

import dev.hungarian4j.LossTerms;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

import java.util.Arrays;
import java.util.List;

/**
 * One step's criterion on libtorch tensors: the loss tensor wired into autograd, the gradients the criterion wrote,
 * and every layer's terms and matching. Layers are in decoder order (the final layer last); the "aux" layers are all
 * but the final one (contract.md §3).
 *
 * <p>On a CUDA device, {@link #loss()} and the gradients are device tensors and nothing has waited for the device;
 * the first call of {@link #terms()}, {@link #layerTerms()} or an assignment copies the terms and matchings to the
 * host (one synchronisation of libtorch's current stream). Ask before the step's {@code PointerScope} closes: the
 * device tensors that hold them belong to it.
 *
 * <p>The gradient tensors belong to the criterion and are reused by a later call once nothing else holds them (after
 * the step's backward pass or when its graph is gone): {@code clone()} them to keep them.
 */
public final class TorchLossOutput {
    private final Tensor loss;
    private final Tensor logits;
    private final Tensor boxes;
    private final Tensor gradLogits;
    private final Tensor gradBoxes;
    private final int layers;
    private final int rows;
    private final String backend;
    private Tensor deviceTerms;
    private Tensor deviceAssign;
    private LossTerms[] terms;
    private int[] assignment;

    private TorchLossOutput(Tensor loss, DecoderTensors p, Tensor[] g, String backend) {
        this.loss = loss;
        this.logits = p.logits;
        this.boxes = p.boxes;
        this.gradLogits = g[0];
        this.gradBoxes = g[1];
        this.layers = p.layers;
        this.rows = p.batch * p.queries;
        this.backend = backend;
    }

    static TorchLossOutput onHost(Tensor loss, DecoderTensors p, Tensor[] g, LossTerms[] terms, int[] assignment) {
        TorchLossOutput o = new TorchLossOutput(loss, p, g, "native");
        o.terms = terms;
        o.assignment = assignment;
        return o;
    }

    static TorchLossOutput onDevice(Tensor loss, DecoderTensors p, Tensor[] g, Tensor terms, Tensor assign,
            String backend) {
        TorchLossOutput o = new TorchLossOutput(loss, p, g, backend);
        o.deviceTerms = terms;
        o.deviceAssign = assign;
        return o;
    }

    /**
     * The loss: a 0-dim float tensor whose value is the sum of every layer's total and whose backward pass hands
     * exactly {@link #gradLogits()} and {@link #gradBoxes()} to the predictions (when they require gradients).
     *
     * @return the loss tensor, on the predictions' device
     */
    public Tensor loss() {
        return loss;
    }

    /**
     * Back-propagates the criterion's gradients into the predictions' graph directly ({@code torch::autograd::backward}
     * with the gradients as the outputs' gradients), without the loss tensor; the same result as
     * {@code loss().backward()}.
     */
    public void backward() {
        try (TensorVector outputs = new TensorVector(logits, boxes);
                TensorVector grads = new TensorVector(gradLogits, gradBoxes);
                BoolOptional retain = new BoolOptional(false); TensorVector inputs = new TensorVector()) {
            torch.backward(outputs, grads, retain, false, inputs);
        }
    }

    /**
     * {@code d total_all_layers / d pred_logits}, shaped like the logits given (stacked {@code (L,B,Q,C)} when the
     * layers came as a list). Owned by the criterion (see the class comment).
     *
     * @return the gradient tensor
     */
    public Tensor gradLogits() {
        return gradLogits;
    }

    /**
     * {@code d total_all_layers / d pred_boxes}, shaped like the boxes given. Owned by the criterion.
     *
     * @return the gradient tensor
     */
    public Tensor gradBoxes() {
        return gradBoxes;
    }

    /**
     * The number of decoder layers that were matched.
     *
     * @return L &gt;= 1
     */
    public int layers() {
        return layers;
    }

    /**
     * The final layer's terms (ce, bbox, giou, total).
     *
     * @return the terms
     */
    public LossTerms terms() {
        return layerTerms().get(layers - 1);
    }

    /**
     * The aux layers' terms, earliest decoder layer first; empty with one layer.
     *
     * @return the terms of layers {@code 0 .. L-2}
     */
    public List<LossTerms> auxTerms() {
        return layerTerms().subList(0, layers - 1);
    }

    /**
     * Every layer's terms, layer 0 first and the final layer last.
     *
     * @return L terms
     */
    public List<LossTerms> layerTerms() {
        copyToHost();
        return List.of(terms);
    }

    /**
     * The final layer's total plus every aux total, in double (the loss tensor holds it rounded to float).
     *
     * @return {@code total_all_layers}
     */
    public double totalAllLayers() {
        copyToHost();
        return sumTotals(terms);
    }

    /**
     * Every layer's total summed in the library's order ({@link dev.hungarian4j.LossResult#totalAllLayers()}: the
     * final layer first, then the aux layers earliest first), so that the double is the library's bit for bit; in
     * the stack's order (final layer last) it differed in the last bit for some batches.
     *
     * @param layerTerms L terms in the stack's order, the final layer last
     * @return {@code total_all_layers}
     */
    static double sumTotals(LossTerms[] layerTerms) {
        int last = layerTerms.length - 1;
        double t = layerTerms[last].total();
        for (int l = 0; l < last; l++) {
            t += layerTerms[l].total();
        }
        return t;
    }

    /**
     * The final layer's matching: at {@code b*Q+q} the target index (within image {@code b}) matched to query {@code q},
     * or -1.
     *
     * @return B*Q entries (a copy)
     */
    public int[] assignment() {
        return layerAssignment(layers - 1);
    }

    /**
     * Layer {@code l}'s matching, in the layout of {@link #assignment()}.
     *
     * @param l the layer, 0 &lt;= l &lt; L (the final layer is L-1)
     * @return B*Q entries (a copy)
     * @throws IndexOutOfBoundsException when {@code l} is out of range
     */
    public int[] layerAssignment(int l) {
        if (l < 0 || l >= layers) {
            throw new IndexOutOfBoundsException("layer " + l + " of " + layers);
        }
        copyToHost();
        return Arrays.copyOfRange(assignment, l * rows, (l + 1) * rows);
    }

    /**
     * The backend that computed the criterion.
     *
     * @return {@code native} (CPU tensors) or {@code cuda}
     */
    public String backend() {
        return backend;
    }

    /** The device results, copied to the host once (waits for the device). */
    private synchronized void copyToHost() {
        if (terms != null) {
            return;
        }
        try (Tensor t = deviceTerms.cpu(); Tensor a = deviceAssign.cpu(); Pointer tp = t.const_data_ptr();
                Pointer ap = a.const_data_ptr()) {
            DoublePointer d = new DoublePointer(tp).capacity(5L * layers);
            LossTerms[] out = new LossTerms[layers];
            for (int l = 0; l < layers; l++) {
                out[l] = new LossTerms(d.get(5L * l), d.get(5L * l + 1), d.get(5L * l + 2), d.get(5L * l + 3));
            }
            int[] as = new int[layers * rows];
            new IntPointer(ap).capacity(as.length).get(as);
            assignment = as;
            terms = out;
        }
        deviceTerms.close();
        deviceAssign.close();
    }

    @Override
    public String toString() {
        return "TorchLossOutput{layers=" + layers + ", backend=" + backend + "}";
    }
}

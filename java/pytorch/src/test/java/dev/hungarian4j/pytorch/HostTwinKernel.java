package dev.hungarian4j.pytorch;

import dev.hungarian4j.HungarianConfig;
import dev.hungarian4j.LossTerms;
import dev.hungarian4j.natives.BufferBatch;
import dev.hungarian4j.natives.BufferOutputs;
import dev.hungarian4j.natives.NativeBufferLoss;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * The CPU twin of {@link CudaLayerKernel}: the same {@link LayerCall} (addresses of one layer's slices), read as host
 * memory by the native CPU backend, results written where the CUDA kernel writes them (terms as 5 doubles). With it,
 * {@link DeviceRoute} runs on CPU tensors: everything of the CUDA route but the launch.
 */
final class HostTwinKernel implements LayerKernel {
    private final NativeBufferLoss loss;
    int calls;

    HostTwinKernel(HungarianConfig config) {
        this.loss = new NativeBufferLoss(config);
    }

    @Override
    public void forward(LayerCall c, Pointer stream) {
        calls++;
        long rows = (long) c.batch * c.queries;
        IntPointer offsets = new IntPointer(TensorOps.at(c.offsets)).capacity(c.batch + 1);
        int t = offsets.get(c.batch);
        BufferBatch in = new BufferBatch(c.batch, c.queries, c.numLogits)
                .predictions(floats(c.logits, rows * c.numLogits), floats(c.boxes, rows * 4))
                .targets(offsets, new IntPointer(TensorOps.at(c.labels)).capacity(t), floats(c.targetBoxes, 4L * t));
        BufferOutputs out = new BufferOutputs().assignment(new IntPointer(TensorOps.at(c.assign)).capacity(rows))
                .gradients(floats(c.gradLogits, rows * c.numLogits), floats(c.gradBoxes, rows * 4));
        LossTerms terms = loss.forward(in, out);
        DoublePointer d = new DoublePointer(TensorOps.at(c.terms)).capacity(5);
        d.put(0, terms.ce()).put(1, terms.bbox()).put(2, terms.giou()).put(3, terms.total());
    }

    private static FloatPointer floats(long address, long n) {
        return new FloatPointer(TensorOps.at(address)).capacity(n);
    }

    @Override
    public String backend() {
        return "cpu-twin";
    }
}

package dev.hungarian4j.pytorch;

import dev.hungarian4j.HungarianConfig;
import dev.hungarian4j.LossTerms;
import dev.hungarian4j.natives.BufferBatch;
import dev.hungarian4j.natives.BufferOutputs;
import dev.hungarian4j.natives.NativeLayeredBufferLoss;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * The CPU twin of {@link CudaLayerKernel}: the same {@link LayerCall} (addresses of the L stacked layers), read as
 * host memory by the native CPU backend in one layered call as the CUDA kernel's one {@code forwardLayers}, results
 * written where the CUDA kernel writes them (terms as 5 doubles per layer). With it, {@link DeviceRoute} runs on CPU
 * tensors: everything of the CUDA route but the launch. It records its calls and the stream each was given.
 */
final class HostTwinKernel implements LayerKernel {
    private final NativeLayeredBufferLoss loss;
    int calls;
    int lastLayers;
    Pointer lastStream;

    HostTwinKernel(HungarianConfig config) {
        this.loss = new NativeLayeredBufferLoss(config);
    }

    @Override
    public void forward(LayerCall c, Pointer stream) {
        calls++;
        lastLayers = c.layers;
        lastStream = stream;
        long rows = (long) c.layers * c.batch * c.queries;
        IntPointer offsets = new IntPointer(TensorOps.at(c.offsets)).capacity(c.batch + 1);
        int t = offsets.get(c.batch);
        BufferBatch in = new BufferBatch(c.batch, c.queries, c.numLogits)
                .predictions(floats(c.logits, rows * c.numLogits), floats(c.boxes, rows * 4))
                .targets(offsets, new IntPointer(TensorOps.at(c.labels)).capacity(t), floats(c.targetBoxes, 4L * t));
        BufferOutputs out = new BufferOutputs().assignment(new IntPointer(TensorOps.at(c.assign)).capacity(rows))
                .gradients(floats(c.gradLogits, rows * c.numLogits), floats(c.gradBoxes, rows * 4));
        LossTerms[] terms = loss.forward(c.layers, in, out);
        DoublePointer d = new DoublePointer(TensorOps.at(c.terms)).capacity(5L * c.layers);
        for (int l = 0; l < c.layers; l++) {
            d.put(5L * l, terms[l].ce()).put(5L * l + 1, terms[l].bbox()).put(5L * l + 2, terms[l].giou())
                    .put(5L * l + 3, terms[l].total());
        }
    }

    private static FloatPointer floats(long address, long n) {
        return new FloatPointer(TensorOps.at(address)).capacity(n);
    }

    @Override
    public String backend() {
        return "cpu-twin";
    }
}

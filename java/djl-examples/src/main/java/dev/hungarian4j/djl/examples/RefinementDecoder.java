package dev.hungarian4j.djl.examples;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.ArrayList;
import java.util.List;

/**
 * The decoder of {@link SetPredictionModel}: L residual layers over the query features, each followed by the SAME
 * prediction head, as DETR's decoder layers share their class and box heads. Every layer's head output is returned
 * (earliest layer first, the final layer last), so that each layer can be matched and trained (DETR's auxiliary
 * decoding losses). Features {@code (B, F, g, g)} to L maps {@code (B, outputs, g, g)}.
 */
final class RefinementDecoder extends AbstractBlock {
    private final List<Block> layers = new ArrayList<>();
    private final Block head;
    private final int outputs;

    /**
     * Creates the decoder.
     *
     * @param numLayers L &gt;= 1
     * @param features  F, the channels of the features (kept by every layer)
     * @param outputs   the channels of the head's output
     */
    RefinementDecoder(int numLayers, int features, int outputs) {
        for (int l = 0; l < numLayers; l++) {
            layers.add(addChildBlock("layer" + l, conv(features)));
        }
        this.head = addChildBlock("head", conv(outputs));
        this.outputs = outputs;
    }

    private static Block conv(int filters) {
        return Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(filters).build();
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray h = inputs.singletonOrThrow();
        NDList out = new NDList(layers.size());
        for (Block layer : layers) {
            h = h.add(Activation.relu(layer.forward(store, new NDList(h), training).singletonOrThrow()));
            out.add(head.forward(store, new NDList(h), training).singletonOrThrow());
        }
        return out;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (Block layer : layers) {
            layer.initialize(manager, dataType, inputShapes);
        }
        head.initialize(manager, dataType, inputShapes);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        Shape[] out = new Shape[layers.size()];
        for (int l = 0; l < out.length; l++) {
            out[l] = new Shape(in.get(0), outputs, in.get(2), in.get(3));
        }
        return out;
    }
}

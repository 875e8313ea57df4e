package dev.hungarian4j.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;

/** A test model: features (B, F) to DETR's outputs, logits (B, Q, K+1) and sigmoid boxes (B, Q, 4). */
final class TinyDetrHead {
    private TinyDetrHead() {
    }

    static Block create(int queries, int numLogits) {
        int c = numLogits + 4;
        return new SequentialBlock()
                .add(Linear.builder().setUnits(16).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits((long) queries * c).build())
                .add(new LambdaBlock(list -> {
                    NDArray x = list.singletonOrThrow();
                    NDArray y = x.reshape(new Shape(x.getShape().get(0), queries, c));
                    return new NDList(y.get(":, :, :" + numLogits),
                            Activation.sigmoid(y.get(":, :, " + numLogits + ":")));
                }));
    }
}

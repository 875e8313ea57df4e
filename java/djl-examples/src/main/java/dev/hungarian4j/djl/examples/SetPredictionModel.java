package dev.hungarian4j.djl.examples;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;

/**
 * A small DETR-style set predictor: a three-stage convolutional backbone, then a query head with Q output slots
 * (the object queries), each decoding K+1 class logits and a sigmoid box {@code (cx, cy, w, h)} from the image
 * features. Outputs are DETR's: logits {@code (B, Q, K+1)} and boxes {@code (B, Q, 4)}.
 */
final class SetPredictionModel {
    private SetPredictionModel() {
    }

    static Block create(int queries, int classes, int hidden) {
        int numLogits = classes + 1;
        int per = numLogits + 4;
        SequentialBlock backbone = new SequentialBlock();
        for (int channels : new int[] {32, 64, 64}) {
            backbone.add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1))
                    .setFilters(channels).build())
                    .add(Activation::relu)
                    .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
        }
        return new SequentialBlock()
                .add(backbone)
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(hidden).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(hidden).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits((long) queries * per).build())
                .add(new LambdaBlock(list -> {
                    NDArray x = list.singletonOrThrow();
                    NDArray y = x.reshape(new Shape(x.getShape().get(0), queries, per));
                    return new NDList(y.get(":, :, :" + numLogits),
                            Activation.sigmoid(y.get(":, :, " + numLogits + ":")));
                }));
    }
}

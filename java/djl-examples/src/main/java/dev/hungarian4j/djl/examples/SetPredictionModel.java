package dev.hungarian4j.djl.examples;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;

/**
 * A small DETR-style set predictor with anchor-point queries (as in Anchor DETR): a convolutional backbone
 * reduces the image to a {@code g x g} feature map, and each of its {@code Q = g*g} cells is an object query that
 * decodes K+1 class logits and a box. A query's box centre is its anchor point plus a learned offset that can
 * reach the whole image ({@code 0.5·tanh}); width and height are sigmoids. Which query answers for which object is
 * left to the Hungarian matching, as in DETR. A {@link RefinementDecoder} of {@link #LAYERS} residual layers with a
 * shared head decodes the queries once per layer, as DETR's decoder layers do, so each layer can be trained with
 * its own (auxiliary) Hungarian loss. Outputs: every layer's logits stacked {@code (L, B, Q, K+1)} and boxes
 * {@code (L, B, Q, 4)} as normalized {@code (cx, cy, w, h)}, the final layer last (the stacked form that
 * {@code HungarianDetrLoss} reads in place).
 */
final class SetPredictionModel {
    /** Decoder layers: the final one and two auxiliary ones. */
    static final int LAYERS = 3;

    private SetPredictionModel() {
    }

    /**
     * The model for {@code imageSize x imageSize} RGB images.
     *
     * @param imageSize the image side, a multiple of 8; the query grid is {@code imageSize / 8} on a side
     * @param classes   K
     * @return the block: images {@code (B, 3, S, S)} to {@code NDList(logits (L, B, Q, K+1), boxes (L, B, Q, 4))}
     */
    static Block create(int imageSize, int classes) {
        int grid = imageSize / 8;
        int numLogits = classes + 1;
        SequentialBlock net = new SequentialBlock();
        for (int channels : new int[] {16, 32, 64}) {
            net.add(conv(channels, 3)).add(Activation::relu).add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
        }
        net.add(conv(64, 3)).add(Activation::relu).add(new RefinementDecoder(LAYERS, 64, numLogits + 4));
        net.add(new LambdaBlock(maps -> {
            NDList logits = new NDList(maps.size());
            NDList boxes = new NDList(maps.size());
            for (NDArray map : maps) {
                NDList d = decode(map, grid, numLogits);
                logits.add(d.get(0));
                boxes.add(d.get(1));
            }
            return new NDList(NDArrays.stack(logits, 0), NDArrays.stack(boxes, 0));
        }));
        return net;
    }

    static int queries(int imageSize) {
        return (imageSize / 8) * (imageSize / 8);
    }

    private static Block conv(int filters, int kernel) {
        return Conv2d.builder().setKernelShape(new Shape(kernel, kernel)).optPadding(new Shape(kernel / 2, kernel / 2))
                .setFilters(filters).build();
    }

    private static NDList decode(NDArray map, int grid, int numLogits) {
        long b = map.getShape().get(0);
        // (B, C, g, g) -> (B, g*g, C): query q = row*g + col
        NDArray x = map.reshape(b, numLogits + 4, (long) grid * grid).transpose(0, 2, 1);
        NDArray logits = x.get(":, :, :" + numLogits);
        NDArray anchors = anchorPoints(map.getManager(), grid);
        NDArray centre = x.get(":, :, " + numLogits + ":" + (numLogits + 2)).tanh().mul(0.5f).add(anchors);
        NDArray size = Activation.sigmoid(x.get(":, :, " + (numLogits + 2) + ":"));
        return new NDList(logits, centre.concat(size, 2));
    }

    /** The cell centres {@code (Q, 2)} as normalized {@code (x, y)}. */
    private static NDArray anchorPoints(NDManager m, int grid) {
        float[] a = new float[grid * grid * 2];
        for (int r = 0; r < grid; r++) {
            for (int c = 0; c < grid; c++) {
                a[2 * (r * grid + c)] = (c + 0.5f) / grid;
                a[2 * (r * grid + c) + 1] = (r + 0.5f) / grid;
            }
        }
        return m.create(a, new Shape(grid * grid, 2));
    }
}

package dev.hungarian4j;

import java.util.SplittableRandom;

/**
 * Seeded DETR-like batches for demos, benchmarks and tests: logits around a few confident classes, boxes
 * inside the unit square, and some predictions placed near targets as a trained decoder would. The same
 * arguments always give the same batch.
 */
public final class SyntheticBatch {
    private SyntheticBatch() {
    }

    /**
     * A batch with the same number of targets in every image.
     *
     * @param seed            the random seed
     * @param batch           B &gt;= 1 images
     * @param queries         Q &gt;= 1
     * @param classes         K &gt;= 1 real classes (logits have K+1 entries)
     * @param targetsPerImage M &gt;= 0 targets in every image
     * @return a new, validated batch whose arrays belong to it alone
     */
    public static Batch generate(long seed, int batch, int queries, int classes, int targetsPerImage) {
        int[] m = new int[batch];
        java.util.Arrays.fill(m, targetsPerImage);
        return generate(seed, queries, classes, m);
    }

    /**
     * A batch with a given number of targets per image.
     *
     * @param seed         the random seed
     * @param queries      Q &gt;= 1
     * @param classes      K &gt;= 1 real classes (logits have K+1 entries)
     * @param targetCounts {@code M_b} &gt;= 0 per image; B is its length (&gt;= 1); not kept
     * @return a new, validated batch whose arrays belong to it alone
     */
    public static Batch generate(long seed, int queries, int classes, int[] targetCounts) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int batch = targetCounts.length;
        int c = classes + 1;
        int[] offsets = new int[batch + 1];
        for (int b = 0; b < batch; b++) {
            offsets[b + 1] = offsets[b] + targetCounts[b];
        }
        int total = offsets[batch];
        int[] labels = new int[total];
        float[] tboxes = new float[4 * total];
        for (int t = 0; t < total; t++) {
            labels[t] = rnd.nextInt(classes);
            randomBox(rnd, tboxes, 4 * t);
        }
        float[] logits = new float[batch * queries * c];
        float[] boxes = new float[batch * queries * 4];
        for (int b = 0; b < batch; b++) {
            for (int q = 0; q < queries; q++) {
                int row = b * queries + q;
                for (int k = 0; k < c; k++) {
                    logits[row * c + k] = (float) (rnd.nextDouble() * 2 - 1);
                }
                int m = targetCounts[b];
                if (m > 0 && rnd.nextDouble() < 0.3) {
                    // a query that found an object: near its box, confident in its class
                    int t = offsets[b] + rnd.nextInt(m);
                    for (int i = 0; i < 4; i++) {
                        float v = tboxes[4 * t + i] + (float) ((rnd.nextDouble() - 0.5) * 0.05);
                        boxes[row * 4 + i] = i >= 2 ? Math.max(0.01f, v) : v;
                    }
                    logits[row * c + labels[t]] += 4f;
                } else {
                    randomBox(rnd, boxes, row * 4);
                    logits[row * c + classes] += 3f; // mostly "no object"
                }
            }
        }
        return new Batch(new Predictions(batch, queries, c, logits, boxes), new Targets(offsets, labels, tboxes));
    }

    /**
     * A DETR-family batch (contract.md §3): {@link #generate(long, int, int, int[])}'s top layer plus
     * {@code layers - 1} aux layers that are perturbed copies of it (as decoder layers refine each other), with
     * sigmoid logits ({@code K} per query, centred below 0 as focal heads are) when {@code lossClass} is focal.
     *
     * @param seed         the random seed
     * @param queries      Q &gt;= 1
     * @param classes      K &gt;= 1 real classes
     * @param targetCounts {@code M_b} &gt;= 0 per image; B is its length (&gt;= 1); not kept
     * @param layers       L &gt;= 1 decoder layers (the top one included)
     * @param lossClass    the classification head, not null
     * @return a new, validated batch whose arrays belong to it alone
     */
    public static Batch generate(long seed, int queries, int classes, int[] targetCounts, int layers,
            LossClass lossClass) {
        Batch base = generate(seed, queries, classes, targetCounts);
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x5DEECE66DL);
        Predictions p = base.predictions();
        int rows = p.batch() * queries;
        boolean focal = lossClass == LossClass.FOCAL;
        int c = focal ? classes : classes + 1;
        float[] topLogits = new float[rows * c];
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < c; k++) {
                // focal heads start near -4.6 (prior 0.01): shift the softmax-style logits down
                topLogits[r * c + k] = p.logits()[r * (classes + 1) + k] + (focal ? -4.6f : 0f);
            }
        }
        Predictions top = new Predictions(p.batch(), queries, c, topLogits, p.boxes(), lossClass);
        java.util.List<Predictions> aux = new java.util.ArrayList<>();
        for (int l = 1; l < layers; l++) {
            float[] lg = topLogits.clone();
            float[] bx = p.boxes().clone();
            for (int i = 0; i < lg.length; i++) {
                lg[i] += (float) ((rnd.nextDouble() - 0.5) * 0.6);
            }
            for (int i = 0; i < bx.length; i++) {
                float v = bx[i] + (float) ((rnd.nextDouble() - 0.5) * 0.04);
                bx[i] = i % 4 >= 2 ? Math.max(0.005f, v) : v;
            }
            aux.add(new Predictions(p.batch(), queries, c, lg, bx, lossClass));
        }
        return new Batch(top, base.targets(), aux);
    }

    private static void randomBox(SplittableRandom rnd, float[] out, int at) {
        out[at] = (float) (0.1 + 0.8 * rnd.nextDouble());
        out[at + 1] = (float) (0.1 + 0.8 * rnd.nextDouble());
        out[at + 2] = (float) (0.02 + 0.4 * rnd.nextDouble());
        out[at + 3] = (float) (0.02 + 0.4 * rnd.nextDouble());
    }
}

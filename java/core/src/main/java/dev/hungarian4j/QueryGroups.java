package dev.hungarian4j;

import java.util.List;

/**
 * Query groups (Group-DETR, contract.md §3) as more problems of the same batch: B images of Q queries in G groups
 * are B·G images of Q/G queries whose targets are repeated per group. The flat layout of the logits, boxes,
 * assignment and cost blocks is then exactly the same (group {@code g} of image {@code b} is image
 * {@code b·G + g}, its cost block the rows {@code [g·Q/G, (g+1)·Q/G)} of image {@code b}'s block), so every matcher
 * serves groups unchanged. For backends and the API; users set {@link HungarianConfig.Builder#groups(int)}.
 */
public final class QueryGroups {
    private QueryGroups() {
    }

    /**
     * The top layer of {@code batch} as {@code B·G} images of {@code Q/G} queries, targets repeated per group.
     *
     * @param batch  the batch (its aux layers are ignored)
     * @param groups G, dividing Q
     * @return {@code batch} itself when {@code G = 1} and it has no aux layers, else a view sharing the prediction
     *         arrays (the repeated targets are new arrays)
     * @throws InvalidInputException naming {@code config.groups} when G does not divide Q
     */
    public static Batch view(Batch batch, int groups) {
        checkDivides(groups, batch.queries());
        if (groups == 1) {
            return batch.layerBatch(0);
        }
        Targets t = batch.targets();
        int b0 = batch.batch();
        int[] off = t.offsets();
        int[] offsets = new int[b0 * groups + 1];
        int[] labels = new int[t.total() * groups];
        float[] boxes = new float[t.total() * groups * 4];
        int k = 0;
        for (int b = 0; b < b0; b++) {
            int m = off[b + 1] - off[b];
            for (int g = 0; g < groups; g++) {
                System.arraycopy(t.labels(), off[b], labels, k, m);
                System.arraycopy(t.boxes(), 4 * off[b], boxes, 4 * k, 4 * m);
                k += m;
                offsets[b * groups + g + 1] = k;
            }
        }
        Predictions p = new Predictions(batch.predictions(), b0 * groups, batch.queries() / groups);
        return new Batch(p, new Targets(offsets, labels, boxes), List.of(), true);
    }

    /**
     * A matching of {@link #view(Batch, int)} as a matching of {@code batch}: the same assignment array (image-local
     * target indices, per group), each image's cost the sum over its groups; the auction's report, if any, keeps one
     * entry per (image, group) problem, problem {@code b·G + g}.
     *
     * @param viewMatching the matching of the view
     * @param batch        the batch the view was made of
     * @param groups       G
     * @return {@code viewMatching} itself when {@code G = 1}
     */
    public static Matching fold(Matching viewMatching, Batch batch, int groups) {
        if (groups == 1) {
            return viewMatching;
        }
        double[] cost = new double[batch.batch()];
        for (int b = 0; b < cost.length; b++) {
            double s = 0;
            for (int g = 0; g < groups; g++) {
                s += viewMatching.cost(b * groups + g);
            }
            cost[b] = s;
        }
        return new Matching(batch.batch(), batch.queries(), viewMatching.assignment(), cost, viewMatching.report());
    }

    /**
     * Checks that G divides Q.
     *
     * @param groups  G
     * @param queries Q
     * @throws InvalidInputException naming {@code config.groups} when it does not
     */
    public static void checkDivides(int groups, int queries) {
        if (groups < 1 || queries % groups != 0) {
            throw new InvalidInputException("config.groups", "is " + groups + "; must divide Q = " + queries
                    + " (query groups of equal size)");
        }
    }
}

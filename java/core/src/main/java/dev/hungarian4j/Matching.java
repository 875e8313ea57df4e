package dev.hungarian4j;

import java.util.Arrays;

/**
 * An optimal matching for every image of a batch. {@code assignment[b*Q + q]} is the (image-local) target
 * matched to prediction {@code q} of image {@code b}, or -1. Per image, {@code cost(b)} is the sum of the
 * matching costs of the matched pairs (0 when {@code M_b = 0}).
 */
public final class Matching {
    private final int batch;
    private final int queries;
    private final int[] assignment;
    private final double[] cost;
    private final MatcherReport report;

    /**
     * Wraps a matching's arrays.
     *
     * @param batch      B
     * @param queries    Q
     * @param assignment B*Q entries, image-local target index or -1 (kept, not copied); not null
     * @param cost       B per-image matching costs (kept, not copied); not null
     * @param report     how each image's matching ended (auction), or null for the exact matcher
     * @throws InvalidInputException when B or Q is below 1, an array is null, or {@code assignment} does not hold
     *                               B*Q or {@code cost} B entries
     */
    public Matching(int batch, int queries, int[] assignment, double[] cost, MatcherReport report) {
        if (batch < 1 || queries < 1) {
            throw new InvalidInputException("matching", "has B=" + batch + ", Q=" + queries + "; both must be >= 1");
        }
        if (assignment == null || cost == null) {
            throw new InvalidInputException(assignment == null ? "assignment" : "cost", "is null");
        }
        if (assignment.length != (long) batch * queries || cost.length != batch) { // long: B*Q may overflow int
            throw new InvalidInputException("assignment", "has " + assignment.length + " entries and cost "
                    + cost.length + "; B*Q = " + (long) batch * queries + " and B = " + batch + " are needed");
        }
        this.batch = batch;
        this.queries = queries;
        this.assignment = assignment;
        this.cost = cost;
        this.report = report;
    }

    /**
     * B, the number of images.
     *
     * @return B
     */
    public int batch() {
        return batch;
    }

    /**
     * Q, predictions per image.
     *
     * @return Q
     */
    public int queries() {
        return queries;
    }

    /**
     * The flat assignment, {@code B*Q} entries (target index or -1), not a copy.
     *
     * @return the assignment array itself
     */
    public int[] assignment() {
        return assignment;
    }

    /**
     * The matched target of prediction {@code q} of image {@code b}, or -1.
     *
     * @param b the image, in {@code [0, B)}
     * @param q the prediction, in {@code [0, Q)}
     * @return the image-local target index in {@code [0, M_b)}, or -1 when unmatched
     */
    public int targetOf(int b, int q) {
        return assignment[b * queries + q];
    }

    /**
     * The summed matching cost of image {@code b}.
     *
     * @param b the image, in {@code [0, B)}
     * @return the sum of the matched pairs' costs, 0 when {@code M_b = 0}
     */
    public double cost(int b) {
        return cost[b];
    }

    /**
     * Per-image matching costs, not a copy.
     *
     * @return the B-entry cost array itself
     */
    public double[] costs() {
        return cost;
    }

    /**
     * Number of matched pairs of image {@code b}.
     *
     * @param b the image, in {@code [0, B)}
     * @return {@code min(Q, M_b)} for an optimal matching
     */
    public int size(int b) {
        int n = 0;
        for (int q = 0; q < queries; q++) {
            if (assignment[b * queries + q] >= 0) {
                n++;
            }
        }
        return n;
    }

    /**
     * The matched predictions of image {@code b}, ascending (scipy's order).
     *
     * @param b the image, in {@code [0, B)}
     * @return a new array of {@link #size(int) size(b)} prediction indices
     */
    public int[] predIndices(int b) {
        int[] out = new int[size(b)];
        int n = 0;
        for (int q = 0; q < queries; q++) {
            if (assignment[b * queries + q] >= 0) {
                out[n++] = q;
            }
        }
        return out;
    }

    /**
     * The targets matched to {@link #predIndices(int)}, in the same order.
     *
     * @param b the image, in {@code [0, B)}
     * @return a new array of {@link #size(int) size(b)} image-local target indices
     */
    public int[] targetIndices(int b) {
        int[] out = new int[size(b)];
        int n = 0;
        for (int q = 0; q < queries; q++) {
            int t = assignment[b * queries + q];
            if (t >= 0) {
                out[n++] = t;
            }
        }
        return out;
    }

    /**
     * Per-image auction outcomes, or null when the exact matcher ran.
     *
     * @return the report, or null
     */
    public MatcherReport report() {
        return report;
    }

    @Override
    public String toString() {
        return "Matching{B=" + batch + ", Q=" + queries + ", cost=" + Arrays.toString(cost) + "}";
    }
}

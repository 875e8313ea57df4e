package dev.hungarian4j.jvm;

/**
 * Matches every image of a batch on its own {@code Q x M_b} cost block with the exact
 * {@link LinearSumAssignment}.
 */
public final class JvmMatcher {

    private JvmMatcher() {
    }

    /**
     * Matches all images, spread over {@link JvmPool}, each thread with its own solver (kept between calls). The
     * same matchings as the serial overload.
     *
     * @see #matchAll(LinearSumAssignment, int, int, int[], float[], int[])
     * @param batch         number of images {@code B}
     * @param queries       predictions per image {@code Q}
     * @param offsets       CSR offsets of the targets, length {@code B+1}
     * @param costs         the cost blocks as {@link JvmCostKernel#costBlocks} lays them out
     * @param assignmentOut receives {@code B*Q} entries: local target index or -1
     * @return per-image matching cost
     * @throws IllegalArgumentException on inconsistent shapes or a non-finite cost
     */
    public static double[] matchAll(int batch, int queries, int[] offsets, float[] costs, int[] assignmentOut) {
        checkMatchArgs(batch, queries, offsets, costs, assignmentOut);
        double[] matchingCost = new double[batch];
        double work = 0;
        for (int b = 0; b < batch; b++) {
            double m = offsets[b + 1] - offsets[b];
            work += Math.min(m, queries) * Math.max(m, queries) * 8.0;
        }
        JvmPool.forEach(batch, work, b -> matchingCost[b] = solveImage(ImageWork.current().solver, b, queries,
                offsets, costs, assignmentOut));
        return matchingCost;
    }

    private static void checkMatchArgs(int batch, int queries, int[] offsets, float[] costs, int[] assignmentOut) {
        if (batch < 0 || queries < 0) {
            throw new IllegalArgumentException("batch and queries must be >= 0, got " + batch + ", " + queries);
        }
        int total = KernelChecks.offsets(offsets, batch);
        KernelChecks.length("costs", costs, (long) queries * total);
        KernelChecks.length("assignmentOut", assignmentOut, (long) batch * queries);
    }

    /** Image {@code b}'s block; a failure names the image. */
    static double solveImage(LinearSumAssignment solver, int b, int queries, int[] offsets, float[] costs,
            int[] assignmentOut) {
        int m = offsets[b + 1] - offsets[b];
        try {
            return solver.solve(costs, queries * offsets[b], queries, m, assignmentOut, b * queries);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("image " + b + ": " + e.getMessage(), e);
        }
    }

    /**
     * Matches all images, reusing {@code solver}'s workspaces.
     *
     * @param solver        the solver to use (not thread-safe: one per thread)
     * @param batch         number of images {@code B}
     * @param queries       predictions per image {@code Q}
     * @param offsets       CSR offsets of the targets, length {@code B+1}
     * @param costs         the cost blocks: image {@code b}'s {@code Q x M_b} block at
     *                      {@code costs[Q*offsets[b]]}
     * @param assignmentOut receives {@code assignmentOut[b*Q + q]} = local target index in
     *                      {@code [0, M_b)}, or -1 when prediction {@code q} is unmatched
     * @return per-image matching cost: the double sum of the float costs of the matching, 0 when
     *         {@code M_b = 0}
     * @throws IllegalArgumentException on inconsistent shapes or a non-finite cost
     */
    public static double[] matchAll(LinearSumAssignment solver, int batch, int queries, int[] offsets, float[] costs,
            int[] assignmentOut) {
        checkMatchArgs(batch, queries, offsets, costs, assignmentOut);
        double[] matchingCost = new double[batch];
        for (int b = 0; b < batch; b++) {
            matchingCost[b] = solveImage(solver, b, queries, offsets, costs, assignmentOut);
        }
        return matchingCost;
    }
}

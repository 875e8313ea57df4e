package dev.hungarian4j.cli;

/**
 * Timings of one backend on one size: median and 90th percentile, in microseconds for the whole batch, of the
 * stages {@code cost}, {@code match}, {@code loss} and {@code total} (in that order in the arrays).
 *
 * @param backend  the backend's CLI name
 * @param matcher  the matcher's CLI name
 * @param size     the problem size
 * @param medianUs medians of cost, match, loss, total
 * @param p90Us    90th percentiles of cost, match, loss, total
 */
record BenchResult(String backend, String matcher, BenchSize size, double[] medianUs, double[] p90Us) {
    /** Stage names, in array order. */
    static final String[] STAGES = {"cost", "match", "loss", "total"};
}

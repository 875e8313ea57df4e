package dev.hungarian4j.cli;

/**
 * Timings of one backend on one size: median and 90th percentile, in microseconds for the whole batch, of the
 * stages {@code cost}, {@code match}, {@code loss}, {@code total} and {@code total_alloc} (in that order in the
 * arrays; {@link BenchRunner} says what each measures).
 *
 * @param backend  the backend's CLI name
 * @param matcher  the matcher's CLI name
 * @param size     the problem size
 * @param family   layers, query groups and loss class of the timed batch (CONTRACT.md section 3)
 * @param medianUs medians of the stages
 * @param p90Us    90th percentiles of the stages
 */
record BenchResult(String backend, String matcher, BenchSize size, BenchFamily family, double[] medianUs,
        double[] p90Us) {
    /** Stage names, in array order. */
    static final String[] STAGES = {"cost", "match", "loss", "total", "total_alloc"};
}

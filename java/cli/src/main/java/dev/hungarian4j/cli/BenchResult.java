package dev.hungarian4j.cli;

/**
 * Timings of one backend on one size: median and 90th percentile, in microseconds for the whole batch, of the
 * stages {@code cost}, {@code match}, {@code loss}, {@code total}, {@code total_alloc} and, with more than one
 * decoder layer, {@code layer_calls} (in that order in the arrays; {@link BenchRunner} says what each measures).
 *
 * @param backend  the backend's CLI name
 * @param matcher  the matcher's CLI name
 * @param size     the problem size
 * @param family   layers, query groups and loss class of the timed batch (contract.md section 3)
 * @param medianUs medians of the stages
 * @param p90Us    90th percentiles of the stages
 */
record BenchResult(String backend, String matcher, BenchSize size, BenchFamily family, double[] medianUs,
        double[] p90Us) {
    /** Stage names, in array order. */
    static final String[] STAGES = {"cost", "match", "loss", "total", "total_alloc", "layer_calls"};

    /** Index of {@code layer_calls} in {@link #STAGES}: timed and reported only with more than one layer. */
    static final int LAYER_CALLS = 5;

    /** The stages this result reports: {@code layer_calls} only for a batch of several decoder layers. */
    int stageCount() {
        return family.layers() > 1 ? STAGES.length : LAYER_CALLS;
    }
}

package dev.hungarian4j.cli;

/**
 * Timings of one backend on one size: median and 90th percentile, in microseconds for the whole batch, of the
 * stages {@code cost}, {@code match}, {@code loss}, {@code total}, {@code total_alloc} and, with more than one
 * decoder layer, {@code layer_calls} and {@code one_layer} (in that order in the arrays; {@link BenchRunner} says
 * what each measures).
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
    static final String[] STAGES = {"cost", "match", "loss", "total", "total_alloc", "layer_calls", "one_layer"};

    /** Index of {@code total} in {@link #STAGES}. */
    static final int TOTAL = 3;

    /**
     * Index of {@code layer_calls} in {@link #STAGES}, the first of the stages timed and reported only with more than
     * one layer.
     */
    static final int LAYER_CALLS = 5;

    /** Index of {@code one_layer} in {@link #STAGES} (with more than one layer). */
    static final int ONE_LAYER = 6;

    /** The stages this result reports: {@code layer_calls} and {@code one_layer} only for several decoder layers. */
    int stageCount() {
        return family.layers() > 1 ? STAGES.length : LAYER_CALLS;
    }

    /** {@code total} over {@code layer_calls}: the batched call against the same work as L one-layer calls. */
    double totalOverLayerCalls() {
        return medianUs[TOTAL] / medianUs[LAYER_CALLS];
    }

    /** {@code total} over one {@code one_layer}: the batched call against the one-layer call repeated on layer 0. */
    double totalOverOneLayer() {
        return medianUs[TOTAL] / medianUs[ONE_LAYER];
    }
}

package dev.hungarian4j.jvm;

/**
 * Argument validation shared by the JVM kernels: each failure is an
 * {@link IllegalArgumentException} naming the argument, so a bad call never reads out of bounds
 * or returns garbage.
 */
final class KernelChecks {

    private KernelChecks() {
    }

    /** Checks the batch shape and that {@code numLogits} holds at least one class plus no-object. */
    static void shape(int batch, int queries, int numLogits) {
        if (batch < 0) {
            throw new IllegalArgumentException("batch is " + batch + "; must be >= 0");
        }
        if (queries < 0) {
            throw new IllegalArgumentException("queries is " + queries + "; must be >= 0");
        }
        if (numLogits < 2) {
            throw new IllegalArgumentException("numLogits is " + numLogits + "; must be >= 2 (K classes + no-object)");
        }
    }

    /**
     * Checks the CSR offsets ({@code offsets[0] = 0}, non-decreasing, length {@code batch + 1})
     * and returns the total number of targets {@code offsets[batch]}.
     */
    static int offsets(int[] offsets, int batch) {
        if (offsets == null || offsets.length < batch + 1) {
            throw new IllegalArgumentException("offsets must have length >= batch + 1 = " + (batch + 1));
        }
        if (offsets[0] != 0) {
            throw new IllegalArgumentException("offsets[0] is " + offsets[0] + "; must be 0");
        }
        for (int b = 0; b < batch; b++) {
            if (offsets[b + 1] < offsets[b]) {
                throw new IllegalArgumentException("offsets[" + (b + 1) + "] is " + offsets[b + 1]
                        + "; must be >= offsets[" + b + "] = " + offsets[b]);
            }
        }
        return offsets[batch];
    }

    /** Checks that {@code array} is non-null and holds at least {@code needed} elements. */
    static void length(String name, float[] array, long needed) {
        if (array == null || array.length < needed) {
            throw new IllegalArgumentException(name + " must have length >= " + needed
                    + (array == null ? " but is null" : " but has " + array.length));
        }
    }

    /** Checks that {@code array} is non-null and holds at least {@code needed} elements. */
    static void length(String name, int[] array, long needed) {
        if (array == null || array.length < needed) {
            throw new IllegalArgumentException(name + " must have length >= " + needed
                    + (array == null ? " but is null" : " but has " + array.length));
        }
    }

    /** Checks every label lies in {@code [0, numClasses)}. */
    static void labels(int[] labels, int total, int numClasses) {
        length("labels", labels, total);
        for (int t = 0; t < total; t++) {
            if (labels[t] < 0 || labels[t] >= numClasses) {
                throw new IllegalArgumentException("labels[" + t + "] is " + labels[t]
                        + "; must be in [0, " + numClasses + ")");
            }
        }
    }

    /** Checks the shared inputs of the cost and loss kernels; returns the total target count. */
    static int inputs(int batch, int queries, int numLogits, float[] logits, float[] boxes,
            int[] offsets, int[] labels, float[] targetBoxes) {
        shape(batch, queries, numLogits);
        int total = offsets(offsets, batch);
        long preds = (long) batch * queries;
        length("logits", logits, preds * numLogits);
        length("boxes", boxes, preds * 4);
        labels(labels, total, numLogits - 1);
        length("targetBoxes", targetBoxes, 4L * total);
        return total;
    }
}

package dev.hungarian4j.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.hungarian4j.InvalidInputException;
import dev.hungarian4j.Targets;

/**
 * Reads DJL detection labels into the library's CSR targets. Each object is a row {@code [class, box…]} (at
 * least five columns; further columns are ignored). Two forms are accepted:
 * <ul>
 *   <li>padded: {@code labels.get(0)} of shape {@code (B, M, 5+)} as {@code PaddingStackBatchifier} builds it,
 *       optionally followed by the valid lengths {@code (B)} ({@code optIncludeValidLengths(true)}); without
 *       them, rows whose class is −1 are padding;</li>
 *   <li>ragged: one {@code (M_b, 5+)} array per image.</li>
 * </ul>
 * The labels are small, so they are copied to the host; boxes are converted by the {@link BoxFormat}.
 */
final class DetectionLabels {
    private DetectionLabels() {
    }

    /**
     * Converts the labels of a batch.
     *
     * @param labels the DJL labels, in one of the two forms
     * @param batch  B of the predictions, which the labels must match
     * @param format how the label boxes are written
     * @return the targets, normalized {@code (cx, cy, w, h)}
     * @throws InvalidInputException naming {@code labels…} when the shapes or a class value are bad
     */
    static Targets read(NDList labels, int batch, BoxFormat format) {
        if (labels == null || labels.isEmpty()) {
            throw new InvalidInputException("labels", "is empty; expected (B, M, 5) rows [class, box...]");
        }
        NDArray first = labels.get(0);
        if (first.getShape().dimension() == 3) {
            return padded(labels, batch, format);
        }
        return ragged(labels, batch, format);
    }

    private static Targets padded(NDList labels, int batch, BoxFormat format) {
        NDArray rowsNd = labels.get(0);
        Shape s = rowsNd.getShape();
        if (s.get(0) != batch) {
            throw new InvalidInputException("labels[0]", "has batch " + s.get(0) + "; predictions have " + batch);
        }
        int m = Math.toIntExact(s.get(1));
        int cols = columns("labels[0]", s.get(2));
        float[] rows = floats(rowsNd);
        int[] valid = null;
        if (labels.size() > 1) {
            NDArray lengths = labels.get(1);
            if (lengths.getShape().dimension() != 1 || lengths.getShape().get(0) != batch) {
                throw new InvalidInputException("labels[1]", "has shape " + lengths.getShape()
                        + "; expected the valid lengths (" + batch + ")");
            }
            float[] v = floats(lengths);
            valid = new int[batch];
            for (int b = 0; b < batch; b++) {
                if (!(v[b] >= 0 && v[b] <= m) || v[b] != Math.rint(v[b])) {
                    throw new InvalidInputException("labels[1][" + b + "]", "is " + v[b]
                            + "; a valid length must be an integer in [0, " + m + "]");
                }
                valid[b] = (int) v[b];
            }
        }
        int[] offsets = new int[batch + 1];
        int total = 0;
        for (int b = 0; b < batch; b++) {
            for (int r = 0; r < m; r++) {
                if (valid != null ? r < valid[b] : rows[(b * m + r) * cols] != -1f) {
                    total++;
                }
            }
            offsets[b + 1] = total;
        }
        int[] cls = new int[total];
        float[] boxes = new float[4 * total];
        int t = 0;
        for (int b = 0; b < batch; b++) {
            for (int r = 0; r < m; r++) {
                int at = (b * m + r) * cols;
                if (valid != null ? r < valid[b] : rows[at] != -1f) {
                    cls[t] = classOf(rows[at], "labels[0][" + b + "][" + r + "][0]");
                    format.toCxcywh(rows, at + 1, boxes, 4 * t);
                    t++;
                }
            }
        }
        return new Targets(offsets, cls, boxes);
    }

    private static Targets ragged(NDList labels, int batch, BoxFormat format) {
        if (labels.size() != batch) {
            throw new InvalidInputException("labels", "has " + labels.size()
                    + " arrays; expected (B, M, 5) padded rows or one (M_b, 5) array per image for B=" + batch);
        }
        float[][] per = new float[batch][];
        int[] cols = new int[batch];
        int[] offsets = new int[batch + 1];
        for (int b = 0; b < batch; b++) {
            NDArray a = labels.get(b);
            Shape s = a.getShape();
            if (s.dimension() != 2) {
                throw new InvalidInputException("labels[" + b + "]", "has shape " + s + "; expected (M, 5)");
            }
            cols[b] = columns("labels[" + b + "]", s.get(1));
            per[b] = floats(a);
            offsets[b + 1] = offsets[b] + Math.toIntExact(s.get(0));
        }
        int[] cls = new int[offsets[batch]];
        float[] boxes = new float[4 * offsets[batch]];
        for (int b = 0; b < batch; b++) {
            for (int r = 0, t = offsets[b]; t < offsets[b + 1]; r++, t++) {
                cls[t] = classOf(per[b][r * cols[b]], "labels[" + b + "][" + r + "][0]");
                format.toCxcywh(per[b], r * cols[b] + 1, boxes, 4 * t);
            }
        }
        return new Targets(offsets, cls, boxes);
    }

    private static int columns(String field, long n) {
        if (n < 5) {
            throw new InvalidInputException(field, "has " + n + " columns; rows are [class, box...] (at least 5)");
        }
        return Math.toIntExact(n);
    }

    private static int classOf(float v, String field) {
        if (!(v >= 0) || v != Math.rint(v) || v > Integer.MAX_VALUE) {
            throw new InvalidInputException(field, "is " + v + "; a class must be an integer >= 0");
        }
        return (int) v;
    }

    /** The values as floats, without closing the caller's array (a converted copy is closed). */
    private static float[] floats(NDArray a) {
        if (a.getDataType() == DataType.FLOAT32) {
            return a.toFloatArray();
        }
        try (NDArray f = a.toType(DataType.FLOAT32, true)) {
            return f.toFloatArray();
        }
    }
}

package dev.hungarian4j;

import java.util.List;

/**
 * Ground truth of a batch, ragged as CSR: image {@code b} owns targets {@code offsets[b] .. offsets[b+1]-1},
 * with {@code labels[t]} in {@code [0, K)} and {@code boxes[4t .. 4t+3]} as {@code (cx, cy, w, h)}.
 * {@code M_b = offsets[b+1] - offsets[b] >= 0}; {@code M_b > Q} is legal. Arrays are referenced, not copied.
 */
public final class Targets {
    private final int[] offsets;
    private final int[] labels;
    private final float[] boxes;

    /**
     * Wraps CSR arrays and checks their structure and box values (labels are checked against K by
     * {@link Batch}).
     *
     * @param offsets B+1 non-decreasing offsets starting at 0 (B &gt;= 1); kept, not copied
     * @param labels  {@code offsets[B]} labels; kept, not copied
     * @param boxes   {@code 4*offsets[B]} finite values {@code (cx, cy, w, h)}, widths and heights &gt;= 0; kept,
     *                not copied
     * @throws InvalidInputException naming the field (e.g. {@code targets.offsets[2]},
     *                               {@code targets[0].boxes[3][2]}) when an array is null, has the wrong length,
     *                               or holds a bad value
     */
    public Targets(int[] offsets, int[] labels, float[] boxes) {
        if (offsets == null || offsets.length < 2) {
            throw new InvalidInputException("targets", "must hold at least one image (offsets of length B+1 >= 2)");
        }
        if (offsets[0] != 0) {
            throw new InvalidInputException("targets.offsets[0]", "is " + offsets[0] + "; must be 0");
        }
        for (int b = 0; b + 1 < offsets.length; b++) {
            if (offsets[b + 1] < offsets[b]) {
                throw new InvalidInputException("targets.offsets[" + (b + 1) + "]",
                        "is " + offsets[b + 1] + "; offsets must be non-decreasing");
            }
        }
        int t = offsets[offsets.length - 1];
        if (labels == null || labels.length != t) {
            throw new InvalidInputException("targets.labels",
                    "has length " + (labels == null ? "null" : labels.length) + "; expected " + t);
        }
        if (boxes == null || boxes.length != 4L * t) {
            throw new InvalidInputException("targets.boxes",
                    "has length " + (boxes == null ? "null" : boxes.length) + "; expected 4*" + t);
        }
        for (int b = 0; b + 1 < offsets.length; b++) {
            for (int i = offsets[b]; i < offsets[b + 1]; i++) {
                for (int c = 0; c < 4; c++) {
                    float v = boxes[4 * i + c];
                    if (!Float.isFinite(v) || (c >= 2 && v < 0)) {
                        String field = "targets[" + b + "].boxes[" + (i - offsets[b]) + "][" + c + "]";
                        throw new InvalidInputException(field, "is " + v
                                + (Float.isFinite(v) ? "; " + (c == 2 ? "width" : "height") + " must be >= 0"
                                        : "; must be finite"));
                    }
                }
            }
        }
        this.offsets = offsets;
        this.labels = labels;
        this.boxes = boxes;
    }

    /**
     * Builds CSR targets from per-image lists; the values are copied into new flat arrays.
     *
     * @param labelsPerImage one {@code int[M_b]} per image (at least one image); not null
     * @param boxesPerImage  one {@code float[4*M_b]} per image, {@code (cx, cy, w, h)}; not null
     * @return the targets
     * @throws InvalidInputException when the lists differ in size, an image's box array is not {@code 4*M_b}
     *                               long, there is no image, or a box value is bad
     */
    public static Targets of(List<int[]> labelsPerImage, List<float[]> boxesPerImage) {
        if (labelsPerImage == null || boxesPerImage == null) {
            throw new InvalidInputException("targets", "is null");
        }
        if (labelsPerImage.size() != boxesPerImage.size()) {
            throw new InvalidInputException("targets", "has " + labelsPerImage.size() + " label lists but "
                    + boxesPerImage.size() + " box lists");
        }
        int n = labelsPerImage.size();
        int[] offsets = new int[n + 1];
        for (int b = 0; b < n; b++) {
            if (labelsPerImage.get(b) == null || boxesPerImage.get(b) == null) {
                throw new InvalidInputException("targets[" + b + "]", "has a null label or box array");
            }
            int m = labelsPerImage.get(b).length;
            if (boxesPerImage.get(b).length != 4L * m) {
                throw new InvalidInputException("targets[" + b + "].boxes",
                        "has " + boxesPerImage.get(b).length + " values; expected 4*" + m);
            }
            long next = (long) offsets[b] + m;
            if (4 * next > Integer.MAX_VALUE) { // the flat box array holds 4 floats per target
                throw new InvalidInputException("targets[" + b + "]", "brings the total to " + next
                        + " targets; at most " + Integer.MAX_VALUE / 4 + " fit one flat box array");
            }
            offsets[b + 1] = (int) next;
        }
        int[] labels = new int[offsets[n]];
        float[] boxes = new float[4 * offsets[n]];
        for (int b = 0; b < n; b++) {
            System.arraycopy(labelsPerImage.get(b), 0, labels, offsets[b], labelsPerImage.get(b).length);
            System.arraycopy(boxesPerImage.get(b), 0, boxes, 4 * offsets[b], boxesPerImage.get(b).length);
        }
        return new Targets(offsets, labels, boxes);
    }

    /**
     * B, the number of images.
     *
     * @return B &gt;= 1
     */
    public int batch() {
        return offsets.length - 1;
    }

    /**
     * {@code M_b}, the number of targets of image {@code b}.
     *
     * @param b the image, in {@code [0, B)}
     * @return {@code offsets[b+1] - offsets[b]}, &gt;= 0
     */
    public int count(int b) {
        return offsets[b + 1] - offsets[b];
    }

    /**
     * The total number of targets, {@code Σ_b M_b}.
     *
     * @return {@code offsets[B]}, &gt;= 0
     */
    public int total() {
        return offsets[offsets.length - 1];
    }

    /**
     * CSR offsets, B+1 entries, not a copy.
     *
     * @return the offsets array itself
     */
    public int[] offsets() {
        return offsets;
    }

    /**
     * Labels of all targets, not a copy.
     *
     * @return the labels array itself, {@code total()} entries
     */
    public int[] labels() {
        return labels;
    }

    /**
     * Boxes of all targets, {@code 4*total()}, not a copy.
     *
     * @return the boxes array itself, row-major {@code (cx, cy, w, h)}
     */
    public float[] boxes() {
        return boxes;
    }

    /** The target count per image (up to 16 images listed); the arrays can be large. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Targets{B=").append(batch()).append(", total=").append(total())
                .append(", perImage=[");
        for (int b = 0; b < batch() && b < 16; b++) {
            s.append(b == 0 ? "" : ", ").append(count(b));
        }
        return s.append(batch() > 16 ? ", ...]}" : "]}").toString();
    }
}

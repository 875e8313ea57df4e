package dev.hungarian4j.djl.examples;

import java.util.Random;

/**
 * A set-prediction data set generated on the fly: {@code size x size} RGB images holding 1 to 6 filled
 * rectangles; the class of a rectangle is its colour (red, green or blue), so the task is to find the boxes and
 * name their colours. Labels are rows {@code [class, x, y, w, h]} with COCO's top-left corner in pixels, padded
 * to 6 rows of -1. Rectangles do not overlap, so every box is visible.
 */
final class SyntheticShapes {
    /** Number of classes (colours). */
    static final int CLASSES = 3;
    /** Most objects in one image: the label rows per image. */
    static final int MAX_OBJECTS = 6;

    private final int size;
    private final Random rnd;

    SyntheticShapes(int size, long seed) {
        this.size = size;
        this.rnd = new Random(seed);
    }

    int size() {
        return size;
    }

    /** One batch: images {@code (B, 3, S, S)}, padded label rows {@code (B, 6, 5)} and valid lengths {@code (B)}. */
    record Sample(float[] images, float[] rows, float[] counts) {
    }

    Sample next(int batch) {
        int s = size;
        float[] img = new float[batch * 3 * s * s];
        float[] rows = new float[batch * MAX_OBJECTS * 5];
        float[] counts = new float[batch];
        java.util.Arrays.fill(rows, -1f);
        for (int b = 0; b < batch; b++) {
            int base = b * 3 * s * s;
            for (int i = 0; i < 3 * s * s; i++) {
                img[base + i] = 0.1f * rnd.nextFloat();
            }
            int want = 1 + rnd.nextInt(MAX_OBJECTS);
            boolean[] used = new boolean[s * s];
            int n = 0;
            for (int attempt = 0; attempt < 60 && n < want; attempt++) {
                int w = s / 8 + rnd.nextInt(s / 4);
                int h = s / 8 + rnd.nextInt(s / 4);
                int x = rnd.nextInt(s - w + 1);
                int y = rnd.nextInt(s - h + 1);
                if (overlaps(used, x, y, w, h)) {
                    continue;
                }
                int c = rnd.nextInt(CLASSES);
                float v = 0.7f + 0.3f * rnd.nextFloat();
                for (int yy = y; yy < y + h; yy++) {
                    for (int xx = x; xx < x + w; xx++) {
                        used[yy * s + xx] = true;
                        img[base + (c * s + yy) * s + xx] = v;
                    }
                }
                int at = (b * MAX_OBJECTS + n) * 5;
                rows[at] = c;
                rows[at + 1] = x;
                rows[at + 2] = y;
                rows[at + 3] = w;
                rows[at + 4] = h;
                n++;
            }
            counts[b] = n;
        }
        return new Sample(img, rows, counts);
    }

    private boolean overlaps(boolean[] used, int x, int y, int w, int h) {
        // one pixel of margin keeps neighbours apart
        for (int yy = Math.max(0, y - 1); yy < Math.min(size, y + h + 1); yy++) {
            for (int xx = Math.max(0, x - 1); xx < Math.min(size, x + w + 1); xx++) {
                if (used[yy * size + xx]) {
                    return true;
                }
            }
        }
        return false;
    }
}

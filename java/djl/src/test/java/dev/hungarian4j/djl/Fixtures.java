package dev.hungarian4j.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.hungarian4j.Batch;
import dev.hungarian4j.Targets;

/** Library batches turned into the DJL forms the adapter reads. */
final class Fixtures {
    private Fixtures() {
    }

    static NDList predictions(NDManager m, Batch b) {
        NDArray logits = m.create(b.predictions().logits(), new Shape(b.batch(), b.queries(), b.numLogits()));
        NDArray boxes = m.create(b.predictions().boxes(), new Shape(b.batch(), b.queries(), 4));
        return new NDList(logits, boxes);
    }

    static int maxTargets(Targets t) {
        int m = 0;
        for (int b = 0; b < t.batch(); b++) {
            m = Math.max(m, t.count(b));
        }
        return m;
    }

    /** (B, M, 5) rows [class, cx, cy, w, h], padded with rows of -1, as PaddingStackBatchifier builds them. */
    static float[] paddedRows(Targets t, int m) {
        float[] rows = new float[t.batch() * m * 5];
        java.util.Arrays.fill(rows, -1f);
        for (int b = 0; b < t.batch(); b++) {
            for (int i = 0; i < t.count(b); i++) {
                int g = t.offsets()[b] + i;
                int at = (b * m + i) * 5;
                rows[at] = t.labels()[g];
                System.arraycopy(t.boxes(), 4 * g, rows, at + 1, 4);
            }
        }
        return rows;
    }

    static NDList paddedLabels(NDManager m, Targets t, boolean validLengths) {
        int mx = Math.max(1, maxTargets(t));
        NDArray rows = m.create(paddedRows(t, mx), new Shape(t.batch(), mx, 5));
        if (!validLengths) {
            return new NDList(rows);
        }
        float[] n = new float[t.batch()];
        for (int b = 0; b < t.batch(); b++) {
            n[b] = t.count(b);
        }
        return new NDList(rows, m.create(n));
    }

    static NDList raggedLabels(NDManager m, Targets t) {
        NDList out = new NDList();
        for (int b = 0; b < t.batch(); b++) {
            float[] rows = new float[t.count(b) * 5];
            for (int i = 0; i < t.count(b); i++) {
                int g = t.offsets()[b] + i;
                rows[5 * i] = t.labels()[g];
                System.arraycopy(t.boxes(), 4 * g, rows, 5 * i + 1, 4);
            }
            out.add(m.create(rows, new Shape(t.count(b), 5)));
        }
        return out;
    }
}

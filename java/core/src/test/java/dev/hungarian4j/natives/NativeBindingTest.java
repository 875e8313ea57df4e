package dev.hungarian4j.natives;

import dev.hungarian4j.Batch;
import dev.hungarian4j.SyntheticBatch;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Calls every native method of the binding once. The javacpp plugin only warns when it fails to generate a
 * method, which would then throw UnsatisfiedLinkError at run time: this test turns that into a failure. On a
 * machine without a GPU, the CUDA entry points must answer "no device" cleanly.
 */
class NativeBindingTest {
    private static Batch batch;
    private static double[] cfg;

    @BeforeAll
    static void load() {
        assertEquals(null, NativeLoader.error(), "native library must load");
        batch = SyntheticBatch.generate(5, 3, 20, 7, 6);
        cfg = NativeConfig.pack(dev.hungarian4j.HungarianConfig.DEFAULTS);
    }

    private static int t() {
        return batch.targets().total();
    }

    @Test
    void libraryCalls() {
        assertTrue(NativeLibrary.h4j_version() > 0);
        assertEquals("ok", NativeLibrary.h4j_status_string(0).toLowerCase());
        assertTrue(NativeLibrary.h4j_status_string(1).length() > 0);
        int prev = NativeLibrary.h4j_set_max_threads(1);
        assertEquals(1, NativeLibrary.h4j_set_max_threads(prev));
        assertTrue(NativeLibrary.h4j_last_error() != null);
    }

    @Test
    void cpuCallsWithArraysAndPointersAgree() {
        int b = batch.batch();
        int q = batch.queries();
        int c = batch.numLogits();
        float[] logits = batch.predictions().logits();
        float[] boxes = batch.predictions().boxes();
        int[] off = batch.targets().offsets();
        int[] lab = batch.targets().labels();
        float[] tb = batch.targets().boxes();

        int[] assign = new int[b * q];
        double[] mcost = new double[b];
        double[] terms = new double[5];
        float[] gl = new float[logits.length];
        float[] gb = new float[boxes.length];
        // the mixed signatures: large arrays in native memory (as NativeBackend stages them), small ones as arrays
        try (FloatPointer pl = new FloatPointer(logits); FloatPointer pb = new FloatPointer(boxes);
             FloatPointer pc = new FloatPointer((long) q * t()); FloatPointer pgl = new FloatPointer(logits.length);
             FloatPointer pgb = new FloatPointer(boxes.length)) {
            assertEquals(0, NativeLibrary.h4j_cpu_cost_blocks(b, q, c, pl, pb, off, lab, tb, cfg, pc));
            assertEquals(0, NativeLibrary.h4j_cpu_match_exact(b, q, off, pc, assign, mcost));
            assertEquals(0, NativeLibrary.h4j_cpu_loss(b, q, c, pl, pb, off, lab, tb, cfg, assign, terms, pgl, pgb));
            pgl.get(gl);
            pgb.get(gb);
            int[] assign2 = new int[b * q];
            double[] mcost2 = new double[b];
            double[] terms2 = new double[5];
            float[] gl2 = new float[logits.length];
            assertEquals(0, NativeLibrary.h4j_cpu_forward(b, q, c, pl, pb, off, lab, tb, cfg, assign2, mcost2,
                    terms2, pgl, pgb));
            pgl.get(gl2);
            assertArrayEquals(assign, assign2);
            assertArrayEquals(mcost, mcost2);
            assertArrayEquals(terms, terms2);
            assertArrayEquals(gl, gl2);

            int[] assign3 = new int[b * q];
            double[] mcost3 = new double[b];
            int[] stats = new int[b * 8];
            assertEquals(0, NativeLibrary.h4j_cpu_match_auction(b, q, off, pc, assign3, mcost3, stats));
            for (int i = 0; i < b; i++) {
                assertEquals(mcost[i], mcost3[i], 1e-4 * Math.max(1, Math.abs(mcost[i])));
            }
        }

        // off-heap pointers, no copies
        try (FloatPointer pl = new FloatPointer(logits); FloatPointer pb = new FloatPointer(boxes);
             IntPointer po = new IntPointer(off); IntPointer plab = new IntPointer(lab);
             FloatPointer ptb = new FloatPointer(tb); DoublePointer pcfg = new DoublePointer(cfg);
             IntPointer pa = new IntPointer(b * q); DoublePointer pm = new DoublePointer(b);
             DoublePointer pt = new DoublePointer(5); FloatPointer pgl = new FloatPointer(logits.length);
             FloatPointer pgb = new FloatPointer(boxes.length)) {
            assertEquals(0, NativeLibrary.h4j_cpu_forward(b, q, c, pl, pb, po, plab, ptb, pcfg, pa, pm, pt, pgl, pgb));
            int[] a4 = new int[b * q];
            pa.get(a4);
            assertArrayEquals(assign, a4);
            float[] g4 = new float[logits.length];
            pgl.get(g4);
            assertArrayEquals(gl, g4);
        }
    }

    @Test
    void badInputIsAStatusNotACrash() {
        int b = batch.batch();
        int q = batch.queries();
        float[] boxes = batch.predictions().boxes().clone();
        boxes[4 * 5 + 2] = -0.5f;
        try (FloatPointer pl = new FloatPointer(batch.predictions().logits()); FloatPointer pb = new FloatPointer(boxes);
             FloatPointer costs = new FloatPointer((long) q * t())) {
            int st = NativeLibrary.h4j_cpu_cost_blocks(b, q, batch.numLogits(), pl, pb, batch.targets().offsets(),
                    batch.targets().labels(), batch.targets().boxes(), cfg, costs);
            assertEquals(NativeStatus.ERR_INVALID_ARG, st);
            assertTrue(NativeLibrary.h4j_last_error().contains("pred_boxes[0][5][2]"), NativeLibrary.h4j_last_error());
            // null inputs and outputs are error statuses too
            st = NativeLibrary.h4j_cpu_match_exact(b, q, batch.targets().offsets(), costs, null, null);
            assertNotEquals(0, st);
            st = NativeLibrary.h4j_cpu_forward(b, q, batch.numLogits(), (FloatPointer) null, pb,
                    batch.targets().offsets(), batch.targets().labels(), batch.targets().boxes(), cfg, new int[b * q],
                    new double[b], new double[5], null, null);
            assertEquals(NativeStatus.ERR_INVALID_ARG, st);
            st = NativeLibrary.h4j_cpu_forward_layers(0, b, q, batch.numLogits(), pl, pb, batch.targets().offsets(),
                    batch.targets().labels(), batch.targets().boxes(), cfg, new int[b * q], new double[b],
                    new double[5], null, null);
            assertEquals(NativeStatus.ERR_INVALID_ARG, st);
            assertEquals("L is 0; must be >= 1", NativeLibrary.h4j_last_error());
            // one layer through the layered entry point is h4j_cpu_forward
            int[] a1 = new int[b * q];
            int[] a2 = new int[b * q];
            double[] t1 = new double[5];
            double[] t2 = new double[5];
            assertEquals(0, NativeLibrary.h4j_cpu_forward_layers(1, b, q, batch.numLogits(),
                    new FloatPointer(batch.predictions().logits()), new FloatPointer(batch.predictions().boxes()),
                    batch.targets().offsets(), batch.targets().labels(), batch.targets().boxes(), cfg, a1,
                    new double[b], t1, null, null), NativeLibrary.h4j_last_error());
            assertEquals(0, NativeLibrary.h4j_cpu_forward(b, q, batch.numLogits(),
                    new FloatPointer(batch.predictions().logits()), new FloatPointer(batch.predictions().boxes()),
                    batch.targets().offsets(), batch.targets().labels(), batch.targets().boxes(), cfg, a2,
                    new double[b], t2, null, null));
            assertArrayEquals(a2, a1);
            assertArrayEquals(t2, t1);
        }
    }

    @Test
    void cudaCallsAnswerCleanly() {
        int[] count = {-1};
        int st = NativeLibrary.h4j_cuda_device_count(count);
        byte[] name = new byte[128];
        int stName = NativeLibrary.h4j_cuda_device_name(0, name, name.length);
        int avail = NativeLibrary.h4j_cuda_available();
        int b = batch.batch();
        int q = batch.queries();
        FloatPointer hl = new FloatPointer(batch.predictions().logits());
        FloatPointer hb = new FloatPointer(batch.predictions().boxes());
        FloatPointer costs = new FloatPointer((long) q * t());
        int stCost = NativeLibrary.h4j_cuda_cost_blocks_host(b, q, batch.numLogits(), hl, hb,
                batch.targets().offsets(), batch.targets().labels(), batch.targets().boxes(), cfg, costs);
        int stMatch = NativeLibrary.h4j_cuda_match_auction_host(b, q, batch.targets().offsets(), costs,
                new int[b * q], new double[b], new int[b * 8]);
        if (avail == 0) {
            // no GPU (or no CUDA build): every entry point says so
            assertNotEquals(0, st);
            assertEquals(3, stName);
            assertEquals(3, stCost);
            assertEquals(3, stMatch);
            // non-null stand-ins for device pointers: without a device nothing may touch them
            try (FloatPointer f = new FloatPointer(64); IntPointer i = new IntPointer(64);
                 DoublePointer d = new DoublePointer(64)) {
                assertEquals(3, NativeLibrary.h4j_cuda_cost_blocks(b, q, batch.numLogits(), f, f, i, i, f, cfg, f,
                        null));
                assertEquals(3, NativeLibrary.h4j_cuda_match_auction(b, q, i, f, i, d, i, null));
                assertEquals(3, NativeLibrary.h4j_cuda_match_auction_bounded(b, q, 8, i, f, i, d, i, null));
                try (org.bytedeco.javacpp.SizeTPointer sz = new org.bytedeco.javacpp.SizeTPointer(1)) {
                    assertEquals(3, NativeLibrary.h4j_cuda_loss_workspace_size(b, q, batch.numLogits(), sz));
                    assertEquals(3, NativeLibrary.h4j_cuda_forward_workspace_size(b, q, batch.numLogits(), t(), 8,
                            sz));
                }
                assertEquals(3, NativeLibrary.h4j_cuda_loss(b, q, batch.numLogits(), f, f, i, i, f, cfg, i, f, 256, d,
                        f, f, null));
                assertEquals(3, NativeLibrary.h4j_cuda_forward(b, q, batch.numLogits(), 8, f, f, i, i, f, cfg, f, 256,
                        i, d, d, f, f, i, null));
            }
            FloatPointer gl = new FloatPointer(batch.predictions().logits().length);
            FloatPointer gb = new FloatPointer(batch.predictions().boxes().length);
            int[] assign = new int[b * q];
            assertEquals(3, NativeLibrary.h4j_cuda_loss_host(b, q, batch.numLogits(), hl, hb,
                    batch.targets().offsets(), batch.targets().labels(), batch.targets().boxes(), cfg, assign,
                    new double[5], gl, gb));
            assertEquals(3, NativeLibrary.h4j_cuda_forward_host(b, q, batch.numLogits(), hl, hb,
                    batch.targets().offsets(), batch.targets().labels(), batch.targets().boxes(), cfg, assign,
                    new double[b], new double[5], gl, gb, new int[b * 8]));
            assertTrue(NativeLibrary.h4j_last_error().length() > 0);
        } else {
            assertEquals(0, st);
            assertTrue(count[0] > 0);
            assertEquals(0, stCost);
            assertEquals(0, stMatch);
        }
    }
    /**
     * The in-place glue (h4j_jni_forward_layers_pinned: one float[] per layer, all pinned in one call) gives exactly
     * the contiguous h4j_cpu_forward_layers' results on the same values, whatever InPlaceArrays decided for this JVM
     * (a single-threaded call here, no allocation pressure); a bad argument comes back as a status.
     */
    @Test
    void pinnedLayerArraysAgreeWithContiguousLayers() {
        Batch layered = SyntheticBatch.generate(9, 20, 7, new int[] {6, 0, 3}, 3, dev.hungarian4j.LossClass.CE);
        int layers = layered.layers();
        int b = layered.batch();
        int q = layered.queries();
        int c = layered.numLogits();
        int nl = layered.predictions().logits().length;
        int nb = layered.predictions().boxes().length;
        float[][] logits = new float[layers][];
        float[][] boxes = new float[layers][];
        float[] allLogits = new float[nl * layers];
        float[] allBoxes = new float[nb * layers];
        for (int l = 0; l < layers; l++) {
            logits[l] = layered.layer(l).logits();
            boxes[l] = layered.layer(l).boxes();
            System.arraycopy(logits[l], 0, allLogits, l * nl, nl);
            System.arraycopy(boxes[l], 0, allBoxes, l * nb, nb);
        }
        float[][] gl = new float[layers][nl];
        float[][] gb = new float[layers][nb];
        int[] assign = new int[layers * b * q];
        double[] cost = new double[layers * b];
        double[] terms = new double[layers * 5];
        int[] status = {-1};
        var t = layered.targets();
        NativeLibrary.h4j_jni_forward_layers_pinned(layers, b, q, c, logits, boxes, t.offsets(), t.labels(), t.boxes(),
                cfg, assign, cost, terms, gl, gb, status);
        assertEquals(0, status[0], NativeLibrary.h4j_last_error());
        int[] assign2 = new int[assign.length];
        double[] cost2 = new double[cost.length];
        double[] terms2 = new double[terms.length];
        try (FloatPointer pl = new FloatPointer(allLogits); FloatPointer pb = new FloatPointer(allBoxes);
             FloatPointer pgl = new FloatPointer((long) nl * layers);
             FloatPointer pgb = new FloatPointer((long) nb * layers)) {
            assertEquals(0, NativeLibrary.h4j_cpu_forward_layers(layers, b, q, c, pl, pb, t.offsets(), t.labels(),
                    t.boxes(), cfg, assign2, cost2, terms2, pgl, pgb), NativeLibrary.h4j_last_error());
            assertArrayEquals(assign2, assign);
            assertArrayEquals(cost2, cost);
            assertArrayEquals(terms2, terms);
            for (int l = 0; l < layers; l++) {
                float[] g = new float[nl];
                pgl.position((long) l * nl).get(g);
                assertArrayEquals(g, gl[l], "grad_logits of layer " + l);
                float[] h = new float[nb];
                pgb.position((long) l * nb).get(h);
                assertArrayEquals(h, gb[l], "grad_boxes of layer " + l);
            }
        }
        assertNotEquals(terms[3], terms[8], "the layers differ");
        // no gradients (both null) is valid; a bad layer count is a status
        NativeLibrary.h4j_jni_forward_layers_pinned(layers, b, q, c, logits, boxes, t.offsets(), t.labels(),
                t.boxes(), cfg, assign, cost, terms, null, null, status);
        assertEquals(0, status[0]);
        NativeLibrary.h4j_jni_forward_layers_pinned(0, b, q, c, logits, boxes, t.offsets(), t.labels(), t.boxes(),
                cfg, assign, cost, terms, gl, gb, status);
        assertEquals(NativeStatus.ERR_INVALID_ARG, status[0]);
    }
}

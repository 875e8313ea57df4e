package dev.hungarian4j.natives;

import dev.hungarian4j.Batch;
import dev.hungarian4j.LossClass;
import dev.hungarian4j.Predictions;
import dev.hungarian4j.SyntheticBatch;
import dev.hungarian4j.Targets;
import org.bytedeco.javacpp.FloatPointer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The array-regions glue (h4j_jni_forward_layers_regions: the pool's threads copy every layer's slices in and the
 * gradients out with JNI array regions) against the contiguous h4j_cpu_forward_layers, at a size the pool takes,
 * and its failures: every bad argument is a status with a message, and no Java exception is left pending.
 */
class RegionsGlueTest {
    private static final int LAYERS = 3;
    private static Batch batch;
    private static double[] cfg;

    @BeforeAll
    static void load() {
        NativeBackend.instance();
        int[] counts = new int[16];
        Arrays.fill(counts, 10);
        counts[4] = 0;
        counts[11] = 40;
        batch = SyntheticBatch.generate(17, 100, 91, counts, LAYERS, LossClass.CE);
        cfg = NativeConfig.pack(dev.hungarian4j.HungarianConfig.builder().groups(2).build());
    }

    /** One call's outputs. */
    private static final class Out {
        final int[] assign = new int[LAYERS * batch.batch() * batch.queries()];
        final double[] cost = new double[LAYERS * batch.batch()];
        final double[] terms = new double[LAYERS * 5];
        final float[][] gl = new float[LAYERS][batch.predictions().logits().length];
        final float[][] gb = new float[LAYERS][batch.predictions().boxes().length];
        final int[] status = {-1};
    }

    private static float[][] logits() {
        return copies(Predictions::logits);
    }

    private static float[][] boxes() {
        return copies(Predictions::boxes);
    }

    /** A fresh copy of one array of every layer, so that a test may change it. */
    private static float[][] copies(Function<Predictions, float[]> part) {
        float[][] a = new float[LAYERS][];
        for (int l = 0; l < LAYERS; l++) {
            a[l] = part.apply(batch.layer(l)).clone();
        }
        return a;
    }

    private static void regions(float[][] logits, float[][] boxes, Out o, boolean grads) {
        Targets t = batch.targets();
        NativeLibrary.h4j_jni_forward_layers_regions(LAYERS, batch.batch(), batch.queries(), batch.numLogits(),
                logits, boxes, t.offsets(), t.labels(), t.boxes(), cfg, o.assign, o.cost, o.terms,
                grads ? o.gl : null, grads ? o.gb : null, o.status);
    }

    @Test
    void regionsGiveWhatTheContiguousCallGives() throws Exception {
        int nl = batch.predictions().logits().length;
        int nb = batch.predictions().boxes().length;
        float[] allLogits = new float[nl * LAYERS];
        float[] allBoxes = new float[nb * LAYERS];
        for (int l = 0; l < LAYERS; l++) {
            System.arraycopy(batch.layer(l).logits(), 0, allLogits, l * nl, nl);
            System.arraycopy(batch.layer(l).boxes(), 0, allBoxes, l * nb, nb);
        }
        Out want = new Out();
        Targets t = batch.targets();
        try (FloatPointer pl = new FloatPointer(allLogits); FloatPointer pb = new FloatPointer(allBoxes);
             FloatPointer pgl = new FloatPointer((long) nl * LAYERS);
             FloatPointer pgb = new FloatPointer((long) nb * LAYERS)) {
            assertEquals(0, NativeLibrary.h4j_cpu_forward_layers(LAYERS, batch.batch(), batch.queries(),
                    batch.numLogits(), pl, pb, t.offsets(), t.labels(), t.boxes(), cfg, want.assign, want.cost,
                    want.terms, pgl, pgb), NativeLibrary.h4j_last_error());
            for (int l = 0; l < LAYERS; l++) {
                pgl.position((long) l * nl).get(want.gl[l]);
                pgb.position((long) l * nb).get(want.gb[l]);
            }
        }
        // from this thread, and from a new one at the same time (one of them runs without the pool)
        Out other = new Out();
        Thread th = new Thread(() -> regions(logits(), boxes(), other, true));
        th.start();
        Out got = new Out();
        regions(logits(), boxes(), got, true);
        th.join();
        for (Out o : new Out[] {got, other}) {
            assertEquals(0, o.status[0], NativeLibrary.h4j_last_error());
            assertArrayEquals(want.assign, o.assign);
            assertArrayEquals(want.cost, o.cost);
            assertArrayEquals(want.terms, o.terms);
            for (int l = 0; l < LAYERS; l++) {
                assertArrayEquals(want.gl[l], o.gl[l], "grad_logits of layer " + l);
                assertArrayEquals(want.gb[l], o.gb[l], "grad_boxes of layer " + l);
            }
        }
        Out none = new Out();
        regions(logits(), boxes(), none, false);
        assertEquals(0, none.status[0], NativeLibrary.h4j_last_error());
        assertArrayEquals(want.terms, none.terms);
        Assumptions.assumeTrue(Runtime.getRuntime().availableProcessors() > 1,
                "one core: the pool has no worker threads to attach");
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                        .anyMatch(x -> x.getName().equals("hungarian4j-native-pool") && x.isDaemon()),
                "no pool thread attached to the JVM: the copies did not run on the pool");
    }

    @Test
    void failuresAreStatusesWithMessagesAndLeaveNoPendingException() {
        Out o = new Out();
        float[][] shortLayer = logits();
        shortLayer[2] = Arrays.copyOf(shortLayer[2], shortLayer[2].length - 1); // the last image's slice overruns
        regions(shortLayer, boxes(), o, true);
        assertEquals(NativeStatus.ERR_INVALID_ARG, o.status[0]);
        assertEquals("h4j_cpu_forward_layers_io: io->load failed (invalid argument) for layer 2, image 15",
                NativeLibrary.h4j_last_error());

        float[][] bad = logits();
        bad[1][(3 * 100 + 7) * batch.numLogits() + 5] = Float.NaN;
        regions(bad, boxes(), o, true);
        assertEquals(NativeStatus.ERR_NON_FINITE, o.status[0]);
        assertEquals("layer 1: pred_logits[3][7][5] is nan; must be finite", NativeLibrary.h4j_last_error());

        float[][] missing = logits();
        missing[0] = null;
        regions(missing, boxes(), o, true);
        assertEquals(NativeStatus.ERR_INVALID_ARG, o.status[0]);


        Targets t = batch.targets();
        NativeLibrary.h4j_jni_forward_layers_regions(LAYERS, batch.batch(), batch.queries(), batch.numLogits(),
                logits(), boxes(), t.offsets(), t.labels(), t.boxes(), cfg, o.assign, o.cost, o.terms, o.gl, null,
                o.status);
        assertEquals(NativeStatus.ERR_INVALID_ARG, o.status[0]); // NativeBackend names it before calling
        // a call after the failures works: nothing was left pending on this thread or the pool's
        Out ok = new Out();
        regions(logits(), boxes(), ok, true);
        assertEquals(0, ok.status[0], NativeLibrary.h4j_last_error());
    }
}

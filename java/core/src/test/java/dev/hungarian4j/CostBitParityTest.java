package dev.hungarian4j;

import dev.hungarian4j.natives.NativeBackend;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The jvm cost kernel's vectorised pair loops ({@code jvm/BoxCostRow}: {@code Math.min/max} where the native kernel
 * has selects, the work split over several loops) give the native kernel's float costs bit for bit, also once C2 has
 * compiled and vectorised them: batches run repeatedly, with boxes that reach every select's edge (signed zeros,
 * zero widths, touching, nested, identical and disjoint boxes, large and negative coordinates).
 */
class CostBitParityTest {
    private static final int ROUNDS = 40;

    @BeforeAll
    static void nativeMustLoad() {
        BackendStatus s = NativeBackend.status();
        assertTrue(s.available(), "native backend did not load: " + s.detail());
    }

    /** Overwrites some boxes of {@code boxes} ({@code cx, cy, w, h}) with edge cases, the rest stay random. */
    private static void edgeBoxes(float[] boxes, SplittableRandom rnd) {
        float[][] special = {
            {0.0f, 0.0f, 0.0f, 0.0f}, {-0.0f, -0.0f, -0.0f, -0.0f}, {0.5f, 0.5f, 1.0f, 1.0f},
            {0.25f, 0.25f, 0.5f, 0.5f}, {0.75f, 0.25f, 0.5f, 0.5f}, {0.5f, 0.5f, 0.0f, 0.3f},
            {-3.0f, 7.0f, 2.0f, 0.0f}, {1e15f, -1e15f, 1e15f, 1e15f}, {-0.0f, 0.5f, 1.0f, -0.0f},
            {0.5f, 0.5f, 1e-30f, 1e-30f}};
        for (int i = 0; i < boxes.length / 4; i++) {
            if (rnd.nextInt(3) == 0) {
                System.arraycopy(special[rnd.nextInt(special.length)], 0, boxes, 4 * i, 4);
            }
        }
    }

    @Test
    void jvmCostsEqualNativeCostsBitForBit() {
        SplittableRandom rnd = new SplittableRandom(20261206);
        long compared = 0;
        for (int round = 0; round < ROUNDS; round++) {
            int[] m = {0, 1 + rnd.nextInt(8), 20 + rnd.nextInt(60)};
            Batch batch = SyntheticBatch.generate(rnd.nextLong(), 200, 20, m);
            edgeBoxes(batch.predictions().boxes(), rnd);
            edgeBoxes(batch.targets().boxes(), rnd);
            HungarianConfig cfg = HungarianConfig.builder()
                    .classCost(round % 2 == 0 ? ClassCost.PROB : ClassCost.LOG_PROB).build();
            float[] cj = HungarianLoss.create(cfg, BackendKind.JVM).costs(batch);
            float[] cn = HungarianLoss.create(cfg, BackendKind.NATIVE).costs(batch);
            assertEquals(cn.length, cj.length);
            for (int i = 0; i < cj.length; i++) {
                if (Float.floatToRawIntBits(cj[i]) != Float.floatToRawIntBits(cn[i])) {
                    assertEquals(cn[i], cj[i], 0.0f, "round " + round + " " + cfg + " cost " + i);
                    assertEquals(Float.floatToRawIntBits(cn[i]), Float.floatToRawIntBits(cj[i]),
                            "round " + round + " cost " + i + ": the sign of zero");
                }
            }
            compared += cj.length;
        }
        assertTrue(compared > 100_000, "too few costs compared: " + compared);
    }
}

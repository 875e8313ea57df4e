package dev.hungarian4j.natives;

import dev.hungarian4j.ClassCost;
import dev.hungarian4j.HungarianConfig;
import dev.hungarian4j.LossClass;
import dev.hungarian4j.Reduction;

/** Packs a {@link HungarianConfig} into the {@code double cfg[H4J_CFG_LEN]} layout of hungarian4j.h. */
final class NativeConfig {
    /** H4J_CFG_LEN: slots 9..13 hold contract.md section 3's options, 14..15 are reserved and stay 0. */
    static final int LENGTH = 16;
    /** The slot of the loss class (H4J_CFG_LOSS_CLASS): 1 for the focal loss. */
    private static final int LOSS_CLASS = 11;

    private NativeConfig() {
    }

    /** The last packed config: calls with the same config reuse its array, so steady-state calls allocate nothing. */
    private static volatile Packed last;

    private record Packed(HungarianConfig config, double[] array) {
    }

    /** The packed config; shared between calls and threads, so callers pass it only as a {@code const double*}. */
    static double[] pack(HungarianConfig c) {
        Packed p = last;
        if (p != null && (p.config == c || p.config.equals(c))) {
            return p.array;
        }
        double[] a = packNew(c);
        last = new Packed(c, a);
        return a;
    }

    /** Whether a packed configuration's loss class is the focal loss (slot 11, H4J_CFG_LOSS_CLASS). */
    static boolean focal(double[] packed) {
        return packed[LOSS_CLASS] == 1;
    }

    private static double[] packNew(HungarianConfig c) {
        double[] a = new double[LENGTH];
        a[0] = c.costClass();
        a[1] = c.costBbox();
        a[2] = c.costGiou();
        a[3] = c.classCost() == ClassCost.LOG_PROB ? 1 : c.classCost() == ClassCost.FOCAL ? 2 : 0;
        a[4] = c.lossCeWeight();
        a[5] = c.lossBboxWeight();
        a[6] = c.lossGiouWeight();
        a[7] = c.eosCoef();
        a[8] = c.reduction() == Reduction.SUM ? 1 : 0;
        a[9] = c.groups();
        a[10] = c.numBoxes(); // 0: max(1, sum M_b)
        boolean focal = c.lossClass() == LossClass.FOCAL;
        a[LOSS_CLASS] = focal ? 1 : 0;
        a[12] = focal ? c.focalAlpha() : 0;
        a[13] = focal ? c.focalGamma() : 0;
        return a;
    }
}

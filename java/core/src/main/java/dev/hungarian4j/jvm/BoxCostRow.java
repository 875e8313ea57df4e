package dev.hungarian4j.jvm;

/**
 * The pair loop of the jvm cost kernel: one prediction's matching cost against every target of its image,
 * {@code wc * classCost + wb * L1 - wg * GIoU}, in double, with the same operations in the same order as
 * {@code native/src/cost.cpp} (so the same float costs, bit for bit, and the same matchings as native).
 *
 * <p>Written for C2's auto-vectoriser (JDK 17 and later): the targets are a struct of arrays indexed from 0, and the
 * work is split into four short loops joined by scratch arrays. C2 vectorises only loops that it unrolls, and it
 * unrolls only a loop whose body is small ({@code LoopUnrollLimit}); the pair's ~50 operations in one loop exceed
 * that, and ran scalar at ~14-20 ns per pair; split, they run 4 doubles wide (measured 2.6x faster per pair on
 * JDK 17 and 25). {@code Math.min/max} are vectorised where plain selects are not; for the values met here they
 * equal the native kernel's selects ({@code a < b ? a : b}): every input is a finite float widened to double, so
 * there is no NaN, and a signed zero that could differ is always followed by a clamp at {@code +0.0}.
 */
final class BoxCostRow {
    private BoxCostRow() {
    }

    /**
     * Lays out targets {@code first..first+m} of {@code tb} ({@code cx, cy, w, h} each) in {@code w}'s struct of
     * arrays: centres, sizes, corners and area, in double.
     */
    static void targets(float[] tb, int first, int m, ImageWork w) {
        final double[] tcx = w.tcx;
        final double[] tcy = w.tcy;
        final double[] tw = w.tw;
        final double[] th = w.th;
        final double[] tx0 = w.tx0;
        final double[] ty0 = w.ty0;
        final double[] tx1 = w.tx1;
        final double[] ty1 = w.ty1;
        final double[] tar = w.tarea;
        for (int j = 0; j < m; j++) {
            int to = (first + j) * 4;
            double cx = tb[to];
            double cy = tb[to + 1];
            double wd = tb[to + 2];
            double ht = tb[to + 3];
            double hw = 0.5 * wd;
            double hh = 0.5 * ht;
            tcx[j] = cx;
            tcy[j] = cy;
            tw[j] = wd;
            th[j] = ht;
            tx0[j] = cx - hw;
            ty0[j] = cy - hh;
            tx1[j] = cx + hw;
            ty1[j] = cy + hh;
            tar[j] = (tx1[j] - tx0[j]) * (ty1[j] - ty0[j]);
        }
    }

    /**
     * The cost of the prediction box {@code (p0, p1, p2, p3)} ({@code cx, cy, w, h}) against the {@code m} targets
     * laid out by {@link #targets}, with class costs {@code w.classCost[0..m)}, into {@code o[0..m)}.
     */
    static void costs(double p0, double p1, double p2, double p3, int m, double wc, double wb, double wg,
            ImageWork w, float[] o) {
        final double phw = 0.5 * p2;
        final double phh = 0.5 * p3;
        final double px0 = p0 - phw;
        final double py0 = p1 - phh;
        final double px1 = p0 + phw;
        final double py1 = p1 + phh;
        final double parea = (px1 - px0) * (py1 - py0);
        final double eps = BoxMath.AREA_FLOOR;
        final double[] tcx = w.tcx;
        final double[] tcy = w.tcy;
        final double[] tw = w.tw;
        final double[] th = w.th;
        final double[] tx0 = w.tx0;
        final double[] ty0 = w.ty0;
        final double[] tx1 = w.tx1;
        final double[] ty1 = w.ty1;
        final double[] tar = w.tarea;
        final double[] cc = w.classCost;
        final double[] inter = w.pairInter;
        final double[] encl = w.pairEncl;
        final double[] l1 = w.pairL1;
        final double[] cost = w.pairCost;
        for (int j = 0; j < m; j++) { // intersection area
            final double iw = Math.max(Math.min(px1, tx1[j]) - Math.max(px0, tx0[j]), 0.0);
            final double ih = Math.max(Math.min(py1, ty1[j]) - Math.max(py0, ty0[j]), 0.0);
            inter[j] = iw * ih;
        }
        for (int j = 0; j < m; j++) { // area of the smallest enclosing box
            final double ew = Math.max(Math.max(px1, tx1[j]) - Math.min(px0, tx0[j]), 0.0);
            final double eh = Math.max(Math.max(py1, ty1[j]) - Math.min(py0, ty0[j]), 0.0);
            encl[j] = ew * eh;
        }
        for (int j = 0; j < m; j++) { // L1 distance of the (cx, cy, w, h) vectors
            l1[j] = Math.abs(p0 - tcx[j]) + Math.abs(p1 - tcy[j]) + Math.abs(p2 - tw[j]) + Math.abs(p3 - th[j]);
        }
        for (int j = 0; j < m; j++) { // GIoU, then the weighted sum
            final double uni = parea + tar[j] - inter[j];
            final double iou = inter[j] / Math.max(uni, eps);
            final double g = iou - (encl[j] - uni) / Math.max(encl[j], eps);
            cost[j] = wc * cc[j] + wb * l1[j] + wg * (-g);
        }
        for (int j = 0; j < m; j++) { // to float apart: JDK 17 does not vectorise a loop that narrows
            o[j] = (float) cost[j];
        }
    }
}

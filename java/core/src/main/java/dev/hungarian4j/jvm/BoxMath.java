package dev.hungarian4j.jvm;

/**
 * Generalized IoU of two {@code (cx, cy, w, h)} boxes with the floors of contract.md §1, and its
 * analytic gradient with respect to the first box.
 *
 * <p>Corners are {@code (cx - w/2, cy - h/2, cx + w/2, cy + h/2)};
 * {@code iou = inter / max(union, 1e-12)} and {@code giou = iou - (encl - union) / max(encl, 1e-12)}.
 * All arithmetic is in double, whatever the storage precision.
 */
public final class BoxMath {

    /** Floor of the union and enclosing areas; keeps zero-area pairs finite (contract.md §1). */
    public static final double AREA_FLOOR = 1e-12;

    private BoxMath() {
    }

    /**
     * GIoU of box {@code a} (at {@code a[ao..ao+3]}) and box {@code b} (at {@code b[bo..bo+3]}),
     * both {@code (cx, cy, w, h)}, with the contract's floors.
     *
     * @param a  array holding the first box
     * @param ao offset of the first box in {@code a}
     * @param b  array holding the second box
     * @param bo offset of the second box in {@code b}
     * @return the GIoU, in {@code [-1, 1]} for boxes with non-negative sides; never NaN for finite input
     */
    public static double giou(float[] a, int ao, float[] b, int bo) {
        double ax0 = a[ao] - 0.5 * a[ao + 2];
        double ay0 = a[ao + 1] - 0.5 * a[ao + 3];
        double ax1 = a[ao] + 0.5 * a[ao + 2];
        double ay1 = a[ao + 1] + 0.5 * a[ao + 3];
        double bx0 = b[bo] - 0.5 * b[bo + 2];
        double by0 = b[bo + 1] - 0.5 * b[bo + 3];
        double bx1 = b[bo] + 0.5 * b[bo + 2];
        double by1 = b[bo + 1] + 0.5 * b[bo + 3];

        double iw = Math.max(Math.min(ax1, bx1) - Math.max(ax0, bx0), 0.0);
        double ih = Math.max(Math.min(ay1, by1) - Math.max(ay0, by0), 0.0);
        double inter = iw * ih;
        double union = (ax1 - ax0) * (ay1 - ay0) + (bx1 - bx0) * (by1 - by0) - inter;
        double ew = Math.max(Math.max(ax1, bx1) - Math.min(ax0, bx0), 0.0);
        double eh = Math.max(Math.max(ay1, by1) - Math.min(ay0, by0), 0.0);
        double encl = ew * eh;
        return inter / Math.max(union, AREA_FLOOR) - (encl - union) / Math.max(encl, AREA_FLOOR);
    }

    /**
     * Same value as {@link #giou(float[], int, float[], int)}, and writes {@code d giou / d a} with
     * respect to {@code (cx, cy, w, h)} of {@code a} into {@code gradA[0..3]}.
     *
     * <p>At kinks (tied corners in a min/max, an intersection side exactly 0, an area at its floor)
     * it returns one valid subgradient: tied min/max split the derivative evenly between both
     * boxes, an empty intersection side and a floored area contribute nothing.
     *
     * @param a     array holding the first box (the one differentiated)
     * @param ao    offset of the first box in {@code a}
     * @param b     array holding the second box
     * @param bo    offset of the second box in {@code b}
     * @param gradA receives the four partial derivatives; length at least 4
     * @return the GIoU
     */
    public static double giouWithGrad(float[] a, int ao, float[] b, int bo, double[] gradA) {
        double ax0 = a[ao] - 0.5 * a[ao + 2];
        double ay0 = a[ao + 1] - 0.5 * a[ao + 3];
        double ax1 = a[ao] + 0.5 * a[ao + 2];
        double ay1 = a[ao + 1] + 0.5 * a[ao + 3];
        double bx0 = b[bo] - 0.5 * b[bo + 2];
        double by0 = b[bo + 1] - 0.5 * b[bo + 3];
        double bx1 = b[bo] + 0.5 * b[bo + 2];
        double by1 = b[bo + 1] + 0.5 * b[bo + 3];

        double iwRaw = Math.min(ax1, bx1) - Math.max(ax0, bx0);
        double ihRaw = Math.min(ay1, by1) - Math.max(ay0, by0);
        double iw = Math.max(iwRaw, 0.0);
        double ih = Math.max(ihRaw, 0.0);
        double inter = iw * ih;
        double aw = ax1 - ax0;
        double ah = ay1 - ay0;
        double union = aw * ah + (bx1 - bx0) * (by1 - by0) - inter;
        double ewRaw = Math.max(ax1, bx1) - Math.min(ax0, bx0);
        double ehRaw = Math.max(ay1, by1) - Math.min(ay0, by0);
        double ew = Math.max(ewRaw, 0.0);
        double eh = Math.max(ehRaw, 0.0);
        double encl = ew * eh;
        double u = Math.max(union, AREA_FLOOR);
        double e = Math.max(encl, AREA_FLOOR);
        double giou = inter / u - (encl - union) / e;

        // Partials of giou = inter/U - (encl - union)/E treating inter, union, encl as independent;
        // a floored denominator is a constant, so its own derivative term drops out.
        double gUnion = 1.0 / e - (union > AREA_FLOOR ? inter / (u * u) : 0.0);
        double gEncl = -1.0 / e + (encl > AREA_FLOOR ? (encl - union) / (e * e) : 0.0);
        // union = areaA + areaB - inter, so inter also reaches giou through union.
        double gInter = 1.0 / u - gUnion;
        double gAreaA = gUnion;

        double dx0 = -gAreaA * ah;
        double dx1 = gAreaA * ah;
        double dy0 = -gAreaA * aw;
        double dy1 = gAreaA * aw;

        if (iwRaw > 0.0) {
            double g = gInter * ih;
            dx1 += g * share(ax1, bx1);
            dx0 -= g * share(bx0, ax0);
        }
        if (ihRaw > 0.0) {
            double g = gInter * iw;
            dy1 += g * share(ay1, by1);
            dy0 -= g * share(by0, ay0);
        }
        if (ewRaw > 0.0) {
            double g = gEncl * eh;
            dx1 += g * share(bx1, ax1);
            dx0 -= g * share(ax0, bx0);
        }
        if (ehRaw > 0.0) {
            double g = gEncl * ew;
            dy1 += g * share(by1, ay1);
            dy0 -= g * share(ay0, by0);
        }

        // Corners to centre/size: x0 = cx - w/2, x1 = cx + w/2.
        gradA[0] = dx0 + dx1;
        gradA[1] = dy0 + dy1;
        gradA[2] = 0.5 * (dx1 - dx0);
        gradA[3] = 0.5 * (dy1 - dy0);
        return giou;
    }

    /**
     * Share of the derivative of {@code min(x, y)} that goes to {@code x} (equivalently of
     * {@code max(y, x)}): 1 when {@code x < y}, 0 when {@code x > y}, one half on a tie.
     */
    private static double share(double x, double y) {
        if (x < y) {
            return 1.0;
        }
        return x == y ? 0.5 : 0.0;
    }
}

package dev.hungarian4j.jvm;

/**
 * The sigmoid focal loss and focal class cost of contract.md §3 per logit, in double, written with log-sigmoid
 * ({@code softplus}) forms so that no {@code log(0)} or overflow occurs: every value and derivative is finite for
 * any finite logit (|logit| of 80 and beyond). The same formulas as {@code hd_math.h}'s {@code focal_*} functions of
 * the native and CUDA kernels.
 */
final class FocalMath {
    private FocalMath() {
    }

    /** {@code u^g} with {@code 0^0 = 1}, so that {@code γ = 0} is plain binary cross-entropy; {@code γ = 2} multiplies. */
    static double pow(double u, double g) {
        return g == 2.0 ? u * u : g == 0.0 ? 1.0 : Math.pow(u, g);
    }

    /** The focal class cost {@code α(1−p)^γ(−log p) − (1−α)p^γ(−log(1−p))}, {@code p = sigmoid(x)}. */
    static double cost(double x, double alpha, double gamma) {
        double e = Math.exp(-Math.abs(x));
        double inv = 1.0 / (1.0 + e);
        double p = x >= 0 ? inv : e * inv;
        double r = x >= 0 ? e * inv : inv;
        double l = Math.log1p(e);
        return alpha * pow(r, gamma) * (Math.max(-x, 0.0) + l) - (1 - alpha) * pow(p, gamma) * (Math.max(x, 0.0) + l);
    }

    /**
     * {@code FL(x, y)} of one logit ({@code y = 1} when {@code positive}); {@code d[0]} receives {@code dFL/dx}:
     * {@code -α r^γ (γ p softplus(-x) + r)} for {@code y = 1}, {@code (1−α) p^γ (γ r softplus(x) + p)} for
     * {@code y = 0}, with {@code p = sigmoid(x)}, {@code r = sigmoid(-x)}; one {@code exp} and one {@code log1p}.
     */
    static double lossWithGrad(double x, boolean positive, double alpha, double gamma, double[] d) {
        double e = Math.exp(-Math.abs(x)); // in (0, 1]: no overflow
        double inv = 1.0 / (1.0 + e);
        double p = x >= 0 ? inv : e * inv;
        double r = x >= 0 ? e * inv : inv; // 1 - p, never computed as a difference
        double l = Math.log1p(e);
        if (positive) {
            double w = alpha * pow(r, gamma);
            double sp = Math.max(-x, 0.0) + l;
            d[0] = -w * (gamma * p * sp + r);
            return w * sp;
        }
        double w = (1 - alpha) * pow(p, gamma);
        double sp = Math.max(x, 0.0) + l;
        d[0] = w * (gamma * r * sp + p);
        return w * sp;
    }
}

package dev.hungarian4j.jvm;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The jvm focal math: derivatives against central differences in double, finite values up to |logit| = 100. */
class FocalMathTest {
    @Test
    void derivativeMatchesCentralDifferencesAndValuesStayFinite() {
        double[] d = new double[1];
        double[] dp = new double[1];
        for (double alpha : new double[] {0, 0.25, 1}) {
            for (double gamma : new double[] {0, 0.5, 2, 3}) {
                for (double x : new double[] {-100, -80, -30, -9.5, -2.25, -0.3, 0, 0.7, 3.5, 12, 40, 80, 100}) {
                    for (boolean y : new boolean[] {false, true}) {
                        String at = "x " + x + " y " + y + " alpha " + alpha + " gamma " + gamma;
                        double v = FocalMath.lossWithGrad(x, y, alpha, gamma, d);
                        assertTrue(Double.isFinite(v) && Double.isFinite(d[0]) && v >= 0, at);
                        double h = 1e-5;
                        double fd = (FocalMath.lossWithGrad(x + h, y, alpha, gamma, dp)
                                - FocalMath.lossWithGrad(x - h, y, alpha, gamma, dp)) / (2 * h);
                        assertEquals(fd, d[0], 1e-7 + 1e-5 * Math.abs(d[0]), at);
                        if (Math.abs(x) <= 30) { // the textbook form where it is representable
                            double p = 1 / (1 + Math.exp(-x));
                            double ref = y ? alpha * Math.pow(1 - p, gamma) * -Math.log(p)
                                    : (1 - alpha) * Math.pow(p, gamma) * -Math.log(1 - p);
                            assertEquals(ref, v, 1e-9 + 1e-7 * Math.abs(ref), at);
                        }
                        double c = FocalMath.cost(x, alpha, gamma);
                        assertTrue(Double.isFinite(c), at);
                        double pos = FocalMath.lossWithGrad(x, true, alpha, gamma, dp);
                        double neg = FocalMath.lossWithGrad(x, false, alpha, gamma, dp);
                        assertEquals(pos - neg, c, 1e-12 * (1 + Math.abs(c)), at + ": cost = FL(x, 1) - FL(x, 0)");
                    }
                }
            }
        }
    }
}

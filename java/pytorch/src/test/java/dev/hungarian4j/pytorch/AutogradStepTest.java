package dev.hungarian4j.pytorch;

import dev.hungarian4j.Batch;
import dev.hungarian4j.SyntheticBatch;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An end-to-end autograd step: a linear head (parameters {@code W (D,C)}, {@code Wb (D,4)}) on fixed features X gives
 * {@code logits = X W} and {@code boxes = sigmoid(X Wb)}; after {@code loss().backward()} the parameters' gradients
 * must be the chain rule applied to the criterion's gradients G, computed here in double:
 * {@code dW = Xᵀ G_logits}, {@code dWb = Xᵀ (G_boxes ⊙ s(1-s))}.
 */
class AutogradStepTest {
    private static final int D = 6;

    @Test
    void parameterGradientsAreTheChainRuleOfTheCriterionsGradients() {
        Batch batch = SyntheticBatch.generate(71, 10, 4, new int[] {2, 5, 0});
        int b = batch.batch();
        int q = batch.queries();
        int c = batch.numLogits();
        int rows = b * q;
        SplittableRandom rnd = new SplittableRandom(5);
        float[] x = new float[rows * D];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextDouble(-1, 1);
        }
        float[] w = new float[D * c];
        float[] wb = new float[D * 4];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rnd.nextDouble(-0.5, 0.5);
        }
        for (int i = 0; i < wb.length; i++) {
            wb[i] = (float) rnd.nextDouble(-0.5, 0.5);
        }
        TorchHungarianLoss loss = new TorchHungarianLoss();
        try (PointerScope scope = new PointerScope()) {
            Tensor features = Tensors.floats(x, rows, D);
            Tensor weight = Tensors.leaf(w, D, c);
            Tensor boxWeight = Tensors.leaf(wb, D, 4);
            Tensor logits = features.matmul(weight).reshape(b, q, c);
            Tensor boxes = torch.sigmoid(features.matmul(boxWeight)).reshape(b, q, 4);
            TorchLossOutput out = loss.forward(logits, boxes, TorchTargets.of(batch.targets()));
            float[] gl = Tensors.read(out.gradLogits()).clone();
            float[] gb = Tensors.read(out.gradBoxes()).clone();
            float[] s = Tensors.read(boxes);
            out.loss().backward();
            float[] dw = Tensors.read(weight.grad());
            float[] dwb = Tensors.read(boxWeight.grad());
            double norm = 0;
            for (int i = 0; i < D; i++) {
                for (int k = 0; k < c; k++) {
                    double want = 0;
                    for (int r = 0; r < rows; r++) {
                        want += (double) x[r * D + i] * gl[r * c + k];
                    }
                    norm += Math.abs(want);
                    assertEquals(want, dw[i * c + k], 1e-6 + 1e-5 * Math.abs(want), "dW[" + i + "][" + k + "]");
                }
                for (int k = 0; k < 4; k++) {
                    double want = 0;
                    for (int r = 0; r < rows; r++) {
                        double sv = s[r * 4 + k];
                        want += (double) x[r * D + i] * gb[r * 4 + k] * sv * (1 - sv);
                    }
                    norm += Math.abs(want);
                    assertEquals(want, dwb[i * 4 + k], 1e-6 + 1e-5 * Math.abs(want), "dWb[" + i + "][" + k + "]");
                }
            }
            assertTrue(norm > 1e-3, "a step whose gradients are not all zero, so the check can fail: " + norm);
        }
    }
}

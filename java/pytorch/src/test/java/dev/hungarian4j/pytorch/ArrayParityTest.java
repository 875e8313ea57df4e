package dev.hungarian4j.pytorch;

import dev.hungarian4j.BackendKind;
import dev.hungarian4j.Batch;
import dev.hungarian4j.HungarianConfig;
import dev.hungarian4j.HungarianLoss;
import dev.hungarian4j.LossClass;
import dev.hungarian4j.LossResult;
import dev.hungarian4j.SyntheticBatch;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The libtorch adapter against the library's float[] API on the same (native) backend, bitwise: the loss value, each
 * layer's terms and matching, the gradients it wrote, and the gradients autograd delivers to every layer's leaf
 * tensors. One layer and aux layers (stacked in place, and as a per-layer list), DETR's defaults, query groups with
 * num_boxes, and the focal loss; targets as per-image tensors and as library arrays; backward through the loss tensor
 * and through {@link TorchLossOutput#backward()}.
 */
class ArrayParityTest {
    private static final int[] COUNTS = {3, 0, 9, 1};

    static HungarianConfig config(String variant) {
        return switch (variant) {
            case "groups" -> HungarianConfig.builder().groups(2).numBoxes(6.5).build();
            case "focal", "focal1" -> HungarianConfig.builder().lossClass(LossClass.FOCAL).build();
            default -> HungarianConfig.DEFAULTS;
        };
    }

    static Batch batch(long seed, String variant, int layers) {
        // focal1: a one-class detector, one sigmoid logit per query
        return SyntheticBatch.generate(seed, 8, variant.equals("focal1") ? 1 : 5, COUNTS, layers,
                variant.startsWith("focal") ? LossClass.FOCAL : LossClass.CE);
    }

    @ParameterizedTest
    @CsvSource({"detr, 1, stacked", "detr, 3, stacked", "detr, 3, list", "groups, 1, stacked", "groups, 3, list",
            "focal, 1, stacked", "focal, 3, stacked", "focal, 3, list", "focal1, 1, stacked", "focal1, 3, list"})
    void equalsTheArrayApiBitwise(String variant, int layers, String form) {
        HungarianConfig cfg = config(variant);
        Batch batch = batch(31, variant, layers);
        float[][] gl = new float[layers][batch.predictions().logits().length];
        float[][] gb = new float[layers][batch.predictions().boxes().length];
        LossResult want = HungarianLoss.create(cfg, BackendKind.NATIVE).computeInto(batch, gl, gb);
        if (layers > 1) {
            assertNotEquals(want.loss(), want.aux().get(0).loss(), "layers that differ, so a mix-up would show");
        }
        TorchHungarianLoss loss = new TorchHungarianLoss(cfg);
        for (int variantOfCall = 0; variantOfCall < 4; variantOfCall++) {
            boolean tensorTargets = variantOfCall % 2 == 0;
            boolean viaLossTensor = variantOfCall < 2;
            try (PointerScope scope = new PointerScope()) {
                List<Tensor[]> leaves = Tensors.leaves(batch);
                TorchTargets targets = tensorTargets ? Tensors.tensorTargets(batch.targets())
                        : TorchTargets.of(batch.targets());
                TorchLossOutput out = call(loss, leaves, targets, form);
                if (viaLossTensor) {
                    out.loss().backward();
                } else {
                    out.backward();
                }
                String where = variant + " L=" + layers + " " + form + " call " + variantOfCall;
                assertEquals("native", out.backend());
                assertEquals(layers, out.layers());
                assertEquals((float) want.totalAllLayers(), out.loss().item().toFloat(), where);
                assertEquals(want.totalAllLayers(), out.totalAllLayers(), where);
                assertEquals(want.loss(), out.terms(), where);
                assertArrayEquals(want.matching().assignment(), out.assignment(), where);
                for (int l = 0; l < layers; l++) {
                    int lib = l == layers - 1 ? 0 : l + 1; // the library's index: 0 = top, 1 + i = aux i
                    if (lib > 0) {
                        assertEquals(want.aux().get(lib - 1).loss(), out.auxTerms().get(l), where + " aux " + l);
                        assertArrayEquals(want.aux().get(lib - 1).matching().assignment(), out.layerAssignment(l));
                    }
                    assertArrayEquals(gl[lib], Tensors.read(leaves.get(l)[0].grad()), where + " grad logits " + l);
                    assertArrayEquals(gb[lib], Tensors.read(leaves.get(l)[1].grad()), where + " grad boxes " + l);
                    try (Tensor g = out.gradLogits().reshape(layers, -1).select(0, l)) {
                        assertArrayEquals(gl[lib], Tensors.read(g), where + " written gradient " + l);
                    }
                }
            }
        }
    }

    @Test
    void aStepKeptAliveKeepsItsGradientsWhileLaterStepsRun() {
        HungarianConfig cfg = HungarianConfig.DEFAULTS;
        Batch first = batch(41, "detr", 1);
        Batch second = batch(42, "detr", 1);
        LossResult want = HungarianLoss.create(cfg, BackendKind.NATIVE).compute(first, true);
        TorchHungarianLoss loss = new TorchHungarianLoss(cfg);
        try (PointerScope kept = new PointerScope()) {
            Tensor[] a = Tensors.leaves(first).get(0);
            Tensor la = loss.forward(a[0], a[1], TorchTargets.of(first.targets())).loss();
            // more steps, each scoped and finished, before the first one's backward: they must not reuse its memory
            for (int s = 0; s < 6; s++) {
                try (PointerScope step = new PointerScope()) {
                    Tensor[] b = Tensors.leaves(second).get(0);
                    loss.forward(b[0], b[1], TorchTargets.of(second.targets())).loss().backward();
                }
            }
            la.backward();
            assertArrayEquals(want.gradLogits(), Tensors.read(a[0].grad()));
            assertArrayEquals(want.gradBoxes(), Tensors.read(a[1].grad()));
        }
    }

    @Test
    void predictionsWithoutGradientsGetThePlainValueOnBothRoutes() {
        Batch batch = batch(43, "detr", 3);
        TorchHungarianLoss loss = new TorchHungarianLoss();
        LossResult want = HungarianLoss.create(HungarianConfig.DEFAULTS, BackendKind.NATIVE).compute(batch, false);
        try (PointerScope scope = new PointerScope()) {
            List<Tensor> logits = new ArrayList<>();
            List<Tensor> boxes = new ArrayList<>();
            for (int l = 0; l < 3; l++) {
                logits.add(Tensors.floats(Tensors.decoderLayer(batch, l).logits(), 4, 8, batch.numLogits()));
                boxes.add(Tensors.floats(Tensors.decoderLayer(batch, l).boxes(), 4, 8, 4));
            }
            TorchTargets targets = TorchTargets.of(batch.targets());
            TorchLossOutput host = loss.forward(logits, boxes, targets, null);
            TorchLossOutput device = loss.runDeviceRoute(DecoderTensors.read(logits, boxes, 2), targets,
                    new HostTwinKernel(HungarianConfig.DEFAULTS));
            for (TorchLossOutput out : List.of(host, device)) {
                assertEquals(false, out.loss().requires_grad(), out.backend());
                assertEquals(0, out.loss().dim(), out.backend());
                assertEquals((float) want.totalAllLayers(), out.loss().item().toFloat(), out.backend());
                assertEquals(want.loss(), out.terms(), out.backend());
            }
        }
    }

    private static TorchLossOutput call(TorchHungarianLoss loss, List<Tensor[]> leaves, TorchTargets targets,
            String form) {
        if (leaves.size() == 1) {
            return loss.forward(leaves.get(0)[0], leaves.get(0)[1], targets);
        }
        List<Tensor> logits = new ArrayList<>();
        List<Tensor> boxes = new ArrayList<>();
        for (Tensor[] l : leaves) {
            logits.add(l[0]);
            boxes.add(l[1]);
        }
        if (form.equals("list")) {
            return loss.forward(logits, boxes, targets, null);
        }
        // a stacked decoder output (L, B, Q, ·), built through autograd as a model's torch.stack(hs) would be
        return loss.forward(torch.stack(new TensorVector(logits.toArray(new Tensor[0]))),
                torch.stack(new TensorVector(boxes.toArray(new Tensor[0]))), targets);
    }
}

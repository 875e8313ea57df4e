package dev.hungarian4j.pytorch;

import dev.hungarian4j.Batch;
import dev.hungarian4j.InvalidInputException;
import dev.hungarian4j.Targets;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.DeviceOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Wrong dtype, layout, shape, device or value: an InvalidInputException naming the argument, never a JVM crash. */
class BadInputTest {
    private static void expect(String field, Executable call) {
        InvalidInputException e = assertThrows(InvalidInputException.class, call);
        assertEquals(field, e.field(), e.getMessage());
    }

    @Test
    void badTensorsNameTheArgument() {
        Batch batch = ArrayParityTest.batch(91, "detr", 1);
        TorchHungarianLoss loss = new TorchHungarianLoss();
        TorchTargets targets = TorchTargets.of(batch.targets());
        int b = batch.batch();
        int q = batch.queries();
        int c = batch.numLogits();
        try (PointerScope scope = new PointerScope()) {
            Tensor logits = Tensors.floats(batch.predictions().logits(), b, q, c);
            Tensor boxes = Tensors.floats(batch.predictions().boxes(), b, q, 4);
            expect("pred_logits", () -> loss.forward(null, boxes, targets));
            expect("pred_logits", () -> loss.forward(logits.to(torch.ScalarType.Double), boxes, targets));
            expect("pred_boxes", () -> loss.forward(logits, boxes.to(torch.ScalarType.Half), targets));
            expect("pred_logits", () -> loss.forward(logits.transpose(0, 1).contiguous().transpose(0, 1), boxes,
                    targets));
            expect("pred_logits", () -> loss.forward(logits.reshape(b * q, c), boxes, targets));
            expect("pred_boxes", () -> loss.forward(logits, boxes.reshape(b, q * 4, 1), targets));
            expect("pred_boxes", () -> loss.forward(logits.unsqueeze(0), boxes, targets));
            // a stack of L layers needs boxes of the same L (the CUDA route reads both as one (L,B,Q,.) stack)
            expect("pred_boxes", () -> loss.forward(torch.stack(new TensorVector(logits, logits)),
                    torch.stack(new TensorVector(boxes, boxes, boxes)), targets));
            Tensor meta = torch.empty(new long[] {b, q, c}, new TensorOptions(torch.ScalarType.Float)
                    .device(new DeviceOptional(new Device("meta"))), null);
            expect("pred_logits", () -> loss.forward(meta, boxes, targets));
            Tensor metaBoxes = torch.empty(new long[] {b, q, 4}, new TensorOptions(torch.ScalarType.Float)
                    .device(new DeviceOptional(new Device("meta"))), null);
            expect("pred_boxes", () -> loss.forward(logits, metaBoxes, targets));
            expect("targets", () -> loss.forward(logits, boxes, null));
            expect("targets", () -> loss.forward(logits.narrow(0, 0, b - 1).contiguous(),
                    boxes.narrow(0, 0, b - 1).contiguous(), targets));
            expect("pred_logits[1]", () -> loss.forward(List.of(logits, logits.narrow(1, 0, q - 1).contiguous()),
                    List.of(boxes, boxes.narrow(1, 0, q - 1).contiguous()), targets, null));
            expect("pred_boxes", () -> loss.forward(List.of(logits, logits), List.of(boxes), targets, null));
            float[] bad = batch.predictions().logits().clone();
            bad[7] = Float.NaN;
            InvalidInputException nan = assertThrows(InvalidInputException.class,
                    () -> loss.forward(Tensors.floats(bad, b, q, c), boxes, targets));
            assertEquals(true, nan.field().startsWith("pred_logits"), nan.getMessage());
            Targets outOfRange = new Targets(new int[] {0, 1, 1, 1, 1}, new int[] {c + 3},
                    new float[] {0.5f, 0.5f, 0.1f, 0.1f});
            InvalidInputException label = assertThrows(InvalidInputException.class,
                    () -> loss.forward(logits, boxes, TorchTargets.of(outOfRange)));
            assertEquals(true, label.field().contains("labels"), label.getMessage());
        }
    }

    @Test
    void badTargetTensorsNameTheImage() {
        try (PointerScope scope = new PointerScope()) {
            Tensor labels = torch.empty(new long[] {2}, new TensorOptions(torch.ScalarType.Long), null).fill_(
                    new org.bytedeco.pytorch.Scalar(1));
            Tensor boxes = Tensors.floats(new float[] {.5f, .5f, .1f, .1f, .3f, .3f, .2f, .2f}, 2, 4);
            expect("targets.labels", () -> TorchTargets.of(List.of(), List.of()));
            expect("targets.boxes", () -> TorchTargets.of(List.of(labels), List.of(boxes, boxes)));
            expect("targets.labels[0]", () -> TorchTargets.of(List.of(labels.to(torch.ScalarType.Float)),
                    List.of(boxes)));
            expect("targets.boxes[1]", () -> TorchTargets.of(List.of(labels, labels), List.of(boxes,
                    boxes.reshape(4, 2))));
            expect("targets.boxes[0]", () -> TorchTargets.of(List.of(labels), List.of(boxes.t().contiguous().t())));
            expect("targets", () -> TorchTargets.of((Targets) null));
        }
    }
}

package dev.hungarian4j.natives;

import dev.hungarian4j.InvalidInputException;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The host-side checks of {@link CudaDeviceLoss}'s {@link DeviceBatch}/{@link DeviceOutputs} calls, which run before
 * any device is touched (so they are tested here without a GPU): shapes, missing pointers, negative positions.
 */
class DeviceBatchTest {
    @Test
    void shapesAreCheckedAtConstruction() {
        assertEquals("batch", assertThrows(InvalidInputException.class, () -> new DeviceBatch(0, 1, 2, 0)).field());
        assertEquals("numLogits", assertThrows(InvalidInputException.class,
                () -> new DeviceBatch(1, 1, -1, 0)).field());
        assertEquals("maxM", assertThrows(InvalidInputException.class, () -> new DeviceBatch(1, 1, 2, -1)).field());
        assertEquals("queries", assertThrows(InvalidInputException.class,
                () -> new DeviceBatch(1 << 16, 1 << 16, 2, 0)).field());
    }

    @Test
    void missingPointersAndNegativePositionsAreRefusedBeforeTheDevice() {
        // JavaCPP's own natives live in this library: load it before the first pointer (as before this test)
        org.junit.jupiter.api.Assertions.assertTrue(NativeBackend.status().available());
        try (FloatPointer f = new FloatPointer(16); IntPointer i = new IntPointer(16)) {
            DeviceBatch in = new DeviceBatch(2, 2, 3, 1).predictions(f, f).targets(i, i, f);
            DeviceOutputs out = new DeviceOutputs().terms(f).assignment(i);
            CudaDeviceLoss.checkCall(in, out, true, null, 0); // all set: passes
            assertEquals("assign_out", assertThrows(InvalidInputException.class,
                    () -> CudaDeviceLoss.checkCall(in, new DeviceOutputs().terms(f), true, null, 0)).field());
            CudaDeviceLoss.checkCall(in, new DeviceOutputs().terms(f), false, null, 0); // loss: no assignment
            assertEquals("pred_boxes", assertThrows(InvalidInputException.class, () -> CudaDeviceLoss.checkCall(
                    new DeviceBatch(2, 2, 3, 1).predictions(f, null).targets(i, i, f), out, true, null, 0)).field());
            assertEquals("workspace_bytes", assertThrows(InvalidInputException.class,
                    () -> CudaDeviceLoss.checkCall(in, out, true, null, -1)).field());
            Pointer back = new Pointer(f).position(-4);
            assertEquals("offsets", assertThrows(InvalidInputException.class, () -> CudaDeviceLoss.checkCall(
                    new DeviceBatch(2, 2, 3, 1).predictions(f, f).targets(back, i, f), out, true, null, 0)).field());
            assertEquals("grad_logits", assertThrows(InvalidInputException.class,
                    () -> new DeviceOutputs().gradients(null, f)).field());
            assertEquals("in", assertThrows(InvalidInputException.class,
                    () -> CudaDeviceLoss.checkCall(null, out, true, null, 0)).field());
        }
    }
}

package dev.hungarian4j.natives;

import dev.hungarian4j.HungarianException;
import dev.hungarian4j.InvalidInputException;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link CudaDeviceLoss#forwardLayers} (one launch sequence for L stacked layers) without a GPU: its host-side checks,
 * which run before any device is touched, name the argument; its workspace query checks the sizes in Java first and
 * otherwise reports the library's "no device" status; the binding of {@code h4j_cuda_forward_layers} answers that
 * status without touching its (host) stand-ins for device pointers.
 */
class CudaDeviceLossLayersTest {
    private static String field(Executable call) {
        return assertThrows(InvalidInputException.class, call).field();
    }

    @Test
    void theLayeredCallsHostChecksNameTheArgument() {
        assertTrue(NativeBackend.status().available()); // JavaCPP's natives live in this library: load it first
        try (FloatPointer f = new FloatPointer(16); IntPointer i = new IntPointer(16)) {
            DeviceBatch in = new DeviceBatch(2, 3, 4, 2).predictions(f, f).targets(i, i, f);
            DeviceOutputs out = new DeviceOutputs().terms(f).assignment(i);
            CudaDeviceLoss.checkLayersCall(1, in, out, null, 0); // all set: passes
            CudaDeviceLoss.checkLayersCall(6, in, out, f, 256);
            assertEquals("layers", field(() -> CudaDeviceLoss.checkLayersCall(0, in, out, null, 0)));
            assertEquals("layers", field(() -> CudaDeviceLoss.checkLayersCall(-3, in, out, null, 0)));
            // L*B*Q past 32-bit assignment indices
            DeviceBatch wide = new DeviceBatch(1 << 15, 1 << 15, 2, 0).predictions(f, f).targets(i, i, f);
            assertEquals("layers", field(() -> CudaDeviceLoss.checkLayersCall(2, wide, out, null, 0)));
            assertEquals("in", field(() -> CudaDeviceLoss.checkLayersCall(2, null, out, null, 0)));
            assertEquals("out", field(() -> CudaDeviceLoss.checkLayersCall(2, in, null, null, 0)));
            assertEquals("pred_logits", field(() -> CudaDeviceLoss.checkLayersCall(2,
                    new DeviceBatch(2, 3, 4, 2).predictions(null, f).targets(i, i, f), out, null, 0)));
            assertEquals("offsets", field(() -> CudaDeviceLoss.checkLayersCall(2,
                    new DeviceBatch(2, 3, 4, 2).predictions(f, f).targets(null, i, f), out, null, 0)));
            assertEquals("assign_out", field(() -> CudaDeviceLoss.checkLayersCall(2, in,
                    new DeviceOutputs().terms(f), null, 0)));
            assertEquals("terms_out", field(() -> CudaDeviceLoss.checkLayersCall(2, in,
                    new DeviceOutputs().assignment(i), null, 0)));
            Pointer back = new Pointer(f).position(-1);
            assertEquals("grad_boxes", field(() -> CudaDeviceLoss.checkLayersCall(2, in,
                    new DeviceOutputs().terms(f).assignment(i).gradients(f, back), null, 0)));
            assertEquals("workspace_bytes", field(() -> CudaDeviceLoss.checkLayersCall(2, in, out, f, -1)));
        }
    }

    @Test
    void theWorkspaceQueryNamesABadSizeBeforeAskingTheDevice() {
        assertEquals("layers", field(() -> CudaDeviceLoss.forwardLayersWorkspaceBytes(0, 2, 3, 4, 5, 2)));
        assertEquals("batch", field(() -> CudaDeviceLoss.forwardLayersWorkspaceBytes(6, 0, 3, 4, 5, 2)));
        assertEquals("queries", field(() -> CudaDeviceLoss.forwardLayersWorkspaceBytes(6, 2, -1, 4, 5, 2)));
        assertEquals("numLogits", field(() -> CudaDeviceLoss.forwardLayersWorkspaceBytes(6, 2, 3, 0, 5, 2)));
        assertEquals("totalTargets", field(() -> CudaDeviceLoss.forwardLayersWorkspaceBytes(6, 2, 3, 4, -5, 2)));
        assertEquals("maxM", field(() -> CudaDeviceLoss.forwardLayersWorkspaceBytes(6, 2, 3, 4, 5, -2)));
        assertEquals("layers", field(() -> CudaDeviceLoss.forwardLayersWorkspaceBytes(3, 1 << 15, 1 << 15, 2, 0,
                0)));
    }

    @Test
    void withoutADeviceTheLayeredEntryPointsAnswerNoDevice() {
        Assumptions.assumeTrue(NativeLibrary.h4j_cuda_available() == 0, "a CUDA device is usable here");
        HungarianException e = assertThrows(HungarianException.class,
                () -> CudaDeviceLoss.forwardLayersWorkspaceBytes(6, 2, 3, 4, 5, 2));
        assertEquals(3, e.status(), e.getMessage());
        assertTrue(e.getMessage().contains("h4j_cuda_forward_layers_workspace_size"), e.getMessage());
        System.out.println("[CudaDeviceLossLayersTest] no device here, as expected: " + e.getMessage());
        double[] cfg = NativeConfig.pack(dev.hungarian4j.HungarianConfig.DEFAULTS);
        // host stand-ins for device pointers: without a device nothing may touch them
        try (FloatPointer f = new FloatPointer(64); IntPointer i = new IntPointer(64);
                DoublePointer d = new DoublePointer(64)) {
            assertEquals(3, NativeLibrary.h4j_cuda_forward_layers(6, 2, 3, 4, 2, f, f, i, i, f, cfg, f, 256, i, d, d,
                    f, f, i, null));
            assertEquals(3, NativeLibrary.h4j_cuda_forward_layers(1, 2, 3, 4, 2, f, f, i, i, f, cfg, null, 0, i, null,
                    d, null, null, null, null));
        }
        assertTrue(NativeLibrary.h4j_last_error().length() > 0);
    }
}

package dev.hungarian4j.pytorch;

import dev.hungarian4j.Batch;
import dev.hungarian4j.HungarianConfig;
import dev.hungarian4j.InvalidInputException;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CUDA route's stream: with none given, libtorch's current stream of the predictions' device is asked for and
 * used; a given one is used as it is; when the current stream cannot be obtained the call fails naming
 * {@code cudaStream}, before anything runs. A fake lookup stands in for libtorch's (its natives exist only in the
 * presets' GPU build); the real one is checked to fail with that message on the CPU build.
 */
class CudaStreamTest {
    /** A lookup that records the device asked for and answers a fixed pointer. */
    private static final class FakeLookup implements CudaStreamLookup {
        final Pointer stream;
        final List<Byte> asked = new ArrayList<>();

        FakeLookup(Pointer stream) {
            this.stream = stream;
        }

        @Override
        public Pointer current(byte deviceIndex) {
            asked.add(deviceIndex);
            return stream;
        }
    }

    /** A recognisable stand-in for a {@code cudaStream_t}: never dereferenced. */
    private static Pointer fakeStream(long address) {
        return TensorOps.at(address);
    }

    @Test
    void withoutAStreamTheCurrentStreamOfThePredictionsDeviceIsUsed() {
        Pointer current = fakeStream(0x5EED0L);
        FakeLookup lookup = new FakeLookup(current);
        assertSame(current, lookup.streamFor(null, new Device("cuda:1")));
        assertSame(current, lookup.streamFor(null, new Device("cuda:0")));
        assertEquals(List.of((byte) 1, (byte) 0), lookup.asked, "the device index of the predictions");
        Pointer given = fakeStream(0xABCL);
        assertSame(given, lookup.streamFor(given, new Device("cuda:1")));
        assertEquals(2, lookup.asked.size(), "a given stream is never looked up");
    }

    @Test
    void theDeviceRouteEnqueuesOnTheLookedUpStreamOrOnTheGivenOne() {
        HungarianConfig cfg = HungarianConfig.DEFAULTS;
        Batch batch = ArrayParityTest.batch(7, "detr", 2);
        TorchHungarianLoss loss = new TorchHungarianLoss(cfg);
        HostTwinKernel twin = new HostTwinKernel(cfg);
        Pointer current = fakeStream(0xC0FFEEL);
        FakeLookup lookup = new FakeLookup(current);
        try (PointerScope scope = new PointerScope()) {
            DecoderTensors p = decoder(batch);
            loss.runDeviceRoute(p, TorchTargets.of(batch.targets()), twin, lookup, null);
            assertSame(current, twin.lastStream, "the kernel got the current stream");
            assertEquals(List.of(p.device().index()), lookup.asked);
            Pointer given = fakeStream(0xBEEFL);
            loss.runDeviceRoute(decoder(batch), TorchTargets.of(batch.targets()), twin, lookup, given);
            assertSame(given, twin.lastStream, "the kernel got the given stream");
            assertEquals(1, lookup.asked.size(), "a given stream is never looked up");
        }
    }

    @Test
    void whenNoCurrentStreamCanBeObtainedTheCallFailsNamingCudaStreamBeforeTheKernel() {
        HungarianConfig cfg = HungarianConfig.DEFAULTS;
        Batch batch = ArrayParityTest.batch(8, "detr", 2);
        TorchHungarianLoss loss = new TorchHungarianLoss(cfg);
        HostTwinKernel twin = new HostTwinKernel(cfg);
        CudaStreamLookup failing = device -> {
            throw TorchCudaStreamLookup.failure(device, new UnsatisfiedLinkError("no jnitorch_cuda"));
        };
        try (PointerScope scope = new PointerScope()) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> loss.runDeviceRoute(
                    decoder(batch), TorchTargets.of(batch.targets()), twin, failing, null));
            assertEquals("cudaStream", e.field());
            assertEquals(0, twin.calls, "nothing ran");
            assertTrue(e.getMessage().contains("no jnitorch_cuda"), e.getMessage());
        }
        InvalidInputException one = TorchCudaStreamLookup.failure((byte) 1, new UnsatisfiedLinkError("x"));
        assertTrue(one.getMessage().contains("on cuda:1"), one.getMessage());
        assertTrue(one.getMessage().contains("torch_cuda.getCurrentCUDAStream((byte) 1).stream()"), one.getMessage());
        assertTrue(one.getMessage().contains("new Pointer() for CUDA's legacy default stream"), one.getMessage());
        assertTrue(one.getCause() instanceof UnsatisfiedLinkError);
    }

    @Test
    void theRealLookupOnTheCpuBuildFailsWithTheClearMessage() {
        if (torch.cuda_is_available()) {
            // the presets' GPU build with a device: the lookup works (the default stream may be address 0)
            Pointer s = new TorchCudaStreamLookup().current((byte) 0);
            System.out.println("[CudaStreamTest] libtorch's current stream of cuda:0: "
                    + (s == null ? "null (the legacy default stream)" : s.address()));
            return;
        }
        for (int attempt = 0; attempt < 2; attempt++) { // the second finds torch_cuda's failed initialisation
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> new TorchCudaStreamLookup().current((byte) 0));
            assertEquals("cudaStream", e.field());
            assertTrue(e.getMessage().contains("getCurrentCUDAStream"), e.getMessage());
            assertTrue(e.getMessage().contains("Pass the stream explicitly"), e.getMessage());
            assertNotNull(e.getCause());
            System.out.println("[CudaStreamTest] CPU build, as expected: " + e.getMessage());
        }
        InvalidInputException missing = assertThrows(InvalidInputException.class,
                () -> new TorchCudaStreamLookup("no.such.TorchCuda").current((byte) 2));
        assertEquals("cudaStream", missing.field());
        assertTrue(missing.getCause() instanceof ClassNotFoundException, String.valueOf(missing.getCause()));
        assertTrue(missing.getMessage().contains("cuda:2"), missing.getMessage());
    }

    private static DecoderTensors decoder(Batch batch) {
        List<Tensor> l = new ArrayList<>();
        List<Tensor> b = new ArrayList<>();
        for (Tensor[] p : Tensors.leaves(batch)) {
            l.add(p[0]);
            b.add(p[1]);
        }
        return DecoderTensors.read(l, b, 2);
    }
}

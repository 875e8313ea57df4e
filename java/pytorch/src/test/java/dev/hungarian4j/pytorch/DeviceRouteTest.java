package dev.hungarian4j.pytorch;

import dev.hungarian4j.BackendUnavailableException;
import dev.hungarian4j.Batch;
import dev.hungarian4j.HungarianConfig;
import dev.hungarian4j.natives.CudaBackend;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CUDA route: its routing decision, its refusal without a usable GPU, and its logic (targets made on the device,
 * all layers in one kernel call on the stack by address, terms and assignment as device tensors, a device-side loss
 * value, host copies on demand) run on CPU tensors with {@link HostTwinKernel} in place of the launch and compared
 * with the CPU route. The same comparison on a GPU runs only where libtorch has CUDA and the library sees a device,
 * and says why it skips.
 */
class DeviceRouteTest {
    @Test
    void cudaTensorsTakeTheCudaRouteAndCpuTensorsTheNativeOne() {
        assertEquals(TorchHungarianLoss.Route.CUDA, TorchHungarianLoss.route(new Device("cuda:0")));
        assertEquals(TorchHungarianLoss.Route.CUDA, TorchHungarianLoss.route(new Device("cuda:1")));
        assertEquals(TorchHungarianLoss.Route.HOST, TorchHungarianLoss.route(new Device("cpu")));
    }

    @Test
    void theCudaRouteWithoutAUsableDeviceIsRefusedWithTheReason() {
        Assumptions.assumeFalse(CudaBackend.status().available(), "a CUDA device is usable here");
        TorchHungarianLoss loss = new TorchHungarianLoss();
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class, loss::cudaRoute);
        System.out.println("[DeviceRouteTest] CUDA route refused here as expected: " + e.getMessage());
        assertTrue(e.getMessage().contains("cuda"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"detr", "groups", "focal", "focal1"})
    void theDeviceRouteOnCpuTensorsEqualsTheNativeRoute(String variant) {
        HungarianConfig cfg = ArrayParityTest.config(variant);
        Batch batch = ArrayParityTest.batch(57, variant, 3);
        TorchHungarianLoss loss = new TorchHungarianLoss(cfg);
        HostTwinKernel twin = new HostTwinKernel(cfg);
        for (boolean tensorTargets : new boolean[] {true, false}) {
            try (PointerScope scope = new PointerScope()) {
                List<Tensor[]> a = Tensors.leaves(batch);
                List<Tensor[]> b = Tensors.leaves(batch);
                TorchTargets targets = tensorTargets ? Tensors.tensorTargets(batch.targets())
                        : TorchTargets.of(batch.targets());
                TorchLossOutput want = loss.forward(logits(a), boxes(a), targets, null);
                want.loss().backward();
                int before = twin.calls;
                TorchLossOutput got = loss.runDeviceRoute(DecoderTensors.read(logits(b), boxes(b), cfg.lossClass()
                        == dev.hungarian4j.LossClass.FOCAL ? 1 : 2), targets, twin);
                assertEquals(1, twin.calls - before, "one kernel call for all layers");
                assertEquals(3, twin.lastLayers);
                assertEquals("cpu-twin", got.backend());
                assertEquals(want.loss().item().toFloat(), got.loss().item().toFloat());
                got.loss().backward();
                assertEquals(want.layerTerms(), got.layerTerms());
                for (int l = 0; l < 3; l++) {
                    assertArrayEquals(want.layerAssignment(l), got.layerAssignment(l), "layer " + l);
                    assertArrayEquals(Tensors.read(a.get(l)[0].grad()), Tensors.read(b.get(l)[0].grad()));
                    assertArrayEquals(Tensors.read(a.get(l)[1].grad()), Tensors.read(b.get(l)[1].grad()));
                }
            }
        }
    }

    @Test
    void onAGpuTheCudaRouteMatchesTheNativeRoute() {
        Assumptions.assumeTrue(torch.cuda_is_available(), "libtorch here has no CUDA (the presets' CPU build, or no "
                + "GPU): the CUDA route's logic is tested by theDeviceRouteOnCpuTensorsEqualsTheNativeRoute");
        Assumptions.assumeTrue(CudaBackend.status().available(), "hungarian4j sees no CUDA device: "
                + CudaBackend.status().detail());
        HungarianConfig cfg = HungarianConfig.DEFAULTS;
        Batch batch = ArrayParityTest.batch(61, "detr", 3);
        TorchHungarianLoss loss = new TorchHungarianLoss(cfg);
        try (PointerScope scope = new PointerScope()) {
            List<Tensor[]> host = Tensors.leaves(batch);
            TorchLossOutput want = loss.forward(logits(host), boxes(host), TorchTargets.of(batch.targets()), null);
            Device gpu = new Device("cuda:0");
            List<Tensor> gl = new ArrayList<>();
            List<Tensor> gb = new ArrayList<>();
            for (Tensor[] p : host) {
                gl.add(p[0].detach().to(gpu, TensorOps.FLOAT));
                gb.add(p[1].detach().to(gpu, TensorOps.FLOAT));
            }
            TorchLossOutput got = loss.forward(gl, gb, TorchTargets.of(batch.targets()), null);
            assertEquals("cuda", got.backend());
            assertEquals(want.totalAllLayers(), got.totalAllLayers(), 1e-5 * Math.abs(want.totalAllLayers()));
            float[] w = Tensors.read(want.gradLogits());
            float[] g = Tensors.read(got.gradLogits().cpu());
            for (int i = 0; i < w.length; i++) {
                assertEquals(w[i], g[i], 1e-6, "grad logits " + i);
            }
        }
    }

    private static List<Tensor> logits(List<Tensor[]> layers) {
        List<Tensor> out = new ArrayList<>();
        layers.forEach(p -> out.add(p[0]));
        return out;
    }

    private static List<Tensor> boxes(List<Tensor[]> layers) {
        List<Tensor> out = new ArrayList<>();
        layers.forEach(p -> out.add(p[1]));
        return out;
    }
}

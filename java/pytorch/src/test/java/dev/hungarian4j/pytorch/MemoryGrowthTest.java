package dev.hungarian4j.pytorch;

import dev.hungarian4j.Batch;
import dev.hungarian4j.SyntheticBatch;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 1,000 training steps (aux layers stacked through autograd, forward, backward, each step in a {@code PointerScope} as
 * presets code is written) must not grow memory: the process's resident set and JavaCPP's count of native bytes are
 * printed at step 100 and at the end, and the gradient tensors are the same memory at every step (reused, not
 * reallocated).
 */
class MemoryGrowthTest {
    private static final int STEPS = 1000;
    private static final int WARMUP = 100;

    @Test
    void aThousandStepsDoNotGrowMemoryAndReuseTheGradientTensors() throws IOException {
        Batch batch = SyntheticBatch.generate(81, 50, 20, new int[] {4, 9, 0, 13}, 3,
                dev.hungarian4j.LossClass.CE);
        TorchHungarianLoss loss = new TorchHungarianLoss();
        long rssWarm = 0;
        long bytesWarm = 0;
        long gradAddress = -1;
        for (int step = 0; step < STEPS; step++) {
            try (PointerScope scope = new PointerScope()) {
                List<Tensor[]> leaves = Tensors.leaves(batch);
                Tensor logits = torch.stack(new TensorVector(leaves.get(0)[0], leaves.get(1)[0], leaves.get(2)[0]));
                Tensor boxes = torch.stack(new TensorVector(leaves.get(0)[1], leaves.get(1)[1], leaves.get(2)[1]));
                TorchLossOutput out = loss.forward(logits, boxes, TorchTargets.of(batch.targets()));
                out.loss().backward();
                long address = TensorOps.address(out.gradLogits());
                if (step == WARMUP) {
                    gradAddress = address;
                } else if (step > WARMUP) {
                    assertEquals(gradAddress, address, "step " + step + " wrote its gradients into new memory");
                }
            }
            if (step == WARMUP) {
                System.gc();
                rssWarm = rssBytes();
                bytesWarm = Pointer.physicalBytes();
            }
        }
        System.gc();
        long rssEnd = rssBytes();
        long bytesEnd = Pointer.physicalBytes();
        System.out.printf("[MemoryGrowthTest] RSS at step %d: %.1f MB, at step %d: %.1f MB; JavaCPP physicalBytes "
                + "%.1f MB -> %.1f MB; totalBytes (JavaCPP-tracked allocations) %d%n", WARMUP, rssWarm / 1e6, STEPS,
                rssEnd / 1e6, bytesWarm / 1e6, bytesEnd / 1e6, Pointer.totalBytes());
        // a leak of one step's tensors (3 layers x 4 x 50 x 21 floats, ~50 kB) over 900 steps would be ~45 MB
        assertTrue(rssEnd - rssWarm < 20_000_000L, "RSS grew by " + (rssEnd - rssWarm) + " bytes");
    }

    private static long rssBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return 1024 * Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS in /proc/self/status");
    }
}

package dev.hungarian4j.pytorch;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Storage;
import org.bytedeco.pytorch.Tensor;

import java.util.Arrays;

/**
 * The gradient tensors the criterion writes, owned by the adapter and reused from step to step: fresh memory is slow
 * on first touch (page faults, see DESIGN.md), and a step's gradients are as large as its logits. A pair is handed
 * out again only once nothing but the adapter holds its memory any more (libtorch's storage reference count): until
 * the step's autograd graph and any tensor the caller kept from it are gone, its backward pass may still read it.
 * When every slot is still held, a fresh pair is allocated and the oldest slot forgotten (freed by libtorch once its
 * holders let go), so memory stays bounded whatever the caller keeps.
 *
 * <p>The tensors are retained against the caller's {@code PointerScope} (JavaCPP would free a tensor created inside a
 * scope when that scope closes) and released when replaced. Not thread-safe.
 */
final class GradientTensors {
    /** A training step needs one pair; a few more cover evaluation calls and a kept output. */
    private static final int SLOTS = 3;

    private final Tensor[][] slots = new Tensor[SLOTS][];
    private int next;

    /**
     * A float32 pair shaped like the predictions, on their device, whose contents the caller overwrites.
     *
     * @param p the predictions
     * @return {gradLogits, gradBoxes}
     */
    Tensor[] acquire(DecoderTensors p) {
        long[] ls = DecoderTensors.sizes(p.logits);
        long[] bs = DecoderTensors.sizes(p.boxes);
        Device device = p.device();
        int reuse = -1;
        int empty = -1;
        for (int i = 0; i < SLOTS; i++) {
            Tensor[] s = slots[i];
            if (s == null) {
                empty = empty < 0 ? i : empty;
                continue;
            }
            if (fits(s, ls, bs, device) && unheld(s[0]) && unheld(s[1])) {
                reuse = i;
                break;
            }
        }
        if (reuse >= 0) {
            return slots[reuse];
        }
        int slot = empty >= 0 ? empty : next;
        next = (slot + 1) % SLOTS;
        release(slots[slot]);
        Tensor gl = TensorOps.empty(ls, TensorOps.FLOAT, device);
        Tensor gb = TensorOps.empty(bs, TensorOps.FLOAT, device);
        gl.retainReference();
        gb.retainReference();
        slots[slot] = new Tensor[] {gl, gb};
        return slots[slot];
    }

    private static boolean fits(Tensor[] s, long[] ls, long[] bs, Device device) {
        return DecoderTensors.sameDevice(s[0].device(), device)
                && Arrays.equals(DecoderTensors.sizes(s[0]), ls) && Arrays.equals(DecoderTensors.sizes(s[1]), bs);
    }

    /**
     * Nobody but this slot holds the memory: the storage is referenced by our tensor alone (no view saved in a graph,
     * no tensor a caller made from it).
     */
    private static boolean unheld(Tensor t) {
        if (t.use_count() != 1) {
            return false;
        }
        try (Storage s = t.storage()) {
            return s.use_count() == 1; // the handle t.storage() returns is not counted
        }
    }

    private static void release(Tensor[] pair) {
        if (pair != null) {
            pair[0].releaseReference();
            pair[1].releaseReference();
        }
    }
}

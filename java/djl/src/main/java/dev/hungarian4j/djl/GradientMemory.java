package dev.hungarian4j.djl;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Host memory for the gradients the native call writes, reused from step to step. Fresh tensor memory is slow on
 * first touch (page faults: the kernel zeroes every page, see DESIGN.md), and the criterion would write a new
 * gradient tensor as large as the logits every step; instead each step's gradient array aliases one of a few
 * direct buffers ({@code NDManager.create(ByteBuffer, …)} wraps the buffer without a copy).
 *
 * <p>A buffer is handed out again only after the array that aliases it has been released (its step's manager
 * closed): until then the autograd graph of that step may still read it in its backward pass. When every buffer is
 * still in use (a caller that keeps steps alive), the array is a fresh allocation of the engine, as without this
 * class, so memory stays bounded. Not thread-safe: the loss serializes its calls.
 */
final class GradientMemory {
    /** A training step needs one buffer per gradient; a few more cover evaluation calls between steps. */
    private static final int SLOTS = 4;

    private final ByteBuffer[] buffers = new ByteBuffer[SLOTS];
    private final NDArray[] aliases = new NDArray[SLOTS];

    /**
     * A float32 CPU array of the given shape in {@code owner}'s manager, uninitialized, whose memory
     * {@link HostTensors#view} reaches in place.
     *
     * @param owner the array whose manager owns the result (a CPU array for reuse; another device gets a fresh
     *              CPU array)
     * @param shape the shape
     * @return the array
     */
    NDArray acquire(NDArray owner, Shape shape) {
        if (!owner.getDevice().equals(Device.cpu())) {
            return HostTensors.newHostFloat32(owner, shape);
        }
        long bytes = 4 * shape.size();
        int free = -1;
        for (int i = 0; i < SLOTS; i++) {
            if (aliases[i] != null && !aliases[i].isReleased()) {
                continue;
            }
            aliases[i] = null;
            if (buffers[i] != null && buffers[i].capacity() >= bytes) {
                free = i;
                break;
            }
            if (free < 0) {
                free = i;
            }
        }
        if (free < 0 || bytes > Integer.MAX_VALUE) {
            return HostTensors.newHostFloat32(owner, shape);
        }
        if (buffers[free] == null || buffers[free].capacity() < bytes) {
            buffers[free] = ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.nativeOrder());
        }
        ByteBuffer region = buffers[free].duplicate().order(ByteOrder.nativeOrder());
        region.position(0).limit((int) bytes);
        NDArray a = owner.getManager().create(region.slice().order(ByteOrder.nativeOrder()), shape, DataType.FLOAT32);
        aliases[free] = a;
        return a;
    }
}

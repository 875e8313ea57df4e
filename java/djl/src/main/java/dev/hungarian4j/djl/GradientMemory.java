package dev.hungarian4j.djl;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

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
     * A gradient array and a direct view of its memory. The view of a reused buffer is the buffer itself, so the
     * step asks the engine for no second view (each DJL call is a JNI round trip: bench/README.md, "DJL").
     */
    record Gradient(NDArray array, FloatBuffer view) {
    }

    /**
     * A float32 CPU array of the given shape in {@code owner}'s manager, uninitialized, whose memory
     * {@link HostTensors#view} reaches in place.
     *
     * @param owner the array whose manager owns the result (a CPU array for reuse; another device gets a fresh
     *              CPU array)
     * @param shape the shape
     * @return the array and its view
     */
    Gradient acquire(NDArray owner, Shape shape) {
        if (!owner.getDevice().equals(Device.cpu())) {
            return fresh(owner, shape);
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
            return fresh(owner, shape);
        }
        if (buffers[free] == null || buffers[free].capacity() < bytes) {
            buffers[free] = ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.nativeOrder());
        }
        ByteBuffer region = buffers[free].duplicate().order(ByteOrder.nativeOrder());
        region.position(0).limit((int) bytes);
        ByteBuffer slice = region.slice().order(ByteOrder.nativeOrder());
        NDArray a = owner.getManager().create(slice, shape, DataType.FLOAT32);
        aliases[free] = a;
        return new Gradient(a, slice.asFloatBuffer());
    }

    private static Gradient fresh(NDArray owner, Shape shape) {
        NDArray a = HostTensors.newHostFloat32(owner, shape);
        return new Gradient(a, HostTensors.view(a));
    }
}

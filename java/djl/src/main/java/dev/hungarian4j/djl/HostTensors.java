package dev.hungarian4j.djl;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.nio.FloatBuffer;

/**
 * Host float32 memory of DJL arrays. A contiguous float32 CPU array is read in place:
 * {@code toByteBuffer(true)} is a direct buffer over the tensor's own memory. Anything else (a GPU array, another
 * dtype, a non-contiguous view) is first copied to a contiguous float32 CPU array: DJL has no API for a device
 * pointer or a CUDA stream, so GPU tensors always take this host copy.
 */
final class HostTensors {
    private HostTensors() {
    }

    /**
     * The array as float32 on the CPU: itself when it already is, else a copy attached to its manager.
     *
     * @param a the array
     * @return {@code a} or a CPU float32 copy
     */
    static NDArray hostFloat32(NDArray a) {
        NDArray h = a.getDevice().equals(Device.cpu()) ? a : a.toDevice(Device.cpu(), false);
        if (h.getDataType() == DataType.FLOAT32) {
            return h;
        }
        NDArray f = h.toType(DataType.FLOAT32, false);
        if (h != a) {
            h.close(); // the intermediate host copy of a GPU array of another dtype
        }
        return f;
    }

    /**
     * A direct float view of a CPU float32 array's memory, from position 0 (a non-contiguous array yields a
     * contiguous copy, made by DJL).
     *
     * @param hostFloat32 a CPU float32 array
     * @return the view; writes through it change the array
     */
    static FloatBuffer view(NDArray hostFloat32) {
        return hostFloat32.toByteBuffer(true).asFloatBuffer();
    }

    /**
     * A new uninitialized float32 CPU array, in the manager of {@code like} (or a CPU child of it when that
     * manager lives on another device), whose memory a {@link #view} reaches in place.
     *
     * @param like  the array whose manager owns the new one
     * @param shape the shape
     * @return the array
     */
    static NDArray newHostFloat32(NDArray like, Shape shape) {
        return like.getManager().create(shape, DataType.FLOAT32, Device.cpu());
    }

    /**
     * The array moved to {@code like}'s device and dtype (itself when it already matches).
     *
     * @param host a CPU float32 array
     * @param like the array whose device and dtype to take
     * @return {@code host} or a converted copy
     */
    static NDArray toDeviceOf(NDArray host, NDArray like) {
        NDArray d = like.getDevice().equals(host.getDevice()) ? host : host.toDevice(like.getDevice(), false);
        return d.getDataType() == like.getDataType() ? d : d.toType(like.getDataType(), false);
    }
}

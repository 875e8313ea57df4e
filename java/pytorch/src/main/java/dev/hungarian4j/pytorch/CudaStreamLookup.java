package dev.hungarian4j.pytorch;

import dev.hungarian4j.InvalidInputException;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.pytorch.Device;

/**
 * Where the CUDA route finds the stream to enqueue on when the caller passes none: libtorch's current CUDA stream of
 * the predictions' device ({@link TorchCudaStreamLookup}), so that the loss runs in order with the libtorch calls
 * around it. Behind an interface so that tests can see the device asked for and the pointer used without a GPU.
 */
interface CudaStreamLookup {
    /**
     * Libtorch's current CUDA stream of a device.
     *
     * @param deviceIndex the CUDA device's index ({@code -1}: libtorch's current device)
     * @return the {@code cudaStream_t}; null (or a pointer at address 0) is CUDA's legacy default stream, which is
     *         what libtorch's default stream is
     * @throws InvalidInputException naming {@code cudaStream} (what the caller can pass instead) when the current
     *                               stream cannot be obtained
     */
    Pointer current(byte deviceIndex);

    /**
     * The stream of one call: the caller's when given, else the current stream of the predictions' device.
     *
     * @param given  the caller's {@code cudaStream_t}, or null to ask libtorch
     * @param device the predictions' CUDA device
     * @return the stream to enqueue on
     * @throws InvalidInputException naming {@code cudaStream} when none was given and none can be obtained
     */
    default Pointer streamFor(Pointer given, Device device) {
        return given != null ? given : current(device.index());
    }
}

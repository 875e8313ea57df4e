package dev.hungarian4j.pytorch;

import org.bytedeco.javacpp.Pointer;

/**
 * What runs one {@link LayerCall} (all of its layers): the CUDA pipeline ({@link CudaLayerKernel}) or, in the tests,
 * a CPU twin that reads the same addresses as host memory, so that everything around the launch is tested without a
 * GPU.
 */
interface LayerKernel {
    /**
     * Runs (or enqueues) every layer's costs, matching, loss and gradients.
     *
     * @param call   the layers' count, shape and addresses
     * @param stream the {@code cudaStream_t} to enqueue on (null or address 0: CUDA's legacy default stream)
     */
    void forward(LayerCall call, Pointer stream);

    /**
     * The backend's name as the command line spells it.
     *
     * @return for example {@code cuda}
     */
    String backend();
}

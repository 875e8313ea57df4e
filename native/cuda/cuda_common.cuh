// hungarian4j — helpers shared by the CUDA sources (error reporting).
#ifndef HUNGARIAN4J_CUDA_COMMON_CUH
#define HUNGARIAN4J_CUDA_COMMON_CUH

#include <cuda_runtime.h>

#include "../src/internal.h"

namespace h4j {
namespace cuda {

/// Status for a failed CUDA call; the message holds the code, its name and its text.
inline int fail(cudaError_t e, const char* what) {
    const bool no_device = e == cudaErrorNoDevice || e == cudaErrorInsufficientDriver ||
                           e == cudaErrorInitializationError;
    return set_error(no_device ? H4J_ERR_NO_DEVICE : H4J_ERR_CUDA, "%s: CUDA error %d (%s): %s",
                     what, (int)e, cudaGetErrorName(e), cudaGetErrorString(e));
}

/// H4J_OK when a device is present, else H4J_ERR_NO_DEVICE with the reason.
inline int require_device() {
    int n = 0;
    const cudaError_t e = cudaGetDeviceCount(&n);
    if (e != cudaSuccess) {
        (void)cudaGetLastError();  // clear the sticky-free error state
        return set_error(H4J_ERR_NO_DEVICE, "no usable CUDA device: cudaGetDeviceCount returned %d (%s): %s",
                         (int)e, cudaGetErrorName(e), cudaGetErrorString(e));
    }
    if (n <= 0) return set_error(H4J_ERR_NO_DEVICE, "no CUDA device found (device count 0)");
    return H4J_OK;
}

}  // namespace cuda
}  // namespace h4j

#endif  // HUNGARIAN4J_CUDA_COMMON_CUH

// hungarian4j — helpers shared by the CUDA sources (error reporting, the entry check).
//
// Error state: the CUDA runtime keeps a per-thread "last error" that cudaGetLastError returns
// (and resets) and that a kernel-launch check reads. Three rules keep it honest:
//   - at entry (require_device), an error pending from the caller's own earlier CUDA calls is
//     cleared, so a launch check of ours never reports it as our failure; a sticky error (the
//     context is unusable) is reported before anything is enqueued;
//   - every failed call we make is cleared as it is reported (fail), so the next check of this
//     or a later call on this thread does not report it again;
//   - launch checks (cudaGetLastError right after <<<>>>) therefore see only that launch.
#ifndef HUNGARIAN4J_CUDA_COMMON_CUH
#define HUNGARIAN4J_CUDA_COMMON_CUH

#include <cuda_runtime.h>

#include "../src/internal.h"

namespace h4j {
namespace cuda {

/// Status for a failed CUDA call; the message holds the code, its name and its text. Clears
/// the thread's last-error state (a no-op for a sticky error, which every later call reports).
inline int fail(cudaError_t e, const char* what) {
    (void)cudaGetLastError();
    const bool no_device = e == cudaErrorNoDevice || e == cudaErrorInsufficientDriver ||
                           e == cudaErrorInitializationError;
    return set_error(no_device ? H4J_ERR_NO_DEVICE : H4J_ERR_CUDA, "%s: CUDA error %d (%s): %s",
                     what, (int)e, cudaGetErrorName(e), cudaGetErrorString(e));
}

/// The entry check of every CUDA entry point: H4J_OK when a device is present and the
/// context usable, else H4J_ERR_NO_DEVICE / H4J_ERR_CUDA with the reason. Clears an error left
/// pending by the caller's earlier CUDA calls (not ours to report); a sticky one survives the
/// clear and is reported here, before anything is enqueued.
inline int require_device() {
    int n = 0;
    const cudaError_t e = cudaGetDeviceCount(&n);
    if (e != cudaSuccess) {
        (void)cudaGetLastError();  // clear the sticky-free error state
        return set_error(H4J_ERR_NO_DEVICE, "no usable CUDA device: cudaGetDeviceCount returned %d (%s): %s",
                         (int)e, cudaGetErrorName(e), cudaGetErrorString(e));
    }
    if (n <= 0) return set_error(H4J_ERR_NO_DEVICE, "no CUDA device found (device count 0)");
    const cudaError_t pending = cudaGetLastError();   // the caller's, if any: cleared
    if (pending != cudaSuccess) {
        const cudaError_t sticky = cudaPeekAtLastError();
        if (sticky != cudaSuccess)
            return set_error(H4J_ERR_CUDA,
                             "the CUDA context was unusable before this call (sticky error %d (%s): "
                             "%s, left by earlier CUDA work of this process); nothing was enqueued",
                             (int)sticky, cudaGetErrorName(sticky), cudaGetErrorString(sticky));
    }
    return H4J_OK;
}

/// Stream-ordered allocation from this library's per-device pool (device_pool.cu), which keeps
/// its memory between calls; free with cudaFreeAsync on a stream ordered after the use.
int pool_alloc_async(void** p, size_t bytes, cudaStream_t stream, const char* what);

}  // namespace cuda
}  // namespace h4j

#endif  // HUNGARIAN4J_CUDA_COMMON_CUH

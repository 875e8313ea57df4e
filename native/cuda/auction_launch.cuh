// hungarian4j — the auction kernel's launcher in two steps, for callers that enqueue more work
// around it (forward_cuda.cu): everything that can fail on the host (device limits, the global
// workspace) happens in prepare_launch, before the caller enqueues anything; enqueue_launch
// then only launches the kernel and frees the workspace stream-ordered.
#ifndef HUNGARIAN4J_AUCTION_LAUNCH_CUH
#define HUNGARIAN4J_AUCTION_LAUNCH_CUH

#include <cuda_runtime.h>

#include <cstddef>

namespace h4j {
namespace auction {

struct PreparedLaunch {
    int B = 0, Q = 0, max_m = 0;
    cudaStream_t stream = nullptr;
    size_t ws = 0;                 // per-problem workspace bytes
    size_t dyn = 0;                // dynamic shared memory of the launch (ws, or 0 with gws)
    unsigned char* gws = nullptr;  // global workspace (stream-ordered), when ws does not fit
    float* pm = nullptr;           // person-major cost copies (stream-ordered), pm_stride floats each
    size_t pm_stride = 0;
};

/// Plans the launch (auction_launch.h) for B problems of Q x (<= max_m) on `stream`; allocates
/// the global workspace when needed. Returns a status (fn names the public entry point).
int prepare_launch(int B, int Q, int max_m, cudaStream_t stream, const char* fn, PreparedLaunch* out);

/// Launches the kernel (nonfinite_flag: optional device word that receives nonfinite_bit when
/// some problem has a non-finite cost) and releases the workspace. Returns a status.
int enqueue_launch(PreparedLaunch& L, const int* offsets, const float* costs, int* assign,
                   double* mcost, int* stats, unsigned int* nonfinite_flag, unsigned int nonfinite_bit,
                   const char* fn);

/// Releases a prepared launch that will not be enqueued (idempotent).
cudaError_t release_launch(PreparedLaunch& L);

}  // namespace auction
}  // namespace h4j

#endif  // HUNGARIAN4J_AUCTION_LAUNCH_CUH

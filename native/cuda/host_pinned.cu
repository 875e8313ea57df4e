// hungarian4j — page-locked host memory for staging the host arrays of the *_host entry points
// (the Java array path): copies from pinned memory are DMA transfers that overlap on the stream,
// where pageable memory is first copied by the driver, synchronously, into its own pinned buffer.
#ifdef H4J_WITH_CUDA

#include "cuda_common.cuh"

extern "C" {

int h4j_cuda_host_alloc(size_t bytes, void** ptr_out) {
    using namespace h4j;
    return guarded("h4j_cuda_host_alloc", [&]() -> int {
        if (int rc = require(ptr_out, "ptr_out")) return rc;
        *ptr_out = nullptr;
        if (bytes == 0) return set_error(H4J_ERR_INVALID_ARG, "bytes is 0; must be >= 1");
        if (int rc = cuda::require_device()) return rc;
        void* p = nullptr;
        const cudaError_t e = cudaMallocHost(&p, bytes);
        if (e != cudaSuccess) return cuda::fail(e, "cudaMallocHost(staging)");
        *ptr_out = p;
        return H4J_OK;
    });
}

int h4j_cuda_host_free(void* ptr) {
    using namespace h4j;
    return guarded("h4j_cuda_host_free", [&]() -> int {
        if (ptr == nullptr) return H4J_OK;
        const cudaError_t e = cudaFreeHost(ptr);
        return e == cudaSuccess ? H4J_OK : cuda::fail(e, "cudaFreeHost(staging)");
    });
}

}  // extern "C"

#endif  // H4J_WITH_CUDA

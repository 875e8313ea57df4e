// hungarian4j — stream-ordered device allocations from a pool of our own, one per device, that
// keeps what it has reserved (release threshold: unlimited): a call that gets no workspace from
// its caller allocates on its stream without a cudaMalloc or a synchronisation in steady state,
// and without changing the device's default pool, which belongs to the application.
#ifdef H4J_WITH_CUDA

#include <cstdint>
#include <mutex>
#include <vector>

#include "cuda_common.cuh"

namespace h4j {
namespace cuda {

namespace {

struct PoolSlot {
    bool tried = false;
    cudaMemPool_t pool = nullptr;  // null: pools unsupported here, use cudaMallocAsync
};

cudaMemPool_t pool_of(int dev) {
    static std::mutex mu;
    static std::vector<PoolSlot> slots;
    std::lock_guard<std::mutex> lock(mu);
    if ((size_t)dev >= slots.size()) slots.resize((size_t)dev + 1);
    PoolSlot& s = slots[(size_t)dev];
    if (!s.tried) {
        s.tried = true;
        int supported = 0;
        if (cudaDeviceGetAttribute(&supported, cudaDevAttrMemoryPoolsSupported, dev) != cudaSuccess || !supported) {
            (void)cudaGetLastError();
            return nullptr;
        }
        cudaMemPoolProps props = {};
        props.allocType = cudaMemAllocationTypePinned;
        props.location.type = cudaMemLocationTypeDevice;
        props.location.id = dev;
        if (cudaMemPoolCreate(&s.pool, &props) != cudaSuccess) {
            (void)cudaGetLastError();
            s.pool = nullptr;
            return nullptr;
        }
        std::uint64_t keep = UINT64_MAX;
        if (cudaMemPoolSetAttribute(s.pool, cudaMemPoolAttrReleaseThreshold, &keep) != cudaSuccess)
            (void)cudaGetLastError();
    }
    return s.pool;
}

}  // namespace

int pool_alloc_async(void** p, size_t bytes, cudaStream_t stream, const char* what) {
    *p = nullptr;
    int dev = 0;
    cudaError_t e = cudaGetDevice(&dev);
    if (e != cudaSuccess) return fail(e, what);
    cudaMemPool_t pool = pool_of(dev);
    e = pool ? cudaMallocFromPoolAsync(p, bytes, pool, stream) : cudaMallocAsync(p, bytes, stream);
    if (e != cudaSuccess) {
        *p = nullptr;
        return fail(e, what);
    }
    return H4J_OK;
}

}  // namespace cuda
}  // namespace h4j

#endif  // H4J_WITH_CUDA

// hungarian4j — the exact auction matcher on the GPU: one thread block per problem, all
// problems of a batch in one launch. The rounds are those of auction_rounds.h (the CPU twin in
// auction_cpu.cpp runs the very same code serially): this file only supplies the executor that
// spreads the per-person / per-object loops over the threads of the block, the per-person scans
// over the 32 lanes of a warp, and the block reductions.
//
// State: the per-problem workspace (workspace_bytes(n, N), about 49 bytes per person and per
// object) lives in dynamic shared memory when the largest problem of the batch fits the
// device's opt-in limit, else in a global-memory workspace (stream-ordered allocation), with the
// same code. Costs are read from global memory (L2).
#ifdef H4J_WITH_CUDA

#include <cuda_runtime.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <vector>

#include "auction_launch.cuh"
#include "cuda_common.cuh"
#include "kernels.cuh"
#include "hungarian4j/auction.h"
#include "hungarian4j/auction_launch.h"
#include "hungarian4j/auction_rounds.h"

namespace h4j {
namespace auction {
namespace {

template <class P>
__device__ __forceinline__ P shfl_xor_p(P v, int m) {
    static_assert(sizeof(P) % 4 == 0, "partials are made of 32-bit words");
    union U { P p; int w[sizeof(P) / 4]; };
    U a, r;
    a.p = v;
#pragma unroll
    for (int k = 0; k < (int)(sizeof(P) / 4); ++k) r.w[k] = __shfl_xor_sync(0xffffffffu, a.w[k], m);
    return r.p;
}

// butterfly: every lane ends with the combination of all 32 (combine is order-independent)
template <class P, class Comb>
__device__ __forceinline__ P warp_all_reduce(P v, Comb comb) {
#pragma unroll
    for (int m = 16; m >= 1; m >>= 1) v = comb(v, shfl_xor_p(v, m));
    return v;
}

/// Executor of one thread block (see the contract above h4j::auction::Ctx).
struct GpuExec {
    unsigned char* scratch;  // kWarps * kScratchPerWarp bytes of shared memory
    int* counter;            // shared

    __device__ bool leader() const { return threadIdx.x == 0; }
    __device__ void sync() const { __syncthreads(); }

    template <class F>
    __device__ void for_each(int count, F f) const {
        for (int i = threadIdx.x; i < count; i += kThreads) f(i);
    }

    template <class P, class Scan, class Comb, class Done>
    __device__ void for_each_warp(int count, P ident, Scan scan, Comb comb, Done done) const {
        const int lane = threadIdx.x & 31, w = threadIdx.x >> 5;
        for (int k = w; k < count; k += kWarps) {
            P p = comb(ident, scan(k, lane, 32));
            p = warp_all_reduce(p, comb);
            if (lane == 0) done(k, p);
        }
    }

    template <class P, class Gen, class Comb>
    __device__ P reduce(int count, P ident, Gen gen, Comb comb) const {
        static_assert(sizeof(P) <= kScratchPerWarp, "scratch too small");
        const int lane = threadIdx.x & 31, w = threadIdx.x >> 5;
        P a = ident;
        for (int i = threadIdx.x; i < count; i += kThreads) a = comb(a, gen(i));
        a = warp_all_reduce(a, comb);
        if (lane == 0) *reinterpret_cast<P*>(scratch + w * kScratchPerWarp) = a;
        __syncthreads();
        P r = lane < kWarps ? *reinterpret_cast<const P*>(scratch + lane * kScratchPerWarp) : ident;
        r = warp_all_reduce(r, comb);  // every warp computes the same result
        __syncthreads();
        return r;
    }

    template <class Pred>
    __device__ int compact(int count, Pred pred, int* list) const {
        if (threadIdx.x == 0) *counter = 0;
        __syncthreads();
        for (int i = threadIdx.x; i < count; i += kThreads) {
            if (pred(i)) list[atomicAdd(counter, 1)] = i;
        }
        __syncthreads();
        const int c = *counter;
        __syncthreads();
        return c;
    }

    template <class F>
    __device__ int leader_int(F f) const {
        if (threadIdx.x == 0) *counter = f();
        __syncthreads();
        const int c = *counter;
        __syncthreads();
        return c;
    }
};

__global__ void __launch_bounds__(kThreads, 1)
auction_kernel(int Q, int max_m, const int* __restrict__ offsets, const float* __restrict__ costs,
               int* __restrict__ assign, double* __restrict__ mcost, int* __restrict__ stats,
               unsigned char* gws, size_t gws_stride, float* pm, size_t pm_stride,
               unsigned int* nonfinite_flag, unsigned int nonfinite_bit) {
    extern __shared__ __align__(16) unsigned char dyn_smem[];
    __shared__ BlockShared sh;   // the kernel's whole static shared memory (auction_launch.h)
    unsigned char* scratch = sh.scratch;
    State& s = sh.s;

    const int b = blockIdx.x;
    const int off = offsets[b];
    const int M = offsets[b + 1] - off;
    int* assign_b = assign + (size_t)b * Q;
    for (int q = threadIdx.x; q < Q; q += kThreads) assign_b[q] = -1;
    if (M < 0 || M > max_m) {  // broken promise of the bounded entry point
        if (threadIdx.x == 0) {
            if (stats)
                for (int k = 0; k < kStatsLen; ++k) stats[(size_t)b * kStatsLen + k] = k == 0 ? -1 : 0;
            if (mcost) mcost[b] = 0.0;
        }
        return;
    }
    const float* block = costs + (size_t)Q * (size_t)off;
    if (threadIdx.x == 0) {
        const int n = M <= Q ? M : Q, N = M <= Q ? Q : M;
        unsigned char* base = gws ? gws + (size_t)b * gws_stride : dyn_smem;
        carve(s, base, n, N);
        // person-major copy (problems with M <= Q): pm_stride >= M * Q floats per problem
        orient(s, block, Q, M, pm ? pm + (size_t)b * pm_stride : nullptr);
    }
    __syncthreads();

    GpuExec x{scratch, &sh.counter};
    const Stats st = solve(x, s);
    __syncthreads();

    const int n = s.n;
    if (n > 0) {   // a refused (non-finite) problem leaves asg at -1: assign stays all -1
        if (M <= Q) {
            for (int i = threadIdx.x; i < n; i += kThreads) {
                const int j = s.asg[i];
                if (j >= 0 && j < Q) assign_b[j] = i;
            }
        } else {
            for (int i = threadIdx.x; i < n; i += kThreads) assign_b[i] = s.asg[i];
        }
    }
    if (threadIdx.x == 0) {
        if (stats)
            for (int k = 0; k < kStatsLen; ++k) stats[(size_t)b * kStatsLen + k] = st.v[k];
        if (mcost) mcost[b] = n > 0 ? matching_cost(s) : 0.0;   // NaN when refused
        if (st.v[kStOutcome] == kNonFinite && nonfinite_flag) atomicOr(nonfinite_flag, nonfinite_bit);
    }
}

// Per device, once: the kernel's static shared bytes and the dynamic limit after setting
// cudaFuncAttributeMaxDynamicSharedMemorySize to the most any launch can use. The attribute is
// process-wide: setting it once, to the maximum, means no launch of another thread ever races
// a change of it.
struct DeviceLimits {
    bool ready = false;
    int rc = H4J_OK;
    size_t static_bytes = 0, dynamic_limit = 0;
};

int device_limits(int dev, const char* fn, size_t* dynamic_limit) {
    static std::mutex mu;
    static std::vector<DeviceLimits> table;
    std::lock_guard<std::mutex> lock(mu);
    if ((size_t)dev >= table.size()) table.resize((size_t)dev + 1);
    DeviceLimits& d = table[(size_t)dev];
    if (!d.ready) {
        int optin = 0;
        cudaError_t e = cudaDeviceGetAttribute(&optin, cudaDevAttrMaxSharedMemoryPerBlockOptin, dev);
        if (e != cudaSuccess) return cuda::fail(e, fn);   // not cached: a later call retries
        cudaFuncAttributes fa;
        e = cudaFuncGetAttributes(&fa, auction_kernel);
        if (e != cudaSuccess) return cuda::fail(e, fn);
        d.static_bytes = std::max(fa.sharedSizeBytes, sizeof(BlockShared));
        d.dynamic_limit = default_dynamic_smem(d.static_bytes);
        const size_t want = max_dynamic_smem(d.static_bytes, (size_t)optin);
        if (want > d.dynamic_limit) {
            e = cudaFuncSetAttribute(auction_kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, (int)want);
            if (e == cudaSuccess) d.dynamic_limit = want;
            else (void)cudaGetLastError();   // keep the default limit; the error is not sticky
        }
        d.ready = true;
    }
    *dynamic_limit = d.dynamic_limit;
    return H4J_OK;
}

}  // namespace

int prepare_launch(int B, int Q, int max_m, cudaStream_t stream, const char* fn, PreparedLaunch* out) {
    *out = PreparedLaunch();
    out->B = B; out->Q = Q; out->max_m = max_m; out->stream = stream;
    int dev = 0;
    cudaError_t e = cudaGetDevice(&dev);
    if (e != cudaSuccess) return cuda::fail(e, fn);
    size_t limit = 0;
    if (int rc = device_limits(dev, fn, &limit)) return rc;
    const LaunchPlan plan = plan_auction_launch(Q, max_m, limit);
    if (!plan.ok)
        return set_error(H4J_ERR_INVALID_ARG,
                         "%s: min(Q, max_m) * max(Q, max_m) = %d * %d; must be < 2^31 for the auction",
                         fn, plan.n, plan.N);
    out->ws = plan.ws_bytes;
    out->dyn = plan.dynamic_bytes;
    // person-major copies for the problems whose persons are the targets (M_b <= Q): M_b * Q
    // floats each, at most min(max_m, Q) * Q
    // floats each, at most min(max_m, Q) * Q. Only a speed-up: skipped above 256 MB or when the
    // pool cannot give it (the kernel then reads the block as written)
    const size_t stride = (size_t)std::min(max_m, Q) * (size_t)Q;
    const size_t pm_bytes = sizeof(float) * stride * (size_t)B;
    if (stride > 0 && pm_bytes <= ((size_t)256 << 20)) {
        void* p = nullptr;
        if (cuda::pool_alloc_async(&p, pm_bytes, stream, fn) == H4J_OK) {
            out->pm = static_cast<float*>(p);
            out->pm_stride = stride;
        } else {
            clear_error();
        }
    }
    if (!plan.in_shared) {
        void* g = nullptr;
        if (int rc = cuda::pool_alloc_async(&g, plan.ws_bytes * (size_t)B, stream, fn)) {
            (void)release_launch(*out);
            return rc;
        }
        out->gws = static_cast<unsigned char*>(g);
    }
    return H4J_OK;
}

int enqueue_launch(PreparedLaunch& L, const int* offsets, const float* costs, int* assign,
                   double* mcost, int* stats, unsigned int* nonfinite_flag, unsigned int nonfinite_bit,
                   const char* fn) {
    auction_kernel<<<L.B, kThreads, L.dyn, L.stream>>>(L.Q, L.max_m, offsets, costs, assign, mcost, stats,
                                                        L.gws, L.ws, L.pm, L.pm_stride, nonfinite_flag,
                                                        nonfinite_bit);
    cudaError_t e = cudaGetLastError();
    const cudaError_t e2 = release_launch(L);
    if (e == cudaSuccess) e = e2;
    if (e != cudaSuccess) return cuda::fail(e, fn);
    return H4J_OK;
}

cudaError_t release_launch(PreparedLaunch& L) {
    cudaError_t e = cudaSuccess;
    if (L.gws) e = cudaFreeAsync(L.gws, L.stream);
    if (L.pm) {
        const cudaError_t e2 = cudaFreeAsync(L.pm, L.stream);
        if (e == cudaSuccess) e = e2;
    }
    L.gws = nullptr;
    L.pm = nullptr;
    return e;
}

namespace {

int launch(int B, int Q, int max_m, const int* offsets, const float* costs, int* assign,
           double* mcost, int* stats, cudaStream_t stream, const char* fn) {
    PreparedLaunch L;
    if (int rc = prepare_launch(B, Q, max_m, stream, fn, &L)) return rc;
    return enqueue_launch(L, offsets, costs, assign, mcost, stats, nullptr, 0u, fn);
}

}  // namespace
}  // namespace auction
}  // namespace h4j

extern "C" int h4j_cuda_match_auction_bounded(int B, int Q, int max_m, const int* offsets_dev,
                                              const float* costs_dev, int* assign_dev,
                                              double* matching_cost_dev, int* stats_dev, void* stream) {
    return h4j::guarded("h4j_cuda_match_auction_bounded", [&]() -> int {
        if (int rc = h4j::validate_sizes(B, Q)) return rc;
        if (max_m < 0)
            return h4j::set_error(H4J_ERR_INVALID_ARG, "max_m is %d; must be >= 0", max_m);
        if (int rc = h4j::require(offsets_dev, "offsets")) return rc;
        if (int rc = h4j::require(assign_dev, "assign")) return rc;
        if (max_m > 0)
            if (int rc = h4j::require(costs_dev, "costs")) return rc;
        if (int rc = h4j::cuda::require_device()) return rc;
        return h4j::auction::launch(B, Q, max_m, offsets_dev, costs_dev, assign_dev, matching_cost_dev,
                                    stats_dev, (cudaStream_t)stream, "h4j_cuda_match_auction_bounded");
    });
}

extern "C" int h4j_cuda_match_auction(int B, int Q, const int* offsets_dev, const float* costs_dev,
                                      int* assign_dev, double* matching_cost_dev, int* stats_dev,
                                      void* stream) {
    return h4j::guarded("h4j_cuda_match_auction", [&]() -> int {
        if (int rc = h4j::validate_sizes(B, Q)) return rc;
        if (int rc = h4j::require(offsets_dev, "offsets")) return rc;
        if (int rc = h4j::cuda::require_device()) return rc;
        std::vector<int> offs((size_t)B + 1);
        cudaStream_t st = (cudaStream_t)stream;
        cudaError_t e = cudaMemcpyAsync(offs.data(), offsets_dev, sizeof(int) * ((size_t)B + 1),
                                        cudaMemcpyDeviceToHost, st);
        if (e == cudaSuccess) e = cudaStreamSynchronize(st);
        if (e != cudaSuccess) return h4j::cuda::fail(e, "h4j_cuda_match_auction: reading offsets");
        long long T = 0;
        if (int rc = h4j::validate_offsets(B, offs.data(), &T)) return rc;
        int max_m = 0;
        for (int b = 0; b < B; ++b) max_m = std::max(max_m, offs[b + 1] - offs[b]);
        if (max_m > 0)
            if (int rc = h4j::require(costs_dev, "costs")) return rc;
        if (int rc = h4j::require(assign_dev, "assign")) return rc;
        return h4j::auction::launch(B, Q, max_m, offsets_dev, costs_dev, assign_dev, matching_cost_dev,
                                    stats_dev, st, "h4j_cuda_match_auction");
    });
}

extern "C" int h4j_cuda_match_auction_host(int B, int Q, const int* offsets, const float* costs,
                                           int* assign_out, double* matching_cost_out, int* stats_out) {
    return h4j::guarded("h4j_cuda_match_auction_host", [&]() -> int {
        if (int rc = h4j::validate_sizes(B, Q)) return rc;
        long long T = 0;
        if (int rc = h4j::validate_offsets(B, offsets, &T)) return rc;
        if (int rc = h4j::require(assign_out, "assign_out")) return rc;
        if (int rc = h4j::validate_costs(B, Q, offsets, costs)) return rc;
        if (int rc = h4j::cuda::require_device()) return rc;
        int max_m = 0;
        for (int b = 0; b < B; ++b) max_m = std::max(max_m, offsets[b + 1] - offsets[b]);
        // the per-thread cached stream and device buffer of the host conveniences: no allocation,
        // free or device-wide synchronisation per call (only this thread's stream is waited for)
        using h4j::cuda::align256;
        const size_t n_offs = sizeof(int) * ((size_t)B + 1), n_c = sizeof(float) * (size_t)Q * (size_t)T;
        const size_t n_a = sizeof(int) * (size_t)B * Q, n_m = sizeof(double) * (size_t)B;
        const size_t n_s = sizeof(int) * (size_t)B * H4J_AUCTION_STATS_LEN;
        cudaStream_t st = nullptr;
        void* buf = nullptr;
        if (int rc = h4j::cuda::host_context(align256(n_offs) + align256(n_c) + align256(n_a) + align256(n_m) +
                                            align256(n_s), &st, &buf))
            return rc;
        char* at = static_cast<char*>(buf);
        auto take = [&at](size_t n) { char* r = at; at += align256(n); return r; };
        int* d_offs = reinterpret_cast<int*>(take(n_offs));
        float* d_c = reinterpret_cast<float*>(take(n_c));
        int* d_a = reinterpret_cast<int*>(take(n_a));
        double* d_m = reinterpret_cast<double*>(take(n_m));
        int* d_s = reinterpret_cast<int*>(take(n_s));
        const char* fn = "h4j_cuda_match_auction_host";
        if (int rc = h4j::cuda::copy_in(d_offs, offsets, n_offs, st, fn)) return rc;
        if (int rc = h4j::cuda::copy_in(d_c, costs, n_c, st, fn)) return rc;
        if (int rc = h4j::auction::launch(B, Q, max_m, d_offs, d_c, d_a, matching_cost_out ? d_m : nullptr,
                                          stats_out ? d_s : nullptr, st, fn))
            return rc;
        if (int rc = h4j::cuda::copy_out(assign_out, d_a, n_a, st, fn)) return rc;
        if (matching_cost_out)
            if (int rc = h4j::cuda::copy_out(matching_cost_out, d_m, n_m, st, fn)) return rc;
        if (stats_out)
            if (int rc = h4j::cuda::copy_out(stats_out, d_s, n_s, st, fn)) return rc;
        const cudaError_t e = cudaStreamSynchronize(st);
        if (e != cudaSuccess) return h4j::cuda::fail(e, "h4j_cuda_match_auction_host: auction kernel");
        return H4J_OK;
    });
}

#endif  // H4J_WITH_CUDA

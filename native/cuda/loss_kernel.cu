// hungarian4j — DETR SetCriterion loss and its gradients on the GPU, for a fixed assignment.
//
// Two kernels (plus one 16-byte memset of the control block), no host synchronisation:
//  1. loss_prepare_kernel: one warp per image. Checks the CSR offsets, the labels and (loss
//     mode) the assignment range on the device, and counts the matched rows (loss mode) or
//     sum_b G * min(Q/G, M_b) (forward mode, before the matching) with integer atomics, so the
//     normalizer sum_rows w(t) is known before any gradient is written.
//  2. loss_rows_kernel: one warp per prediction row, L decoder layers in one launch (each
//     block serves one layer, grid-strided over its rows; at most kLossMaxBlocks blocks in
//     all). Log-softmax CE with max subtraction and its gradient, or the sigmoid focal loss of
//     every logit (contract.md section 3), L1 and GIoU with their box gradients for matched
//     rows (loss_float.h / hd_math.h, float), partial sums in double per block; the last block
//     to finish (threadfence + ticket) reduces each layer's partials in a fixed order
//     (deterministic) and writes terms[L*5]. Query groups change only the normaliser here
//     (the assignment holds image-local targets either way).
// If a device-side check failed, terms and gradients are all NaN (never an out-of-bounds read).
#ifdef H4J_WITH_CUDA

#include <cstdint>
#include <cstring>

#include "hungarian4j/item_layout.h"
#include "hungarian4j/loss_float.h"
#include "kernels.cuh"

namespace h4j {
namespace cuda {
namespace {

constexpr int kThreads = 256;
constexpr int kWarps = kThreads / 32;

__device__ __forceinline__ float nan_f() { return __int_as_float(0x7fc00000); }

struct PrepParams {
    int B, Q, K;
    int L, G;           // forward mode: layers and query groups
    const int* offsets;
    const int* labels;
    const int* assign;  // NULL: forward mode
    int max_m;
    long long cost_capacity;
    LossCtl* ctl;
};

__global__ void __launch_bounds__(kThreads) loss_prepare_kernel(PrepParams p) {
    const int b = blockIdx.x * kWarps + (threadIdx.x >> 5);
    const int lane = threadIdx.x & 31;
    if (b >= p.B) return;  // whole warp
    const int o0 = p.offsets[b];
    const int o1 = p.offsets[b + 1];
    const int T = p.offsets[p.B];
    unsigned int flags = 0;
    if (b == 0 && o0 != 0) flags |= kBadOffsets;
    if (o0 < 0 || o1 < o0 || o1 > T) flags |= kBadOffsets;
    const int M = (flags & kBadOffsets) ? 0 : o1 - o0;
    for (int j = lane; j < M; j += 32) {
        const int l = p.labels[o0 + j];
        if (l < 0 || l >= p.K) flags |= kBadLabel;
    }
    unsigned int cnt = 0;
    if (p.assign == nullptr) {
        if (M > p.max_m) flags |= kBadMaxM;
        // the L layers' cost blocks must fit, and the item offsets (up to L*G*T) an int
        if (b == 0 && ((long long)p.L * p.Q * (long long)T > p.cost_capacity ||
                       (long long)p.L * p.G * (long long)T > 0x7fffffffLL))
            flags |= kBadCapacity;
        if (lane == 0) cnt = (unsigned int)layout::forward_matched(M, p.Q / p.G, p.G);
    } else {
        const int* a = p.assign + (size_t)b * p.Q;
        for (int q = lane; q < p.Q; q += 32) {
            const int t = a[q];
            if (t < -1 || t >= M) flags |= kBadAssign;
            cnt += t >= 0 ? 1u : 0u;
        }
    }
#pragma unroll
    for (int off = 16; off > 0; off >>= 1) {
        flags |= __shfl_xor_sync(0xffffffffu, flags, off);
        cnt += __shfl_xor_sync(0xffffffffu, cnt, off);
    }
    if (lane == 0) {
        if (flags) atomicOr(&p.ctl->bad, flags);
        if (cnt) atomicAdd(&p.ctl->matched, (unsigned long long)cnt);
    }
}

struct RowsParams {
    int L, B, Q, C;
    int blocks_per_layer;
    const float* __restrict__ logits;
    const float* __restrict__ boxes;
    const int* __restrict__ offsets;
    const int* __restrict__ labels;
    const float* __restrict__ tboxes;
    const int* __restrict__ assign;
    lossf::LossCfg cfg;
    LossCtl* ctl;
    double* partials;  // [gridDim.x * 3]
    double* terms;     // [L * 5]
    float* gl;
    float* gb;
};

__device__ __forceinline__ double warp_sum(double v) {
#pragma unroll
    for (int off = 16; off > 0; off >>= 1) v += __shfl_xor_sync(0xffffffffu, v, off);
    return v;
}

// kFocal: the focal loss instead of the cross-entropy, a compile-time choice so that each
// instantiation keeps only its own path's registers (no spills on any architecture).
template <bool kFocal>
__global__ void __launch_bounds__(kThreads) loss_rows_kernel(RowsParams p) {
    __shared__ double red[kThreads][3];
    __shared__ int is_last;

    const int lane = threadIdx.x & 31;
    const int wib = threadIdx.x >> 5;
    const long long rows = (long long)p.B * p.Q;  // per layer
    const int layer = blockIdx.x / p.blocks_per_layer;
    const int lblock = blockIdx.x - layer * p.blocks_per_layer;
    const int K = kFocal ? p.C : p.C - 1;
    const unsigned int bad = p.ctl->bad;
    // only the three float scales stay live in the row loop (the normalizer is recomputed by
    // the last block): keeps the kernel free of spills on every architecture
    float sc_ce, sc_bbox, sc_giou;
    {
        const long long T = bad ? 0 : (long long)p.offsets[p.B];
        const lossf::Norm n = lossf::make_norm((long long)p.ctl->matched, rows, T, p.cfg);
        sc_ce = (float)n.sc_ce;
        sc_bbox = (float)n.sc_bbox;
        sc_giou = (float)n.sc_giou;
    }

    // a_ce: every lane's share (focal: each lane sums its logits; ce: lane 0 only), a_l1 and
    // a_gi meaningful on lane 0
    double a_ce = 0.0, a_l1 = 0.0, a_gi = 0.0;
    const long long stride = (long long)p.blocks_per_layer * kWarps;
    const long long base = (long long)layer * rows;
    for (long long r = (long long)lblock * kWarps + wib; r < rows; r += stride) {
        const long long row = base + r;
        const float* L = p.logits + row * p.C;
        float* g = p.gl ? p.gl + row * p.C : nullptr;
        if (bad) {
            if (g)
                for (int c = lane; c < p.C; c += 32) g[c] = nan_f();
            if (p.gb && lane < 4) p.gb[row * 4 + lane] = nan_f();
            continue;
        }
        const int b = layout::row_image(row, p.B, p.Q);
        const int t = p.assign[row];
        int label = kFocal ? -1 : K;
        double wd = p.cfg.eos;
        const float* tb = nullptr;
        if (t >= 0) {
            const int o = p.offsets[b] + t;
            label = p.labels[o];
            wd = 1.0;
            tb = p.tboxes + (size_t)o * 4;
        }
        if (kFocal) {
            double acc = 0.0;
            for (int c = lane; c < p.C; c += 32) {
                float gc;  // always asked for: a constant pointer keeps gc in a register
                acc += (double)lossf::focal_elem(L[c], c == label, p.cfg.focal_alpha,
                                                 p.cfg.focal_gamma, sc_ce, &gc);
                if (g) g[c] = gc;
            }
            a_ce += acc;
        } else {
            float m, s;
            warp_softmax_stats(L, p.C, lane, m, s);
            if (lane == 0) a_ce += wd * (double)lossf::nll(m, s, L[label]);
            if (g) {
                const float coef = sc_ce * (float)wd;
                const float inv = 1.0f / s;
                for (int c = lane; c < p.C; c += 32)
                    g[c] = lossf::ce_grad_elem(L[c], m, inv, coef, c == label);
            }
        }
        if (lane == 0) {
            float* gbo = p.gb ? p.gb + row * 4 : nullptr;
            if (t >= 0) {
                float pb[4], tt[4], gg[4];
#pragma unroll
                for (int k = 0; k < 4; ++k) {
                    pb[k] = p.boxes[row * 4 + k];
                    tt[k] = tb[k];
                }
                float l1, gi;
                // two calls with constant pointers: gg stays in registers (no stack frame)
                if (gbo) {
                    lossf::box_terms(pb, tt, sc_bbox, sc_giou, &l1, &gi, gg);
#pragma unroll
                    for (int k = 0; k < 4; ++k) gbo[k] = gg[k];
                } else {
                    lossf::box_terms(pb, tt, sc_bbox, sc_giou, &l1, &gi, nullptr);
                }
                a_l1 += (double)l1;
                a_gi += (double)gi;
            } else if (gbo) {
#pragma unroll
                for (int k = 0; k < 4; ++k) gbo[k] = 0.0f;
            }
        }
    }
    a_ce = warp_sum(a_ce);  // ce mode: lane 0's value plus zeros

    // block partials, in a fixed order
    red[threadIdx.x][0] = a_ce;
    red[threadIdx.x][1] = a_l1;
    red[threadIdx.x][2] = a_gi;
    __syncthreads();
    if (threadIdx.x < 3) {
        double sum = 0.0;
        for (int w = 0; w < kWarps; ++w) sum += red[w * 32][threadIdx.x];
        p.partials[(size_t)blockIdx.x * 3 + threadIdx.x] = sum;
    }
    __threadfence();
    __syncthreads();
    if (threadIdx.x == 0) is_last = atomicAdd(&p.ctl->done, 1u) == gridDim.x - 1;
    __syncthreads();
    if (!is_last) return;

    // the last block: sum each layer's partials (fixed order: deterministic)
    __threadfence();
    for (int l = 0; l < p.L; ++l) {
        const double* part = p.partials + (size_t)l * p.blocks_per_layer * 3;
        double s0 = 0.0, s1 = 0.0, s2 = 0.0;
        for (int i = threadIdx.x; i < p.blocks_per_layer; i += kThreads) {
            s0 += __ldcg(part + (size_t)i * 3 + 0);
            s1 += __ldcg(part + (size_t)i * 3 + 1);
            s2 += __ldcg(part + (size_t)i * 3 + 2);
        }
        red[threadIdx.x][0] = s0;
        red[threadIdx.x][1] = s1;
        red[threadIdx.x][2] = s2;
        __syncthreads();
        for (int h = kThreads / 2; h > 0; h >>= 1) {
            if (threadIdx.x < h) {
                red[threadIdx.x][0] += red[threadIdx.x + h][0];
                red[threadIdx.x][1] += red[threadIdx.x + h][1];
                red[threadIdx.x][2] += red[threadIdx.x + h][2];
            }
            __syncthreads();
        }
        if (threadIdx.x == 0) {
            double* terms = p.terms + (size_t)l * H4J_TERMS_LEN;
            if (bad) {
                const double nan = __longlong_as_double(0x7ff8000000000000LL);
                for (int k = 0; k < H4J_TERMS_LEN; ++k) terms[k] = nan;
            } else {
                const lossf::Norm n = lossf::make_norm((long long)p.ctl->matched, rows,
                                                       (long long)p.offsets[p.B], p.cfg);
                lossf::finish_terms(red[0][0], red[0][1], red[0][2], n, p.cfg, terms);
            }
        }
        __syncthreads();  // red is reused by the next layer
    }
    if (threadIdx.x == 0) p.ctl->done = 0;  // leave the control block reusable
}

LossCtl* ctl_of(void* scratch) { return static_cast<LossCtl*>(scratch); }
double* partials_of(void* scratch) {
    return reinterpret_cast<double*>(static_cast<char*>(scratch) + align256(sizeof(LossCtl)));
}

int launch_prepare(const LossLaunch& L, const int* assign, int max_m, long long cap,
                   cudaStream_t stream, const char* what) {
    cudaError_t e = cudaMemsetAsync(L.scratch, 0, sizeof(LossCtl), stream);
    if (e != cudaSuccess) return fail(e, what);
    PrepParams p;
    p.B = L.B;
    p.Q = L.Q;
    p.K = L.cfg.focal ? L.C : L.C - 1;
    p.L = L.L;
    p.G = L.cfg.groups;
    p.offsets = L.offsets;
    p.labels = L.labels;
    p.assign = assign;
    p.max_m = max_m;
    p.cost_capacity = cap;
    p.ctl = ctl_of(L.scratch);
    const unsigned blocks = (unsigned)((L.B + kWarps - 1) / kWarps);
    loss_prepare_kernel<<<blocks, kThreads, 0, stream>>>(p);
    e = cudaGetLastError();
    if (e != cudaSuccess) return fail(e, "loss_prepare_kernel launch");
    return H4J_OK;
}

}  // namespace

int launch_loss_prepare_forward(const LossLaunch& L, int max_m, long long cost_capacity,
                                cudaStream_t stream) {
    return launch_prepare(L, nullptr, max_m, cost_capacity, stream,
                          "h4j_cuda_forward: cudaMemsetAsync(control block)");
}

int launch_loss_rows(const LossLaunch& L, cudaStream_t stream) {
    RowsParams p;
    p.L = L.L;
    p.B = L.B;
    p.Q = L.Q;
    p.C = L.C;
    p.logits = L.logits;
    p.boxes = L.boxes;
    p.offsets = L.offsets;
    p.labels = L.labels;
    p.tboxes = L.tboxes;
    p.assign = L.assign;
    p.cfg = L.cfg;
    p.ctl = ctl_of(L.scratch);
    p.partials = partials_of(L.scratch);
    p.terms = L.terms;
    p.gl = L.grad_logits;
    p.gb = L.grad_boxes;
    p.blocks_per_layer = loss_blocks_per_layer(L.L, (long long)L.B * L.Q, kWarps);
    const long long blocks = (long long)p.blocks_per_layer * L.L;  // <= max(kLossMaxBlocks, L)
    if (L.cfg.focal)
        loss_rows_kernel<true><<<(unsigned)blocks, kThreads, 0, stream>>>(p);
    else
        loss_rows_kernel<false><<<(unsigned)blocks, kThreads, 0, stream>>>(p);
    const cudaError_t e = cudaGetLastError();
    if (e != cudaSuccess) return fail(e, "loss_rows_kernel launch");
    return H4J_OK;
}

int launch_loss(const LossLaunch& L, cudaStream_t stream) {
    if (int rc = launch_prepare(L, L.assign, 0, 0, stream,
                                "h4j_cuda_loss: cudaMemsetAsync(control block)"))
        return rc;
    return launch_loss_rows(L, stream);
}

// ---- per-thread context of the host conveniences ---------------------------------------------

namespace {
struct HostContext {
    int device = -1;
    cudaStream_t stream = nullptr;
    void* buf = nullptr;
    size_t cap = 0;
    void release() {
        if (buf) (void)cudaFree(buf);
        if (stream) (void)cudaStreamDestroy(stream);
        buf = nullptr;
        stream = nullptr;
        cap = 0;
        device = -1;
    }
    ~HostContext() { release(); }
};
}  // namespace

int host_context(size_t bytes, cudaStream_t* stream, void** buf) {
    thread_local HostContext ctx;
    int dev = 0;
    cudaError_t e = cudaGetDevice(&dev);
    if (e != cudaSuccess) return fail(e, "cudaGetDevice");
    if (dev != ctx.device) {
        ctx.release();
        e = cudaStreamCreateWithFlags(&ctx.stream, cudaStreamNonBlocking);
        if (e != cudaSuccess) {
            ctx.stream = nullptr;
            return fail(e, "cudaStreamCreateWithFlags");
        }
        ctx.device = dev;
    }
    if (bytes > ctx.cap) {
        if (ctx.buf) {
            (void)cudaFree(ctx.buf);  // synchronizes the device
            ctx.buf = nullptr;
            ctx.cap = 0;
        }
        size_t want = bytes + bytes / 4;  // some headroom for growing batches
        e = cudaMalloc(&ctx.buf, want);
        if (e != cudaSuccess) {
            (void)cudaGetLastError();
            ctx.buf = nullptr;
            want = bytes;
            e = cudaMalloc(&ctx.buf, want);
        }
        if (e != cudaSuccess) {
            ctx.buf = nullptr;
            return fail(e, "cudaMalloc(host-call workspace)");
        }
        ctx.cap = want;
    }
    *stream = ctx.stream;
    *buf = ctx.buf;
    return H4J_OK;
}

int copy_in(void* dst, const void* src, size_t n, cudaStream_t stream, const char* what) {
    if (n == 0) return H4J_OK;
    const cudaError_t e = cudaMemcpyAsync(dst, src, n, cudaMemcpyHostToDevice, stream);
    return e == cudaSuccess ? H4J_OK : fail(e, what);
}

int copy_out(void* dst, const void* src, size_t n, cudaStream_t stream, const char* what) {
    if (n == 0) return H4J_OK;
    const cudaError_t e = cudaMemcpyAsync(dst, src, n, cudaMemcpyDeviceToHost, stream);
    return e == cudaSuccess ? H4J_OK : fail(e, what);
}

}  // namespace cuda
}  // namespace h4j

// ---- public API ----------------------------------------------------------------------------

namespace {

/// Carves [LossCtl | partials] from the caller's workspace or a stream-ordered allocation.
struct Scratch {
    void* ptr = nullptr;
    void* owned = nullptr;
    cudaStream_t stream = nullptr;
    int acquire(void* ws, size_t ws_bytes, size_t need, cudaStream_t st, const char* fn) {
        stream = st;
        if (ws) {
            if ((reinterpret_cast<std::uintptr_t>(ws) & 15u) != 0)
                return h4j::set_error(H4J_ERR_INVALID_ARG,
                                      "%s: workspace is not 16-byte aligned", fn);
            if (ws_bytes < need)
                return h4j::set_error(H4J_ERR_INVALID_ARG,
                                      "%s: workspace_bytes is %zu; must be >= %zu", fn, ws_bytes,
                                      need);
            ptr = ws;
            return H4J_OK;
        }
        const cudaError_t e = cudaMallocAsync(&owned, need, st);
        if (e != cudaSuccess) {
            owned = nullptr;
            return h4j::cuda::fail(e, "cudaMallocAsync(workspace)");
        }
        ptr = owned;
        return H4J_OK;
    }
    /// Frees a stream-ordered allocation after the launches; keeps the first error.
    int release(int rc) {
        if (owned) {
            const cudaError_t e = cudaFreeAsync(owned, stream);
            owned = nullptr;
            if (rc == H4J_OK && e != cudaSuccess) return h4j::cuda::fail(e, "cudaFreeAsync(workspace)");
        }
        return rc;
    }
    ~Scratch() {
        if (owned) (void)cudaFreeAsync(owned, stream);
    }
};

}  // namespace

extern "C" int h4j_cuda_loss_workspace_size(int B, int Q, int C, size_t* bytes_out) {
    using namespace h4j;
    return guarded("h4j_cuda_loss_workspace_size", [&]() -> int {
        if (int rc = cuda::require_device()) return rc;
        if (int rc = validate_dims(B, Q, C, 1)) return rc;  // C = 1: one focal class
        if (int rc = require(bytes_out, "bytes_out")) return rc;
        *bytes_out = cuda::loss_scratch_bytes();
        return H4J_OK;
    });
}

extern "C" int h4j_cuda_loss(int B, int Q, int C, const float* logits, const float* boxes,
                             const int* offsets, const int* labels, const float* tboxes,
                             const double* cfg_host, const int* assign, void* workspace,
                             size_t workspace_bytes, double* terms_out, float* grad_logits,
                             float* grad_boxes, void* stream) {
    using namespace h4j;
    return guarded("h4j_cuda_loss", [&]() -> int {
        if (int rc = cuda::require_device()) return rc;
        cuda::LossLaunch L;
        Config c;
        if (int rc = setup_config(B, Q, C, cfg_host, &c)) return rc;
        L.cfg = lossf::loss_cfg(cfg_host);
        if (int rc = require(logits, "pred_logits")) return rc;
        if (int rc = require(boxes, "pred_boxes")) return rc;
        if (int rc = require(offsets, "offsets")) return rc;
        if (int rc = require(assign, "assign")) return rc;
        if (int rc = require(terms_out, "terms_out")) return rc;
        if ((grad_logits == nullptr) != (grad_boxes == nullptr))
            return set_error(H4J_ERR_INVALID_ARG,
                             "grad_logits and grad_boxes must be both NULL or both non-NULL");
        const cudaStream_t st = static_cast<cudaStream_t>(stream);
        Scratch scr;
        if (int rc = scr.acquire(workspace, workspace_bytes, cuda::loss_scratch_bytes(), st,
                                 "h4j_cuda_loss"))
            return rc;
        L.B = B; L.Q = Q; L.C = C;
        L.logits = logits; L.boxes = boxes; L.offsets = offsets; L.labels = labels;
        L.tboxes = tboxes; L.assign = assign;
        L.terms = terms_out; L.grad_logits = grad_logits; L.grad_boxes = grad_boxes;
        L.scratch = scr.ptr;
        return scr.release(cuda::launch_loss(L, st));
    });
}

extern "C" int h4j_cuda_loss_host(int B, int Q, int C, const float* logits, const float* boxes,
                                  const int* offsets, const int* labels, const float* tboxes,
                                  const double* cfg, const int* assign, double* terms_out,
                                  float* grad_logits, float* grad_boxes) {
    using namespace h4j;
    return guarded("h4j_cuda_loss_host", [&]() -> int {
        if (int rc = cuda::require_device()) return rc;
        cuda::LossLaunch L;
        Problem p;
        long long T = 0;
        // validated exactly as h4j_cpu_loss
        if (int rc = setup_problem(B, Q, C, logits, boxes, offsets, labels, tboxes, cfg, &p, &T,
                                   true))
            return rc;
        L.cfg = lossf::loss_cfg(cfg);
        if (int rc = validate_assign(B, Q, offsets, assign, p.G)) return rc;
        if (int rc = require(terms_out, "terms_out")) return rc;
        if ((grad_logits == nullptr) != (grad_boxes == nullptr))
            return set_error(H4J_ERR_INVALID_ARG,
                             "grad_logits and grad_boxes must be both NULL or both non-NULL");
        const bool grads = grad_logits != nullptr;
        const size_t BQ = (size_t)B * Q;
        const size_t n_logits = BQ * C * sizeof(float), n_boxes = BQ * 4 * sizeof(float);
        const size_t n_off = ((size_t)B + 1) * sizeof(int), n_lab = (size_t)T * sizeof(int);
        const size_t n_tb = (size_t)T * 4 * sizeof(float), n_asg = BQ * sizeof(int);
        const size_t n_terms = H4J_TERMS_LEN * sizeof(double);
        using cuda::align256;
        const size_t total = cuda::loss_scratch_bytes() + align256(n_logits) + align256(n_boxes) +
                             align256(n_off) + align256(n_lab) + align256(n_tb) + align256(n_asg) +
                             align256(n_terms) + (grads ? align256(n_logits) + align256(n_boxes) : 0);
        cudaStream_t st = nullptr;
        void* buf = nullptr;
        if (int rc = cuda::host_context(total, &st, &buf)) return rc;
        char* at = static_cast<char*>(buf);
        auto take = [&at](size_t n) {
            char* r = at;
            at += align256(n);
            return r;
        };
        L.scratch = take(cuda::loss_scratch_bytes());
        float* d_logits = reinterpret_cast<float*>(take(n_logits));
        float* d_boxes = reinterpret_cast<float*>(take(n_boxes));
        int* d_off = reinterpret_cast<int*>(take(n_off));
        int* d_lab = reinterpret_cast<int*>(take(n_lab));
        float* d_tb = reinterpret_cast<float*>(take(n_tb));
        int* d_asg = reinterpret_cast<int*>(take(n_asg));
        double* d_terms = reinterpret_cast<double*>(take(n_terms));
        float* d_gl = grads ? reinterpret_cast<float*>(take(n_logits)) : nullptr;
        float* d_gb = grads ? reinterpret_cast<float*>(take(n_boxes)) : nullptr;
        if (int rc = cuda::copy_in(d_logits, logits, n_logits, st, "h4j_cuda_loss_host: copy pred_logits")) return rc;
        if (int rc = cuda::copy_in(d_boxes, boxes, n_boxes, st, "h4j_cuda_loss_host: copy pred_boxes")) return rc;
        if (int rc = cuda::copy_in(d_off, offsets, n_off, st, "h4j_cuda_loss_host: copy offsets")) return rc;
        if (int rc = cuda::copy_in(d_lab, labels, n_lab, st, "h4j_cuda_loss_host: copy labels")) return rc;
        if (int rc = cuda::copy_in(d_tb, tboxes, n_tb, st, "h4j_cuda_loss_host: copy target_boxes")) return rc;
        if (int rc = cuda::copy_in(d_asg, assign, n_asg, st, "h4j_cuda_loss_host: copy assign")) return rc;
        L.B = B; L.Q = Q; L.C = C;
        L.logits = d_logits; L.boxes = d_boxes; L.offsets = d_off; L.labels = d_lab;
        L.tboxes = d_tb; L.assign = d_asg;
        L.terms = d_terms; L.grad_logits = d_gl; L.grad_boxes = d_gb;
        if (int rc = cuda::launch_loss(L, st)) return rc;
        if (int rc = cuda::copy_out(terms_out, d_terms, n_terms, st, "h4j_cuda_loss_host: copy terms")) return rc;
        if (grads) {
            if (int rc = cuda::copy_out(grad_logits, d_gl, n_logits, st, "h4j_cuda_loss_host: copy grad_logits")) return rc;
            if (int rc = cuda::copy_out(grad_boxes, d_gb, n_boxes, st, "h4j_cuda_loss_host: copy grad_boxes")) return rc;
        }
        const cudaError_t e = cudaStreamSynchronize(st);
        if (e != cudaSuccess) return cuda::fail(e, "h4j_cuda_loss_host: loss kernels");
        if (terms_out[H4J_TERM_NUM_BOXES] != terms_out[H4J_TERM_NUM_BOXES])
            return set_error(H4J_ERR_INTERNAL,
                             "h4j_cuda_loss_host: device-side input checks failed after host "
                             "validation passed");
        return H4J_OK;
    });
}

#endif  // H4J_WITH_CUDA

// hungarian4j — internal launchers shared by the CUDA sources (cost, loss, forward).
// Layering as in CUB: device functions (hd_math.h, loss_float.h) -> __global__ kernels (one
// .cu each) -> launchers declared here (grid sizing, error check after every launch) -> the
// extern "C" API.
#ifndef HUNGARIAN4J_CUDA_KERNELS_CUH
#define HUNGARIAN4J_CUDA_KERNELS_CUH

#include <cuda_runtime.h>

#include <cstddef>

#include "cuda_common.cuh"
#include "hungarian4j/loss_float.h"

namespace h4j {
namespace cuda {

// ---- building blocks ------------------------------------------------------------------------

// Softmax statistics of one logit row L[0..C) computed by a whole warp: the row max m and
// s = sum exp(L - m), identical in every lane. One fixed reduction order, so the cost and the
// loss kernels see bit-identical statistics for the same row.
__device__ __forceinline__ void warp_softmax_stats(const float* L, int C, int lane, float& m, float& s) {
    m = -INFINITY;
    for (int c = lane; c < C; c += 32) m = fmaxf(m, L[c]);
#pragma unroll
    for (int off = 16; off > 0; off >>= 1) m = fmaxf(m, __shfl_xor_sync(0xffffffffu, m, off));
    s = 0.0f;
    for (int c = lane; c < C; c += 32) s += expf(L[c] - m);
#pragma unroll
    for (int off = 16; off > 0; off >>= 1) s += __shfl_xor_sync(0xffffffffu, s, off);
}

// ---- cost blocks (cost_kernel.cu) ---------------------------------------------------------

struct CostParams {
    int B, Q, C;
    int L = 1;                 // decoder layers, contiguous (contract.md section 3; item_layout.h)
    int G = 1;                 // query groups (pipeline only: the item offsets it publishes)
    const float* logits;
    const float* boxes;
    const int* offsets;
    const int* labels;
    const float* tboxes;
    float w_class, w_bbox, w_giou;
    int log_prob;
    int focal;                 // contract.md section 3: focal class cost on sigmoid logits (C = K)
    float focal_alpha, focal_gamma;
    float* out;
    // pipeline only (NULL for the public cost API):
    const int* guard;  // device int; non-zero = inputs failed device-side checks: write no cost
    int* offs_out;     // device int[L*B*G+1]: receives the item offsets (item_layout.h), or
                       // zeros when *guard != 0
};

CostParams make_cost_params(int B, int Q, int C, const float* logits, const float* boxes,
                            const int* offsets, const int* labels, const float* tboxes,
                            const Config& cfg, float* cost_out);
int launch_cost_blocks(const CostParams& prm, cudaStream_t stream);

// ---- loss (loss_kernel.cu) -----------------------------------------------------------------

/// Control block at the start of every loss / forward workspace; zeroed (cudaMemsetAsync)
/// at the start of each call.
struct LossCtl {
    unsigned long long matched;  // number of matched rows
    unsigned int bad;            // kBad* flags of the device-side checks
    unsigned int done;           // blocks of the row kernel that finished (last-block reduction)
};

enum : unsigned int {
    kBadOffsets = 1u,   // offsets not a CSR (offsets[0] != 0, decreasing, or negative)
    kBadLabel = 2u,     // a label outside [0, K)
    kBadAssign = 4u,    // an assignment entry outside [-1, M_b)
    kBadMaxM = 8u,      // forward: some M_b > max_m
    kBadCapacity = 16u, // forward: Q * offsets[B] costs do not fit the workspace
    kBadNonFiniteCost = 32u  // forward: some cost is NaN or inf (the matcher refused that image)
};

/// Blocks of the row kernel at most (its grid strides), over all layers unless there are more
/// layers than this (then one block per layer); partial sums: 3 doubles per block.
constexpr int kLossMaxBlocks = 1024;

inline size_t align256(size_t n) { return (n + 255) & ~(size_t)255; }

/// Blocks of the row kernel per layer for L layers of `rows_per_layer` rows (>= 1).
inline int loss_blocks_per_layer(int L, long long rows_per_layer, int warps_per_block) {
    long long b = (rows_per_layer + warps_per_block - 1) / warps_per_block;
    const long long cap = L >= kLossMaxBlocks ? 1 : kLossMaxBlocks / L;
    if (b > cap) b = cap;
    return b < 1 ? 1 : (int)b;
}

/// Bytes of [LossCtl | partials] at the start of a workspace, for L layers.
inline size_t loss_scratch_bytes(int L = 1) {
    const size_t blocks = L > kLossMaxBlocks ? (size_t)L : (size_t)kLossMaxBlocks;
    return align256(sizeof(LossCtl)) + align256(sizeof(double) * 3 * blocks);
}

struct LossLaunch {
    int L = 1;          // layers (contiguous), all with the same targets
    int B, Q, C;
    const float* logits;
    const float* boxes;
    const int* offsets;
    const int* labels;
    const float* tboxes;
    const int* assign;  // device int[L*B*Q]
    lossf::LossCfg cfg; // sections 1 and 3 (groups, num_boxes, focal)
    double* terms;      // device double[L*5]
    float* grad_logits; // device or NULL
    float* grad_boxes;  // device or NULL
    void* scratch;      // loss_scratch_bytes(L) device bytes, 16-aligned
};

/// Forward-mode checks (before the costs): validates offsets and labels, sets
/// matched = sum_b G * min(Q/G, M_b) (one layer's), flags M_b > max_m and
/// L * Q * offsets[B] > cost_capacity. Zeroes the control block first.
int launch_loss_prepare_forward(const LossLaunch& L, int max_m, long long cost_capacity,
                                cudaStream_t stream);
/// Loss mode (one layer): zeroes the control block, validates offsets, labels and the
/// assignment, counts the matched rows, then runs the fused row kernel (CE or focal, L1, GIoU,
/// gradients, reduction).
int launch_loss(const LossLaunch& L, cudaStream_t stream);
/// The fused row kernel alone (after launch_loss_prepare_forward and the matching).
int launch_loss_rows(const LossLaunch& L, cudaStream_t stream);

// ---- per-thread device context of the host conveniences (loss_kernel.cu) ----------------

/// This thread's non-blocking stream and a device buffer of at least `bytes` (grown, never
/// shrunk; re-created when the current device changes). Sets *stream and *buf.
int host_context(size_t bytes, cudaStream_t* stream, void** buf);

/// Copies host -> device on `stream`; returns a status.
int copy_in(void* dst, const void* src, size_t n, cudaStream_t stream, const char* what);
int copy_out(void* dst, const void* src, size_t n, cudaStream_t stream, const char* what);

}  // namespace cuda
}  // namespace h4j

#endif  // HUNGARIAN4J_CUDA_KERNELS_CUH

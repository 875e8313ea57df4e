// hungarian4j — pairwise matching costs on the GPU (float math from hd_math.h).
//
// One launch covers all ragged blocks (of L decoder layers in the pipeline: layer l's blocks at
// l*Q*T, item_layout.h): one warp per prediction row (b, q). The warp reduces the
// row's logits to (max, sum exp) with shuffles (not with the focal class cost of contract.md
// section 3, which needs only the label's sigmoid logit), then its lanes stride over the targets
// and write C[q, j] = cost_class * class_cost + cost_bbox * L1 + cost_giou * (-GIoU) at
// cost[Q*offsets[b] + q*M_b + j]. No host sync, no workspace. In the device-resident pipeline
// (forward_cuda.cu) the same kernel also publishes the checked offsets for the matcher.
#ifdef H4J_WITH_CUDA

#include <cstdint>

#include "kernels.cuh"
#include "hungarian4j/hd_math.h"
#include "hungarian4j/item_layout.h"

namespace h4j {
namespace cuda {
namespace {

constexpr int kWarpsPerBlock = 4;

__global__ void __launch_bounds__(kWarpsPerBlock * 32) cost_blocks_kernel(CostParams p) {
    // Pipeline mode: publish the item offsets the matcher must use (item_layout.h; zeros when
    // the device-side checks failed, so nothing downstream reads out of bounds), then stop if
    // they failed. The grid has 32 threads per row, more than the L*B*G + 1 offsets.
    if (p.guard) {
        const int bad = *p.guard;
        const long long gid = (long long)blockIdx.x * blockDim.x + threadIdx.x;
        if (gid <= (long long)p.L * p.B * p.G)
            p.offs_out[gid] = bad ? 0 : (int)layout::item_offset(gid, p.B, p.G, p.offsets);
        if (bad) return;
    }
    const long long row = (long long)blockIdx.x * kWarpsPerBlock + (threadIdx.x >> 5);
    const int lane = threadIdx.x & 31;
    if (row >= (long long)p.L * p.B * p.Q) return;  // whole warp exits together
    const int b = layout::row_image(row, p.B, p.Q);
    const int layer = layout::row_layer(row, p.B, p.Q);
    const int q = (int)(row % p.Q);
    const int o0 = p.offsets[b];
    const int M = p.offsets[b + 1] - o0;
    if (M <= 0) return;

    const float* L = p.logits + row * p.C;
    float m = 0.0f, s = 1.0f;
    if (!p.focal) warp_softmax_stats(L, p.C, lane, m, s);  // uniform per launch: no divergent shuffle

    float pb[4];
#pragma unroll
    for (int k = 0; k < 4; ++k) pb[k] = p.boxes[row * 4 + k];

    float* out = p.out + (layer > 0 ? layout::layer_cost_base(layer, p.Q, p.offsets[p.B]) : 0) +
                 (size_t)p.Q * o0 + (size_t)q * M;
    for (int j = lane; j < M; j += 32) {
        const float l = L[p.labels[o0 + j]];
        const float cc = p.focal ? hd::focal_cost<float>(l, p.focal_alpha, p.focal_gamma)
                                 : hd::class_cost<float>(l, m, s, p.log_prob != 0);
        float tb[4];
#pragma unroll
        for (int k = 0; k < 4; ++k) tb[k] = p.tboxes[(size_t)(o0 + j) * 4 + k];
        out[j] = hd::pair_cost<float>(cc, pb, tb, p.w_class, p.w_bbox, p.w_giou);
    }
}

}  // namespace

// Launcher: grid sizing and the error check after the launch.
int launch_cost_blocks(const CostParams& prm, cudaStream_t stream) {
    const long long rows = (long long)prm.L * prm.B * prm.Q;
    const long long blocks = (rows + kWarpsPerBlock - 1) / kWarpsPerBlock;
    if (blocks > 0x7fffffffLL)
        return set_error(H4J_ERR_INVALID_ARG, "L*B*Q is %lld; too many rows for one launch", rows);
    cost_blocks_kernel<<<(unsigned)blocks, kWarpsPerBlock * 32, 0, stream>>>(prm);
    const cudaError_t e = cudaGetLastError();
    if (e != cudaSuccess) return fail(e, "cost_blocks_kernel launch");
    return H4J_OK;
}

CostParams make_cost_params(int B, int Q, int C, const float* logits, const float* boxes,
                       const int* offsets, const int* labels, const float* tboxes,
                       const Config& cfg, float* cost_out) {
    CostParams prm;
    prm.B = B;
    prm.Q = Q;
    prm.C = C;
    prm.logits = logits;
    prm.boxes = boxes;
    prm.offsets = offsets;
    prm.labels = labels;
    prm.tboxes = tboxes;
    prm.w_class = (float)cfg.cost_class;
    prm.w_bbox = (float)cfg.cost_bbox;
    prm.w_giou = (float)cfg.cost_giou;
    prm.log_prob = cfg.log_prob ? 1 : 0;
    prm.focal = cfg.focal ? 1 : 0;
    prm.focal_alpha = (float)cfg.focal_alpha;
    prm.focal_gamma = (float)cfg.focal_gamma;
    prm.out = cost_out;
    prm.L = 1;
    prm.G = 1;
    prm.guard = nullptr;
    prm.offs_out = nullptr;
    return prm;
}

}  // namespace cuda
}  // namespace h4j

extern "C" int h4j_cuda_cost_blocks(int B, int Q, int C, const float* logits, const float* boxes,
                                    const int* offsets, const int* labels, const float* tboxes,
                                    const double* cfg, float* cost_out, void* stream) {
    using namespace h4j;
    return guarded("h4j_cuda_cost_blocks", [&]() -> int {
        if (int rc = cuda::require_device()) return rc;  // first: no pointer is touched without a device
        Config c;
        // section 3's config: the cost blocks depend on the focal class cost only (groups and
        // num_boxes leave them unchanged)
        if (int rc = parse_config_ext(cfg, &c)) return rc;
        if (int rc = validate_dims(B, Q, C, c.focal ? 1 : 2)) return rc;
        if (int rc = require(logits, "pred_logits")) return rc;
        if (int rc = require(boxes, "pred_boxes")) return rc;
        if (int rc = require(offsets, "offsets")) return rc;
        if (int rc = require(cost_out, "cost_out")) return rc;
        // labels / tboxes may be NULL only when there are no targets (not checkable here).
        const cuda::CostParams prm =
            cuda::make_cost_params(B, Q, C, logits, boxes, offsets, labels, tboxes, c, cost_out);
        return cuda::launch_cost_blocks(prm, static_cast<cudaStream_t>(stream));
    });
}

extern "C" int h4j_cuda_cost_blocks_host(int B, int Q, int C, const float* logits,
                                         const float* boxes, const int* offsets,
                                         const int* labels, const float* tboxes,
                                         const double* cfg, float* cost_out) {
    using namespace h4j;
    return guarded("h4j_cuda_cost_blocks_host", [&]() -> int {
        if (int rc = cuda::require_device()) return rc;  // first: no pointer is touched without a device
        Config c;
        long long T = 0;
        if (int rc = parse_config_ext(cfg, &c)) return rc;  // as h4j_cuda_cost_blocks
        if (int rc = validate_dims(B, Q, C, c.focal ? 1 : 2)) return rc;
        if (int rc = validate_offsets(B, offsets, &T)) return rc;
        if (int rc = validate_targets(T, c.focal ? C + 1 : C, labels, tboxes)) return rc;
        if (int rc = validate_predictions(B, Q, C, logits, boxes)) return rc;
        if (T > 0)
            if (int rc = require(cost_out, "cost_out")) return rc;
        if (T == 0) return H4J_OK;

        // the thread's cached device buffer and stream (host_context): no allocation, free or
        // device-wide synchronisation per call; only this thread's stream is waited for
        using cuda::align256;
        const size_t n_logits = (size_t)B * Q * C * sizeof(float);
        const size_t n_boxes = (size_t)B * Q * 4 * sizeof(float);
        const size_t n_off = (size_t)(B + 1) * sizeof(int);
        const size_t n_lab = (size_t)T * sizeof(int);
        const size_t n_tb = (size_t)T * 4 * sizeof(float);
        const size_t n_cost = (size_t)Q * T * sizeof(float);
        cudaStream_t st = nullptr;
        void* buf = nullptr;
        if (int rc = cuda::host_context(align256(n_logits) + align256(n_boxes) + align256(n_off) + align256(n_lab) +
                                            align256(n_tb) + align256(n_cost), &st, &buf))
            return rc;
        char* at = static_cast<char*>(buf);
        auto take = [&at](size_t n) { char* r = at; at += align256(n); return r; };
        float* d_logits = reinterpret_cast<float*>(take(n_logits));
        float* d_boxes = reinterpret_cast<float*>(take(n_boxes));
        int* d_off = reinterpret_cast<int*>(take(n_off));
        int* d_lab = reinterpret_cast<int*>(take(n_lab));
        float* d_tb = reinterpret_cast<float*>(take(n_tb));
        float* d_cost = reinterpret_cast<float*>(take(n_cost));
        const char* fn = "h4j_cuda_cost_blocks_host";
        if (int rc = cuda::copy_in(d_logits, logits, n_logits, st, fn)) return rc;
        if (int rc = cuda::copy_in(d_boxes, boxes, n_boxes, st, fn)) return rc;
        if (int rc = cuda::copy_in(d_off, offsets, n_off, st, fn)) return rc;
        if (int rc = cuda::copy_in(d_lab, labels, n_lab, st, fn)) return rc;
        if (int rc = cuda::copy_in(d_tb, tboxes, n_tb, st, fn)) return rc;
        const cuda::CostParams prm =
            cuda::make_cost_params(B, Q, C, d_logits, d_boxes, d_off, d_lab, d_tb, c, d_cost);
        if (int rc = cuda::launch_cost_blocks(prm, st)) return rc;
        if (int rc = cuda::copy_out(cost_out, d_cost, n_cost, st, fn)) return rc;
        const cudaError_t e = cudaStreamSynchronize(st);
        if (e != cudaSuccess) return cuda::fail(e, "h4j_cuda_cost_blocks_host: cost_blocks_kernel");
        return H4J_OK;
    });
}

#endif  // H4J_WITH_CUDA

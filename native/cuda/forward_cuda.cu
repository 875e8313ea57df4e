// hungarian4j — the device-resident whole pipeline: checks -> costs -> auction -> loss, all
// enqueued on the caller's stream, no host synchronisation.
//
//   memset(control block) -> loss_prepare_kernel (forward mode: offsets, labels, M_b <= max_m,
//   cost capacity; normalizer from sum_b min(Q, M_b)) -> cost_blocks_kernel (also publishes the
//   checked offsets: zeros when a check failed, so the matcher reads nothing out of bounds)
//   -> auction_kernel (as h4j_cuda_match_auction_bounded, on the checked offsets; an image with a
//   non-finite cost is refused and flags kBadNonFiniteCost, so the loss writes NaN terms)
//   -> loss_rows_kernel (CE/L1/GIoU, gradients, deterministic last-block reduction).
//
// Never half-enqueued: what can fail on the host (the auction's device limits and global
// workspace) is done before the first enqueue; should a launch still fail midway, the outputs
// are overwritten (stream-ordered) with the failure marker: assign -1, NaN costs and terms.
//
// Workspace layout (every section 256-byte aligned from the base):
//   [LossCtl | loss partials] [checked offsets int[B+1]] [cost blocks float[Q*T]]
#ifdef H4J_WITH_CUDA

#include <algorithm>
#include <cstdint>
#include <vector>

#include "auction_launch.cuh"
#include "hungarian4j/auction.h"
#include "kernels.cuh"

namespace {

size_t forward_fixed_bytes(int B) {
    return h4j::cuda::loss_scratch_bytes() + h4j::cuda::align256(sizeof(int) * ((size_t)B + 1));
}

// After a launch failed midway: every output gets the failure marker (0xff bytes: -1 ints,
// NaN floats and doubles), stream-ordered after what was enqueued. Best effort.
void mark_failed(int B, int Q, int C, int* assign_out, double* matching_cost_out, double* terms_out,
                 float* grad_logits, float* grad_boxes, int* stats_out, cudaStream_t st) {
    const size_t BQ = (size_t)B * (size_t)Q;
    (void)cudaMemsetAsync(assign_out, 0xff, sizeof(int) * BQ, st);
    (void)cudaMemsetAsync(terms_out, 0xff, sizeof(double) * H4J_TERMS_LEN, st);
    if (matching_cost_out) (void)cudaMemsetAsync(matching_cost_out, 0xff, sizeof(double) * (size_t)B, st);
    if (stats_out) (void)cudaMemsetAsync(stats_out, 0xff, sizeof(int) * (size_t)B * H4J_AUCTION_STATS_LEN, st);
    if (grad_logits) (void)cudaMemsetAsync(grad_logits, 0xff, sizeof(float) * BQ * (size_t)C, st);
    if (grad_boxes) (void)cudaMemsetAsync(grad_boxes, 0xff, sizeof(float) * BQ * 4, st);
    (void)cudaGetLastError();
}

// The four stages, enqueued in order; `match` was prepared before the first of them.
int forward_enqueue(int B, int Q, int C, int max_m, const float* logits, const float* boxes,
                    const int* offsets, const int* labels, const float* tboxes,
                    const h4j::Config& cfg, void* workspace, size_t workspace_bytes, int* assign_out,
                    double* matching_cost_out, double* terms_out, float* grad_logits,
                    float* grad_boxes, int* stats_out, cudaStream_t st,
                    h4j::auction::PreparedLaunch& match) {
    using namespace h4j;
    char* base = static_cast<char*>(workspace);
    const size_t fixed = forward_fixed_bytes(B);
    int* offs_checked = reinterpret_cast<int*>(base + cuda::loss_scratch_bytes());
    float* costs = reinterpret_cast<float*>(base + fixed);
    const long long cap = (long long)((workspace_bytes - fixed) / sizeof(float));

    cuda::LossLaunch L;
    L.B = B; L.Q = Q; L.C = C;
    L.logits = logits; L.boxes = boxes; L.offsets = offsets; L.labels = labels;
    L.tboxes = tboxes; L.assign = assign_out; L.cfg = cfg;
    L.terms = terms_out; L.grad_logits = grad_logits; L.grad_boxes = grad_boxes;
    L.scratch = workspace;
    if (int rc = cuda::launch_loss_prepare_forward(L, max_m, cap, st)) return rc;

    cuda::CostParams cp = cuda::make_cost_params(B, Q, C, logits, boxes, offsets, labels, tboxes,
                                                 cfg, costs);
    unsigned int* bad = &static_cast<cuda::LossCtl*>(workspace)->bad;
    cp.guard = reinterpret_cast<const int*>(bad);
    cp.offs_out = offs_checked;
    if (int rc = cuda::launch_cost_blocks(cp, st)) return rc;

    if (int rc = auction::enqueue_launch(match, offs_checked, costs, assign_out, matching_cost_out,
                                         stats_out, bad, cuda::kBadNonFiniteCost, "h4j_cuda_forward"))
        return rc;
    return cuda::launch_loss_rows(L, st);
}

int forward_impl(int B, int Q, int C, int max_m, const float* logits, const float* boxes,
                 const int* offsets, const int* labels, const float* tboxes,
                 const h4j::Config& cfg, void* workspace, size_t workspace_bytes, int* assign_out,
                 double* matching_cost_out, double* terms_out, float* grad_logits,
                 float* grad_boxes, int* stats_out, cudaStream_t st) {
    using namespace h4j;
    const char* fn = "h4j_cuda_forward";
    auction::PreparedLaunch match;
    if (int rc = auction::prepare_launch(B, Q, max_m, st, fn, &match)) return rc;  // nothing enqueued
    const int rc = forward_enqueue(B, Q, C, max_m, logits, boxes, offsets, labels, tboxes, cfg,
                                   workspace, workspace_bytes, assign_out, matching_cost_out,
                                   terms_out, grad_logits, grad_boxes, stats_out, st, match);
    if (rc != H4J_OK) {
        (void)auction::release_launch(match);
        mark_failed(B, Q, C, assign_out, matching_cost_out, terms_out, grad_logits, grad_boxes,
                    stats_out, st);
    }
    return rc;
}

}  // namespace

extern "C" int h4j_cuda_forward_workspace_size(int B, int Q, int C, int total_targets,
                                               int max_m, size_t* bytes_out) {
    using namespace h4j;
    return guarded("h4j_cuda_forward_workspace_size", [&]() -> int {
        if (int rc = cuda::require_device()) return rc;
        if (int rc = validate_dims(B, Q, C)) return rc;
        if (total_targets < 0)
            return set_error(H4J_ERR_INVALID_ARG, "total_targets is %d; must be >= 0",
                             total_targets);
        if (max_m < 0) return set_error(H4J_ERR_INVALID_ARG, "max_m is %d; must be >= 0", max_m);
        if (int rc = require(bytes_out, "bytes_out")) return rc;
        *bytes_out = forward_fixed_bytes(B) +
                     cuda::align256(sizeof(float) * (size_t)Q * (size_t)total_targets);
        return H4J_OK;
    });
}

extern "C" int h4j_cuda_forward(int B, int Q, int C, int max_m, const float* logits,
                                const float* boxes, const int* offsets, const int* labels,
                                const float* tboxes, const double* cfg_host, void* workspace,
                                size_t workspace_bytes, int* assign_out,
                                double* matching_cost_out, double* terms_out, float* grad_logits,
                                float* grad_boxes, int* stats_out, void* stream) {
    using namespace h4j;
    return guarded("h4j_cuda_forward", [&]() -> int {
        if (int rc = cuda::require_device()) return rc;
        Config cfg;
        if (int rc = validate_dims(B, Q, C)) return rc;
        if (max_m < 0) return set_error(H4J_ERR_INVALID_ARG, "max_m is %d; must be >= 0", max_m);
        if (int rc = parse_config(cfg_host, &cfg)) return rc;
        if (int rc = require(logits, "pred_logits")) return rc;
        if (int rc = require(boxes, "pred_boxes")) return rc;
        if (int rc = require(offsets, "offsets")) return rc;
        if (int rc = require(assign_out, "assign_out")) return rc;
        if (int rc = require(terms_out, "terms_out")) return rc;
        if ((grad_logits == nullptr) != (grad_boxes == nullptr))
            return set_error(H4J_ERR_INVALID_ARG,
                             "grad_logits and grad_boxes must be both NULL or both non-NULL");
        const cudaStream_t st = static_cast<cudaStream_t>(stream);
        if (workspace) {
            if ((reinterpret_cast<std::uintptr_t>(workspace) & 15u) != 0)
                return set_error(H4J_ERR_INVALID_ARG,
                                 "h4j_cuda_forward: workspace is not 16-byte aligned");
            const size_t fixed = forward_fixed_bytes(B);
            if (workspace_bytes < fixed)
                return set_error(H4J_ERR_INVALID_ARG,
                                 "h4j_cuda_forward: workspace_bytes is %zu; must be >= %zu (see "
                                 "h4j_cuda_forward_workspace_size)",
                                 workspace_bytes, fixed);
            return forward_impl(B, Q, C, max_m, logits, boxes, offsets, labels, tboxes, cfg,
                                workspace, workspace_bytes, assign_out, matching_cost_out,
                                terms_out, grad_logits, grad_boxes, stats_out, st);
        }
        // No workspace: a stream-ordered allocation sized for the promise (T <= B * max_m), from
        // the library's pool that keeps its memory (no cudaMalloc per call in steady state).
        const size_t bytes =
            forward_fixed_bytes(B) + cuda::align256(sizeof(float) * (size_t)Q * (size_t)B * (size_t)max_m);
        void* ws = nullptr;
        if (int rc = cuda::pool_alloc_async(&ws, bytes, st, "h4j_cuda_forward: stream-ordered workspace"))
            return rc;
        cudaError_t e = cudaSuccess;
        const int rc = forward_impl(B, Q, C, max_m, logits, boxes, offsets, labels, tboxes, cfg, ws,
                                    bytes, assign_out, matching_cost_out, terms_out, grad_logits,
                                    grad_boxes, stats_out, st);
        e = cudaFreeAsync(ws, st);
        if (rc != H4J_OK) return rc;
        if (e != cudaSuccess) return cuda::fail(e, "h4j_cuda_forward: cudaFreeAsync(workspace)");
        return H4J_OK;
    });
}

extern "C" int h4j_cuda_forward_host(int B, int Q, int C, const float* logits, const float* boxes,
                                     const int* offsets, const int* labels, const float* tboxes,
                                     const double* cfg, int* assign_out,
                                     double* matching_cost_out, double* terms_out,
                                     float* grad_logits, float* grad_boxes, int* stats_out) {
    using namespace h4j;
    return guarded("h4j_cuda_forward_host", [&]() -> int {
        if (int rc = cuda::require_device()) return rc;
        Config c;
        long long T = 0;
        if (int rc = validate_dims(B, Q, C)) return rc;
        if (int rc = parse_config(cfg, &c)) return rc;
        if (int rc = validate_offsets(B, offsets, &T)) return rc;
        if (int rc = validate_targets(T, C, labels, tboxes)) return rc;
        if (int rc = validate_predictions(B, Q, C, logits, boxes)) return rc;
        if (int rc = require(assign_out, "assign_out")) return rc;
        if (int rc = require(terms_out, "terms_out")) return rc;
        if ((grad_logits == nullptr) != (grad_boxes == nullptr))
            return set_error(H4J_ERR_INVALID_ARG,
                             "grad_logits and grad_boxes must be both NULL or both non-NULL");
        if (T > 0x7fffffffLL / 4)
            return set_error(H4J_ERR_INVALID_ARG, "offsets[B] is %lld; too many targets", T);
        int max_m = 0;
        for (int b = 0; b < B; ++b) max_m = std::max(max_m, offsets[b + 1] - offsets[b]);
        const bool grads = grad_logits != nullptr;
        using cuda::align256;
        const size_t BQ = (size_t)B * Q;
        const size_t n_logits = BQ * C * sizeof(float), n_boxes = BQ * 4 * sizeof(float);
        const size_t n_off = ((size_t)B + 1) * sizeof(int), n_lab = (size_t)T * sizeof(int);
        const size_t n_tb = (size_t)T * 4 * sizeof(float), n_asg = BQ * sizeof(int);
        const size_t n_mc = (size_t)B * sizeof(double), n_terms = H4J_TERMS_LEN * sizeof(double);
        const size_t n_stats = (size_t)B * H4J_AUCTION_STATS_LEN * sizeof(int);
        const size_t n_ws = forward_fixed_bytes(B) + align256(sizeof(float) * (size_t)Q * (size_t)T);
        const size_t total = n_ws + align256(n_logits) + align256(n_boxes) + align256(n_off) +
                             align256(n_lab) + align256(n_tb) + align256(n_asg) + align256(n_mc) +
                             align256(n_terms) + align256(n_stats) +
                             (grads ? align256(n_logits) + align256(n_boxes) : 0);
        cudaStream_t st = nullptr;
        void* buf = nullptr;
        if (int rc = cuda::host_context(total, &st, &buf)) return rc;
        char* at = static_cast<char*>(buf);
        auto take = [&at](size_t n) {
            char* r = at;
            at += align256(n);
            return r;
        };
        void* d_ws = take(n_ws);
        float* d_logits = reinterpret_cast<float*>(take(n_logits));
        float* d_boxes = reinterpret_cast<float*>(take(n_boxes));
        int* d_off = reinterpret_cast<int*>(take(n_off));
        int* d_lab = reinterpret_cast<int*>(take(n_lab));
        float* d_tb = reinterpret_cast<float*>(take(n_tb));
        int* d_asg = reinterpret_cast<int*>(take(n_asg));
        double* d_mc = reinterpret_cast<double*>(take(n_mc));
        double* d_terms = reinterpret_cast<double*>(take(n_terms));
        int* d_stats = reinterpret_cast<int*>(take(n_stats));
        float* d_gl = grads ? reinterpret_cast<float*>(take(n_logits)) : nullptr;
        float* d_gb = grads ? reinterpret_cast<float*>(take(n_boxes)) : nullptr;
        const char* fn = "h4j_cuda_forward_host";
        if (int rc = cuda::copy_in(d_logits, logits, n_logits, st, fn)) return rc;
        if (int rc = cuda::copy_in(d_boxes, boxes, n_boxes, st, fn)) return rc;
        if (int rc = cuda::copy_in(d_off, offsets, n_off, st, fn)) return rc;
        if (int rc = cuda::copy_in(d_lab, labels, n_lab, st, fn)) return rc;
        if (int rc = cuda::copy_in(d_tb, tboxes, n_tb, st, fn)) return rc;
        if (int rc = forward_impl(B, Q, C, max_m, d_logits, d_boxes, d_off, d_lab, d_tb, c, d_ws,
                                  n_ws, d_asg, d_mc, d_terms, d_gl, d_gb, d_stats, st))
            return rc;
        if (int rc = cuda::copy_out(assign_out, d_asg, n_asg, st, fn)) return rc;
        if (matching_cost_out)
            if (int rc = cuda::copy_out(matching_cost_out, d_mc, n_mc, st, fn)) return rc;
        if (int rc = cuda::copy_out(terms_out, d_terms, n_terms, st, fn)) return rc;
        // the stats always come back: they say which image's costs were not finite
        thread_local std::vector<int> stats_tmp;
        int* stats_host = stats_out;
        if (!stats_host) {
            stats_tmp.resize((size_t)B * H4J_AUCTION_STATS_LEN);
            stats_host = stats_tmp.data();
        }
        if (int rc = cuda::copy_out(stats_host, d_stats, n_stats, st, fn)) return rc;
        if (grads) {
            if (int rc = cuda::copy_out(grad_logits, d_gl, n_logits, st, fn)) return rc;
            if (int rc = cuda::copy_out(grad_boxes, d_gb, n_boxes, st, fn)) return rc;
        }
        const cudaError_t e = cudaStreamSynchronize(st);
        if (e != cudaSuccess) return cuda::fail(e, "h4j_cuda_forward_host: pipeline kernels");
        for (int b = 0; b < B; ++b)
            if (stats_host[(size_t)b * H4J_AUCTION_STATS_LEN + H4J_AUCTION_STAT_OUTCOME] ==
                H4J_AUCTION_NON_FINITE)
                return set_error(H4J_ERR_NON_FINITE,
                                 "h4j_cuda_forward_host: a matching cost of image %d is not finite "
                                 "(finite inputs whose cost overflows float); terms are NaN",
                                 b);
        if (terms_out[H4J_TERM_NUM_BOXES] != terms_out[H4J_TERM_NUM_BOXES])
            return set_error(H4J_ERR_INTERNAL,
                             "h4j_cuda_forward_host: device-side input checks failed after host "
                             "validation passed");
        return H4J_OK;
    });
}

#endif  // H4J_WITH_CUDA

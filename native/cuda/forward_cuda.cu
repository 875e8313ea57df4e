// hungarian4j — the device-resident whole pipeline: checks -> costs -> auction -> loss, all
// enqueued on the caller's stream, no host synchronisation; L decoder layers and G query groups
// (contract.md section 3) in the same launches: every (layer, image, group) is one problem of
// the batched matcher (item_layout.h), every layer's rows one range of the loss kernel.
//
//   memset(control block) -> loss_prepare_kernel (forward mode: offsets, labels, M_b <= max_m,
//   cost capacity; normalizer from sum_b G * min(Q/G, M_b)) -> cost_blocks_kernel (all layers;
//   also publishes the item offsets: zeros when a check failed, so the matcher reads nothing out
//   of bounds) -> auction_kernel (as h4j_cuda_match_auction_bounded, on the L*B*G items of Q/G
//   rows; an item with a non-finite cost is refused and flags kBadNonFiniteCost, so the loss
//   writes NaN terms) -> fold_groups_kernel (G > 1: each image's matching cost, the sum of its
//   groups) -> loss_rows_kernel (CE or focal, L1, GIoU, gradients, deterministic last-block
//   reduction per layer).
//
// Never half-enqueued: what can fail on the host (the auction's device limits and global
// workspace) is done before the first enqueue; should a launch still fail midway, the outputs
// are overwritten (stream-ordered) with the failure marker: assign -1, NaN costs and terms.
//
// Workspace layout (every section 256-byte aligned from the base; sized for G <= Q so that the
// size needs no config):
//   [LossCtl | loss partials] [item offsets int[L*B*Q+1]] [item matching costs double[L*B*Q]]
//   [cost blocks float[L*Q*T]]
#ifdef H4J_WITH_CUDA

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "auction_launch.cuh"
#include "hungarian4j/auction.h"
#include "hungarian4j/item_layout.h"
#include "kernels.cuh"

namespace {

using h4j::cuda::align256;

size_t items_bound(int L, int B, int Q) { return (size_t)L * (size_t)B * (size_t)Q; }

size_t offsets_at(int L) { return h4j::cuda::loss_scratch_bytes(L); }
size_t item_costs_at(int L, int B, int Q) {
    return offsets_at(L) + align256(sizeof(int) * (items_bound(L, B, Q) + 1));
}
size_t forward_fixed_bytes(int L, int B, int Q) {
    return item_costs_at(L, B, Q) + align256(sizeof(double) * items_bound(L, B, Q));
}

// Each (layer, image)'s matching cost: the sum of its G items' costs, in group order.
__global__ void fold_groups_kernel(const double* __restrict__ item_cost, int n, int G,
                                   double* __restrict__ out) {
    const int k = blockIdx.x * blockDim.x + threadIdx.x;
    if (k < n) out[k] = h4j::layout::fold_groups(item_cost, k, G);
}

/// One pipeline call: L layers of B x Q, outputs as h4j_cuda_forward_layers documents them.
struct Fwd {
    int L, B, Q, C, G, max_m;
    const float* logits;
    const float* boxes;
    const int* offsets;
    const int* labels;
    const float* tboxes;
    h4j::Config cfg;         // parsed and validated (parse_config_ext)
    h4j::lossf::LossCfg lc;  // the same config as the loss kernel takes it
    void* ws;
    size_t ws_bytes;
    int* assign;
    double* mcost;
    double* terms;
    float* gl;
    float* gb;
    int* stats;
    cudaStream_t st;
};

// After a launch failed midway: every output gets the failure marker (0xff bytes: -1 ints,
// NaN floats and doubles), stream-ordered after what was enqueued. Best effort.
void mark_failed(const Fwd& f) {
    const size_t rows = (size_t)f.L * f.B * f.Q, items = (size_t)f.L * f.B * f.G;
    (void)cudaMemsetAsync(f.assign, 0xff, sizeof(int) * rows, f.st);
    (void)cudaMemsetAsync(f.terms, 0xff, sizeof(double) * H4J_TERMS_LEN * (size_t)f.L, f.st);
    if (f.mcost) (void)cudaMemsetAsync(f.mcost, 0xff, sizeof(double) * (size_t)f.L * f.B, f.st);
    if (f.stats) (void)cudaMemsetAsync(f.stats, 0xff, sizeof(int) * items * H4J_AUCTION_STATS_LEN, f.st);
    if (f.gl) (void)cudaMemsetAsync(f.gl, 0xff, sizeof(float) * rows * (size_t)f.C, f.st);
    if (f.gb) (void)cudaMemsetAsync(f.gb, 0xff, sizeof(float) * rows * 4, f.st);
    (void)cudaGetLastError();
}

// The stages, enqueued in order; `match` was prepared before the first of them.
int forward_enqueue(const Fwd& f, h4j::auction::PreparedLaunch& match) {
    using namespace h4j;
    char* base = static_cast<char*>(f.ws);
    const size_t fixed = forward_fixed_bytes(f.L, f.B, f.Q);
    int* offs_items = reinterpret_cast<int*>(base + offsets_at(f.L));
    double* item_costs = reinterpret_cast<double*>(base + item_costs_at(f.L, f.B, f.Q));
    float* costs = reinterpret_cast<float*>(base + fixed);
    const long long cap = (long long)((f.ws_bytes - fixed) / sizeof(float));

    cuda::LossLaunch L;
    L.L = f.L; L.B = f.B; L.Q = f.Q; L.C = f.C;
    L.logits = f.logits; L.boxes = f.boxes; L.offsets = f.offsets; L.labels = f.labels;
    L.tboxes = f.tboxes; L.assign = f.assign; L.cfg = f.lc;
    L.terms = f.terms; L.grad_logits = f.gl; L.grad_boxes = f.gb;
    L.scratch = f.ws;
    if (int rc = cuda::launch_loss_prepare_forward(L, f.max_m, cap, f.st)) return rc;

    cuda::CostParams cp = cuda::make_cost_params(f.B, f.Q, f.C, f.logits, f.boxes, f.offsets,
                                                 f.labels, f.tboxes, f.cfg, costs);
    cp.L = f.L;
    cp.G = f.G;
    unsigned int* bad = &static_cast<cuda::LossCtl*>(f.ws)->bad;
    cp.guard = reinterpret_cast<const int*>(bad);
    cp.offs_out = offs_items;
    if (int rc = cuda::launch_cost_blocks(cp, f.st)) return rc;

    const bool fold = f.G > 1 && f.mcost != nullptr;
    if (int rc = auction::enqueue_launch(match, offs_items, costs, f.assign,
                                         fold ? item_costs : f.mcost, f.stats, bad,
                                         cuda::kBadNonFiniteCost, "h4j_cuda_forward"))
        return rc;
    if (fold) {
        const int n = f.L * f.B;
        fold_groups_kernel<<<(unsigned)((n + 255) / 256), 256, 0, f.st>>>(item_costs, n, f.G, f.mcost);
        const cudaError_t e = cudaGetLastError();
        if (e != cudaSuccess) return cuda::fail(e, "fold_groups_kernel launch");
    }
    return cuda::launch_loss_rows(L, f.st);
}

int forward_impl(const Fwd& f) {
    using namespace h4j;
    const char* fn = "h4j_cuda_forward";
    auction::PreparedLaunch match;
    // nothing enqueued yet: L*B*G problems of Q/G rows
    if (int rc = auction::prepare_launch(f.L * f.B * f.G, f.Q / f.G, f.max_m, f.st, fn, &match))
        return rc;
    const int rc = forward_enqueue(f, match);
    if (rc != H4J_OK) {
        (void)auction::release_launch(match);
        mark_failed(f);
    }
    return rc;
}

// L >= 1 and L*B*Q < 2^31 (the checks h4j_cpu_forward_layers makes first).
int check_layers(int L, int B, int Q) {
    using namespace h4j;
    if (L < 1) return set_error(H4J_ERR_INVALID_ARG, "L is %d; must be >= 1", L);
    if ((long long)L * B * Q > 0x7fffffffLL)
        return set_error(H4J_ERR_INVALID_ARG, "L*B*Q is %lld; must be < 2^31", (long long)L * B * Q);
    return H4J_OK;
}

// The host conveniences: copies in, the pipeline, copies out, one synchronisation.
int forward_host(const char* fn, int L, int B, int Q, int C, const float* logits,
                 const float* boxes, const int* offsets, const int* labels, const float* tboxes,
                 const double* cfg, int* assign_out, double* matching_cost_out, double* terms_out,
                 float* grad_logits, float* grad_boxes, int* stats_out) {
    using namespace h4j;
    if (int rc = cuda::require_device()) return rc;
    if (int rc = check_layers(L, B, Q)) return rc;
    Problem p;
    long long T = 0;
    // validated exactly as h4j_cpu_forward_layers
    if (int rc = setup_problem(B, Q, C, logits, boxes, offsets, labels, tboxes, cfg, &p, &T, true))
        return rc;
    for (int l = 1; l < L; ++l)
        if (int rc = validate_layer_predictions(l, B, Q, C, logits, boxes)) return rc;
    if (int rc = require(assign_out, "assign_out")) return rc;
    if (int rc = require(terms_out, "terms_out")) return rc;
    if (int rc = validate_grad_pair(grad_logits, grad_boxes)) return rc;
    const int G = p.G;
    if ((long long)L * G * T > 0x7fffffffLL / 4)
        return set_error(H4J_ERR_INVALID_ARG, "offsets[B] is %lld; too many targets for %d layers "
                         "of %d groups", T, L, G);
    int max_m = 0;
    for (int b = 0; b < B; ++b) max_m = std::max(max_m, offsets[b + 1] - offsets[b]);
    const bool grads = grad_logits != nullptr;
    const size_t rows = (size_t)L * B * Q, items = (size_t)L * B * G;
    const size_t n_logits = rows * C * sizeof(float), n_boxes = rows * 4 * sizeof(float);
    const size_t n_off = ((size_t)B + 1) * sizeof(int), n_lab = (size_t)T * sizeof(int);
    const size_t n_tb = (size_t)T * 4 * sizeof(float), n_asg = rows * sizeof(int);
    const size_t n_mc = (size_t)L * B * sizeof(double);
    const size_t n_terms = (size_t)L * H4J_TERMS_LEN * sizeof(double);
    const size_t n_stats = items * H4J_AUCTION_STATS_LEN * sizeof(int);
    const size_t n_ws = forward_fixed_bytes(L, B, Q) + align256(sizeof(float) * (size_t)L * Q * (size_t)T);
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
    Fwd f;
    f.L = L; f.B = B; f.Q = Q; f.C = C; f.G = G; f.max_m = max_m;
    f.cfg = p.cfg;
    f.lc = lossf::loss_cfg(cfg);
    f.ws = take(n_ws);
    f.ws_bytes = n_ws;
    float* d_logits = reinterpret_cast<float*>(take(n_logits));
    float* d_boxes = reinterpret_cast<float*>(take(n_boxes));
    int* d_off = reinterpret_cast<int*>(take(n_off));
    int* d_lab = reinterpret_cast<int*>(take(n_lab));
    float* d_tb = reinterpret_cast<float*>(take(n_tb));
    f.assign = reinterpret_cast<int*>(take(n_asg));
    f.mcost = reinterpret_cast<double*>(take(n_mc));
    f.terms = reinterpret_cast<double*>(take(n_terms));
    f.stats = reinterpret_cast<int*>(take(n_stats));
    f.gl = grads ? reinterpret_cast<float*>(take(n_logits)) : nullptr;
    f.gb = grads ? reinterpret_cast<float*>(take(n_boxes)) : nullptr;
    f.logits = d_logits; f.boxes = d_boxes; f.offsets = d_off; f.labels = d_lab; f.tboxes = d_tb;
    f.st = st;
    if (int rc = cuda::copy_in(d_logits, logits, n_logits, st, fn)) return rc;
    if (int rc = cuda::copy_in(d_boxes, boxes, n_boxes, st, fn)) return rc;
    if (int rc = cuda::copy_in(d_off, offsets, n_off, st, fn)) return rc;
    if (int rc = cuda::copy_in(d_lab, labels, n_lab, st, fn)) return rc;
    if (int rc = cuda::copy_in(d_tb, tboxes, n_tb, st, fn)) return rc;
    if (int rc = forward_impl(f)) return rc;
    if (int rc = cuda::copy_out(assign_out, f.assign, n_asg, st, fn)) return rc;
    if (matching_cost_out)
        if (int rc = cuda::copy_out(matching_cost_out, f.mcost, n_mc, st, fn)) return rc;
    if (int rc = cuda::copy_out(terms_out, f.terms, n_terms, st, fn)) return rc;
    // the stats always come back: they say which problem's costs were not finite
    thread_local std::vector<int> stats_tmp;
    int* stats_host = stats_out;
    if (!stats_host) {
        stats_tmp.resize(items * H4J_AUCTION_STATS_LEN);
        stats_host = stats_tmp.data();
    }
    if (int rc = cuda::copy_out(stats_host, f.stats, n_stats, st, fn)) return rc;
    if (grads) {
        if (int rc = cuda::copy_out(grad_logits, f.gl, n_logits, st, fn)) return rc;
        if (int rc = cuda::copy_out(grad_boxes, f.gb, n_boxes, st, fn)) return rc;
    }
    const cudaError_t e = cudaStreamSynchronize(st);
    if (e != cudaSuccess) return cuda::fail(e, (std::string(fn) + ": pipeline kernels").c_str());
    for (size_t i = 0; i < items; ++i) {
        if (stats_host[i * H4J_AUCTION_STATS_LEN + H4J_AUCTION_STAT_OUTCOME] != H4J_AUCTION_NON_FINITE)
            continue;
        const int l = (int)(i / ((size_t)B * G)), b = (int)(i / G % B), g = (int)(i % G);
        if (L == 1 && G == 1)
            return set_error(H4J_ERR_NON_FINITE,
                             "%s: a matching cost of image %d is not finite (finite inputs whose "
                             "cost overflows float); terms are NaN",
                             fn, b);
        return set_error(H4J_ERR_NON_FINITE,
                         "%s: a matching cost of image %d (layer %d, query group %d) is not "
                         "finite (finite inputs whose cost overflows float); terms are NaN",
                         fn, b, l, g);
    }
    for (int l = 0; l < L; ++l)
        if (terms_out[(size_t)l * H4J_TERMS_LEN + H4J_TERM_NUM_BOXES] !=
            terms_out[(size_t)l * H4J_TERMS_LEN + H4J_TERM_NUM_BOXES])
            return set_error(H4J_ERR_INTERNAL,
                             "%s: device-side input checks failed after host validation passed", fn);
    return H4J_OK;
}

}  // namespace

extern "C" int h4j_cuda_forward_layers_workspace_size(int L, int B, int Q, int C,
                                                      int total_targets, int max_m,
                                                      size_t* bytes_out) {
    using namespace h4j;
    return guarded("h4j_cuda_forward_layers_workspace_size", [&]() -> int {
        if (int rc = cuda::require_device()) return rc;
        if (int rc = check_layers(L, B, Q)) return rc;
        if (int rc = validate_dims(B, Q, C, 1)) return rc;  // C = 1: one focal class
        if (total_targets < 0)
            return set_error(H4J_ERR_INVALID_ARG, "total_targets is %d; must be >= 0",
                             total_targets);
        if (max_m < 0) return set_error(H4J_ERR_INVALID_ARG, "max_m is %d; must be >= 0", max_m);
        if (int rc = require(bytes_out, "bytes_out")) return rc;
        *bytes_out = forward_fixed_bytes(L, B, Q) +
                     align256(sizeof(float) * (size_t)L * (size_t)Q * (size_t)total_targets);
        return H4J_OK;
    });
}

extern "C" int h4j_cuda_forward_workspace_size(int B, int Q, int C, int total_targets,
                                               int max_m, size_t* bytes_out) {
    return h4j_cuda_forward_layers_workspace_size(1, B, Q, C, total_targets, max_m, bytes_out);
}

extern "C" int h4j_cuda_forward_layers(int L, int B, int Q, int C, int max_m,
                                       const float* logits, const float* boxes,
                                       const int* offsets, const int* labels,
                                       const float* tboxes, const double* cfg_host,
                                       void* workspace, size_t workspace_bytes, int* assign_out,
                                       double* matching_cost_out, double* terms_out,
                                       float* grad_logits, float* grad_boxes, int* stats_out,
                                       void* stream) {
    using namespace h4j;
    return guarded("h4j_cuda_forward_layers", [&]() -> int {
        if (int rc = cuda::require_device()) return rc;
        if (int rc = check_layers(L, B, Q)) return rc;
        Fwd f;
        if (int rc = setup_config(B, Q, C, cfg_host, &f.cfg)) return rc;
        if (max_m < 0) return set_error(H4J_ERR_INVALID_ARG, "max_m is %d; must be >= 0", max_m);
        if (int rc = require(logits, "pred_logits")) return rc;
        if (int rc = require(boxes, "pred_boxes")) return rc;
        if (int rc = require(offsets, "offsets")) return rc;
        if (int rc = require(assign_out, "assign_out")) return rc;
        if (int rc = require(terms_out, "terms_out")) return rc;
        if (int rc = validate_grad_pair(grad_logits, grad_boxes)) return rc;
        f.L = L; f.B = B; f.Q = Q; f.C = C; f.G = f.cfg.groups; f.max_m = max_m;
        f.lc = lossf::loss_cfg(cfg_host);
        f.logits = logits; f.boxes = boxes; f.offsets = offsets; f.labels = labels;
        f.tboxes = tboxes;
        f.assign = assign_out; f.mcost = matching_cost_out; f.terms = terms_out;
        f.gl = grad_logits; f.gb = grad_boxes; f.stats = stats_out;
        f.st = static_cast<cudaStream_t>(stream);
        const size_t fixed = forward_fixed_bytes(L, B, Q);
        if (workspace) {
            if ((reinterpret_cast<std::uintptr_t>(workspace) & 15u) != 0)
                return set_error(H4J_ERR_INVALID_ARG,
                                 "h4j_cuda_forward: workspace is not 16-byte aligned");
            if (workspace_bytes < fixed)
                return set_error(H4J_ERR_INVALID_ARG,
                                 "h4j_cuda_forward: workspace_bytes is %zu; must be >= %zu (see "
                                 "h4j_cuda_forward_workspace_size)",
                                 workspace_bytes, fixed);
            f.ws = workspace;
            f.ws_bytes = workspace_bytes;
            return forward_impl(f);
        }
        // No workspace: a stream-ordered allocation sized for the promise (T <= B * max_m), from
        // the library's pool that keeps its memory (no cudaMalloc per call in steady state).
        const size_t bytes =
            fixed + align256(sizeof(float) * (size_t)L * Q * (size_t)B * (size_t)max_m);
        void* ws = nullptr;
        if (int rc = cuda::pool_alloc_async(&ws, bytes, f.st, "h4j_cuda_forward: stream-ordered workspace"))
            return rc;
        f.ws = ws;
        f.ws_bytes = bytes;
        const int rc = forward_impl(f);
        const cudaError_t e = cudaFreeAsync(ws, f.st);
        if (rc != H4J_OK) return rc;
        if (e != cudaSuccess) return cuda::fail(e, "h4j_cuda_forward: cudaFreeAsync(workspace)");
        return H4J_OK;
    });
}

extern "C" int h4j_cuda_forward(int B, int Q, int C, int max_m, const float* logits,
                                const float* boxes, const int* offsets, const int* labels,
                                const float* tboxes, const double* cfg_host, void* workspace,
                                size_t workspace_bytes, int* assign_out,
                                double* matching_cost_out, double* terms_out, float* grad_logits,
                                float* grad_boxes, int* stats_out, void* stream) {
    return h4j_cuda_forward_layers(1, B, Q, C, max_m, logits, boxes, offsets, labels, tboxes,
                                   cfg_host, workspace, workspace_bytes, assign_out,
                                   matching_cost_out, terms_out, grad_logits, grad_boxes,
                                   stats_out, stream);
}

extern "C" int h4j_cuda_forward_layers_host(int L, int B, int Q, int C, const float* logits,
                                            const float* boxes, const int* offsets,
                                            const int* labels, const float* tboxes,
                                            const double* cfg, int* assign_out,
                                            double* matching_cost_out, double* terms_out,
                                            float* grad_logits, float* grad_boxes,
                                            int* stats_out) {
    return h4j::guarded("h4j_cuda_forward_layers_host", [&]() -> int {
        return forward_host("h4j_cuda_forward_layers_host", L, B, Q, C, logits, boxes, offsets,
                            labels, tboxes, cfg, assign_out, matching_cost_out, terms_out,
                            grad_logits, grad_boxes, stats_out);
    });
}

extern "C" int h4j_cuda_forward_host(int B, int Q, int C, const float* logits, const float* boxes,
                                     const int* offsets, const int* labels, const float* tboxes,
                                     const double* cfg, int* assign_out,
                                     double* matching_cost_out, double* terms_out,
                                     float* grad_logits, float* grad_boxes, int* stats_out) {
    return h4j::guarded("h4j_cuda_forward_host", [&]() -> int {
        return forward_host("h4j_cuda_forward_host", 1, B, Q, C, logits, boxes, offsets, labels,
                            tboxes, cfg, assign_out, matching_cost_out, terms_out, grad_logits,
                            grad_boxes, stats_out);
    });
}

#endif  // H4J_WITH_CUDA

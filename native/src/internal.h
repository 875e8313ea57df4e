// hungarian4j — internal declarations shared by the C++ sources (and the CUDA sources).
// Not part of the public API; nothing here is exported on purpose.
#ifndef HUNGARIAN4J_INTERNAL_H
#define HUNGARIAN4J_INTERNAL_H

#include <mutex>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <new>
#include <vector>

#include "hungarian4j/hd_math.h"
#include "hungarian4j/hungarian4j.h"

namespace h4j {

// ---- errors (errors.cpp) ---------------------------------------------------------------------

/// Sets this thread's last error to the printf-formatted message and returns `status`.
int set_error(int status, const char* fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/// Clears this thread's last error.
void clear_error();
/// Shortest decimal text that reads back as the same float ("-0.1", "nan", "inf").
/// Writes into buf[n] and returns buf.
const char* fmt_float(float x, char* buf, std::size_t n);
const char* fmt_double(double x, char* buf, std::size_t n);

/// Runs `body` (returning a status) and turns any C++ exception into a status + message.
template <typename F>
int guarded(const char* fn, F&& body) noexcept {
    try {
        clear_error();
        return body();
    } catch (const std::bad_alloc&) {
        return set_error(H4J_ERR_OUT_OF_MEMORY, "%s: out of host memory", fn);
    } catch (...) {
        return set_error(H4J_ERR_INTERNAL, "%s: unexpected internal exception", fn);
    }
}

// ---- config and validation (validate.cpp) ----------------------------------------------------

struct Config {
    double cost_class = 1.0;
    double cost_bbox = 5.0;
    double cost_giou = 2.0;
    bool log_prob = false;
    double loss_ce = 1.0;
    double loss_bbox = 5.0;
    double loss_giou = 2.0;
    double eos_coef = 0.1;
    bool reduction_sum = false;
    // contract.md section 3
    int groups = 1;            // query groups G
    double num_boxes = 0;      // external normalizer; 0 = max(1, sum_b M_b)
    bool focal = false;        // sigmoid focal class cost and loss
    double focal_alpha = 0.25;
    double focal_gamma = 2.0;
};

/// Parses and validates cfg (NULL = defaults) with contract.md section 3's slots.
int parse_config_ext(const double* cfg, Config* out);

/// B >= 1, Q >= 1, B*Q < 2^31 (the functions without logits: the matchers).
int validate_sizes(int B, int Q);
/// validate_sizes and C >= min_c (2: K real classes plus no-object; 1 for focal). A negative C is
/// refused like any other too small C (it once skipped the check and crashed the kernels).
int validate_dims(int B, int Q, int C, int min_c = 2);
/// offsets[B+1] monotone from 0; on success *T_out = offsets[B].
int validate_offsets(int B, const int* offsets, long long* T_out);
/// labels[T] in [0, C-1), tboxes[T*4] finite with w, h >= 0 (focal: pass C+1 for K = C).
int validate_targets(long long T, int C, const int* labels, const float* tboxes);
/// logits[B*Q*C] finite; boxes[B*Q*4] finite with w, h >= 0.
int validate_predictions(int B, int Q, int C, const float* logits, const float* boxes);
/// The conditions of validate_predictions on one slice (nl logits, nb = 4*rows box floats), as a
/// yes/no without a message: for a parallel pre-check, whose failures validate_predictions names.
bool predictions_valid(const float* logits, std::size_t nl, const float* boxes,
                       std::size_t nb) noexcept;
/// costs[Q*T] finite.
int validate_costs(int B, int Q, const int* offsets, const float* costs);
/// assign[B*Q] a matching: entries in [-1, M_b), no target twice in one image (with G query
/// groups: in one group of Q/G queries).
int validate_assign(int B, int Q, const int* offsets, const int* assign, int G = 1);
/// Per-call record of cost blocks that overflowed float32: overflow[b] = first bad index of image
/// b's block, or -1. Reset for B images on the calling thread; written by the image's worker.
std::vector<long long>& overflow_scratch(int B);
/// Marks image b's Q x M block in `overflow` when an entry is not finite (finite inputs whose cost
/// exceeds float32) and returns H4J_ERR_INVALID_ARG; else H4J_OK.
int check_block(int b, int Q, int M, const float* block, std::vector<long long>& overflow);
/// After a failed per-image loop: the message naming the first overflowed pair when there is one,
/// else `rc` unchanged.
int report_overflow(int B, const int* offsets, int Q, const std::vector<long long>& overflow, int rc);
/// ptr != NULL, else an INVALID_ARG naming it.
int require(const void* ptr, const char* name);
/// grad_logits and grad_boxes both NULL or both non-NULL, else an INVALID_ARG.
int validate_grad_pair(const float* grad_logits, const float* grad_boxes);

// ---- the problem and its per-image kernels ---------------------------------------------------

/// The batch as a list of independent assignment problems ("items"). Item i is (layer, image,
/// group) = (i / (nimg*G), (i / G) % nimg, i % G): Q rows (queries of one group) matched against
/// all targets of its image. Layers and groups are contiguous in the flat layout, so item i's rows
/// start at row i*Q of logits and boxes. Without layers and groups an item is an image.
struct Problem {
    int B = 0, Q = 0, C = 0;  // B items of Q rows each, C logits per row
    int nimg = 0;             // images per layer (the CSR's B); 0: items are the images
    int G = 1;                // query groups per image
    const float* logits = nullptr;
    const float* boxes = nullptr;
    const int* offsets = nullptr;
    const int* labels = nullptr;
    const float* tboxes = nullptr;
    Config cfg;

    int img(int i) const { return G == 1 && (nimg == B || nimg == 0) ? i : (i / G) % nimg; }
    int M(int i) const { return offsets[img(i) + 1] - offsets[img(i)]; }
    /// Index of item i's first target in labels / tboxes.
    int first(int i) const { return offsets[img(i)]; }
    /// Set for layers given as one pointer per layer (h4j_cpu_forward_layers_v): item i is item
    /// i % per_layer of layer i / per_layer; NULL: items are contiguous from logits / boxes.
    const float* const* layer_logits = nullptr;
    const float* const* layer_boxes = nullptr;
    int per_layer = 0;  // items per layer (nimg * G) when layer_logits is set
    /// Set on an item's own copy of the problem (h4j_cpu_forward_layers_io): that item's rows,
    /// loaded into this thread's scratch.
    const float* item_logits = nullptr;
    const float* item_boxes = nullptr;

    const float* logits_of(int i) const {
        if (item_logits) return item_logits;
        if (layer_logits)
            return layer_logits[i / per_layer] + (std::size_t)(i % per_layer) * Q * C;
        return logits + (std::size_t)i * Q * C;
    }
    const float* boxes_of(int i) const {
        if (item_boxes) return item_boxes;
        if (layer_boxes) return layer_boxes[i / per_layer] + (std::size_t)(i % per_layer) * Q * 4;
        return boxes + (std::size_t)i * Q * 4;
    }
    /// The normalizer of one layer: (cfg.num_boxes or max(1, sum_b M_b)) * G.
    double num_boxes() const {
        const long long T = offsets[nimg > 0 ? nimg : B];
        const double n = cfg.num_boxes > 0 ? cfg.num_boxes : (T > 1 ? (double)T : 1.0);
        return n * G;
    }
};

/// Reusable per-thread buffers of one image (grow only; no allocation in steady state).
struct ImageWork {
    std::vector<float> mx;      // [Q] row maximum                      (kept rows only)
    std::vector<double> inv_s;  // [Q] 1 / sum exp(l - max)             (kept rows only)
    std::vector<double> lse;    // [Q] log-sum-exp                      (kept rows only)
    std::vector<float> ex;      // [Q*C] exp(l - max) when kept, else [C] for one row
    std::vector<double> tsoa;   // [9*M] target boxes, struct of arrays (see image_cost)
    std::vector<double> cc;     // [M] class costs of one row
    std::vector<float> cost;    // [Q*M] cost block (forward only)
    /// keep_rows: room for the softmax of all Q rows (image_cost keeps them for image_loss).
    void ensure(int Q, int C, int M, std::size_t cost_len, bool keep_rows);
};
ImageWork& image_work();  // this thread's instance

/// Cost block of image b (Q x M_b, M_b >= 1) into out. With keep_rows, the softmax statistics
/// of every row stay in w (mx, inv_s, lse, ex[Q*C]) for image_loss(..., have_rows = true).
/// Returns whether the logits of every softmax row were finite (always true for the focal cost,
/// which reads only the labels' logits): the block is meaningless when not.
bool image_cost(const Problem& p, int b, ImageWork& w, float* out, bool keep_rows);

/// Per-image partial sums of the loss.
struct ImageTerms {
    double ce_num = 0;  // sum_q w(t) * nll (focal: sum of FL over the rows' logits)
    double l1 = 0;      // sum over matched of ||p - t||_1
    double giou = 0;    // sum over matched of (1 - giou)
    double mc = 0;      // matching cost of the item (forward only)
};
struct LossScales {
    double ce = 0, bbox = 0, giou = 0;  // d total / d (per-element term)
};
/// Loss terms of image b for assign_b[Q]; gradients (scaled) when gl/gb are non-NULL. With
/// have_rows the softmax statistics kept by image_cost are used, else each row's are computed;
/// returns whether the logits of the rows it computed were finite (true for the focal loss).
bool image_loss(const Problem& p, int b, const int* assign_b, ImageWork& w, const LossScales& sc,
                float* gl, float* gb, ImageTerms* out, bool have_rows);
/// image_loss for the sigmoid focal loss (focal.cpp): no softmax, no no-object class.
void image_loss_focal(const Problem& p, int b, const int* assign_b, const LossScales& sc,
                      float* gl, float* gb, ImageTerms* out);
/// Global normalizers and gradient scales of the loss for the given numbers of matched and
/// unmatched predictions (summed over the batch).
struct LossNorm {
    double weight_sum = 0;  // sum of w(t) (ce loss)
    double num_boxes = 1;   // Problem::num_boxes()
    LossScales scales;
};
/// matched / unmatched: predictions of ONE layer.
LossNorm loss_norm(const Problem& p, long long matched, long long unmatched);
/// Combines the per-item terms of one layer (`count` items in item order) into terms_out[5].
void finish_terms(const Problem& p, const LossNorm& n, const ImageTerms* per_image, int count,
                  double* terms_out);

/// This thread's per-image terms buffer of at least B entries (grow only).
std::vector<ImageTerms>& terms_scratch(int B);

/// Exact LSAP of one Q x M float block (row-major); assign_q[Q] = column or -1; returns
/// H4J_OK or an error status (message set). *match_cost = double sum of the matched costs.
int lsap_block(int Q, int M, const float* block, int* assign_q, double* match_cost);

// ---- parallelism (pool.cpp) ------------------------------------------------------------------

/// Runs fn(ctx, i) for i in [0, n), on the persistent pool when it is free and the work is
/// large enough, else serially on the calling thread. fn must not throw.
void parallel_for_impl(int n, double work, void (*fn)(void*, int), void* ctx);

template <typename F>
void parallel_for(int n, double work, F& f) {
    parallel_for_impl(
        n, work, [](void* c, int i) { (*static_cast<F*>(c))(i); }, &f);
}

/// Remembers the lowest failing item index of a parallel loop (deterministic error report).
struct FirstFailure {
    std::mutex mu;
    int first = INT_MAX;
    int status = H4J_OK;
    void mark(int i, int st) {
        std::lock_guard<std::mutex> lk(mu);
        if (i < first) {
            first = i;
            status = st;
        }
    }
    bool any() {
        std::lock_guard<std::mutex> lk(mu);
        return first != INT_MAX;
    }
};

/// Estimated serial time of the per-image stages in nanoseconds (calibrated on the CPU kernels;
/// only the serial/parallel choice and the number of helpers depend on it, never a result).
double estimate_work(const Problem& p, bool cost, bool match, bool loss);

/// cfg parsed with section 3 (parse_config_ext), then dims (C >= 1 with the focal loss, else 2)
/// and G dividing Q: the checks of the entry points that take device pointers.
int setup_config(int B, int Q, int C, const double* cfg, Config* out);
/// validate_predictions of layer l of L contiguous layers; a failure of layer l >= 1 is prefixed
/// "layer l: ".
int validate_layer_predictions(int l, int B, int Q, int C, const float* logits,
                               const float* boxes);
/// validate_predictions of layer l given by its own arrays (B*Q*C logits, B*Q*4 boxes), with the
/// same "layer l: " prefix for l >= 1.
int validate_layer_arrays(int l, int B, int Q, int C, const float* layer_logits,
                          const float* layer_boxes);

/// The argument checks shared by the entry points that take predictions and targets
/// (h4j_cpu_cost_blocks, h4j_cpu_loss, h4j_cpu_forward): dims, cfg, offsets, targets and
/// predictions, in that order. On success fills *p and *T_out = offsets[B].
/// With the section 3 config (groups, num_boxes, focal): items are (image, group) when
/// `grouped`, else images (the cost blocks, whose layout does not depend on groups).
int setup_problem(int B, int Q, int C, const float* logits, const float* boxes,
                  const int* offsets, const int* labels, const float* tboxes, const double* cfg,
                  Problem* p, long long* T_out, bool grouped = false);
/// setup_problem without the predictions' check, for h4j_cpu_forward_layers_io, whose
/// predictions are loaded (and then checked) only after the targets have been.
int setup_problem_unchecked(int B, int Q, int C, const float* logits, const float* boxes,
                            const int* offsets, const int* labels, const float* tboxes,
                            const double* cfg, Problem* p, long long* T_out, bool grouped);

/// Runs body(b) -> status for every image b in [0, B), on the pool when `work` (estimate_work)
/// is worth it. Returns H4J_OK, or the failure of the lowest failing image (a non-OK status from
/// body, or an exception: out of memory) as "fn: image b failed (...)" — deterministic whatever
/// the number of threads.
template <typename F>
int for_each_image(const char* fn, int B, double work, F&& body) {
    FirstFailure fail;
    auto item = [&](int b) {
        try {
            const int rc = body(b);
            if (rc != H4J_OK) fail.mark(b, rc);
        } catch (...) {
            fail.mark(b, H4J_ERR_OUT_OF_MEMORY);
        }
    };
    parallel_for(B, work, item);
    if (fail.any())
        return set_error(fail.status, "%s: image %d failed (%s)", fn, fail.first,
                         h4j_status_string(fail.status));
    return H4J_OK;
}

}  // namespace h4j

#endif  // HUNGARIAN4J_INTERNAL_H

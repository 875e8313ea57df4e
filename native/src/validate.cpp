// hungarian4j — argument validation with messages that name the argument and the index.
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "cpu_kernels.h"
#include "internal.h"

namespace h4j {

int require(const void* ptr, const char* name) {
    if (ptr == nullptr) return set_error(H4J_ERR_INVALID_ARG, "%s is NULL", name);
    return H4J_OK;
}

int validate_grad_pair(const float* grad_logits, const float* grad_boxes) {
    if ((grad_logits == nullptr) != (grad_boxes == nullptr))
        return set_error(H4J_ERR_INVALID_ARG,
                         "grad_logits and grad_boxes must be both NULL or both non-NULL");
    return H4J_OK;
}

int setup_config(int B, int Q, int C, const double* cfg, Config* out) {
    if (int rc = parse_config_ext(cfg, out)) return rc;
    if (int rc = validate_dims(B, Q, C, out->focal ? 1 : 2)) return rc;
    if (Q % out->groups != 0)
        return set_error(H4J_ERR_INVALID_ARG,
                         "cfg[%d] (groups) is %d; must divide Q = %d (query groups of equal size)",
                         H4J_CFG_GROUPS, out->groups, Q);
    return H4J_OK;
}

int validate_layer_predictions(int l, int B, int Q, int C, const float* logits,
                               const float* boxes) {
    const std::size_t off = (std::size_t)l * B * Q;
    return validate_layer_arrays(l, B, Q, C, logits + off * C, boxes + off * 4);
}

int validate_layer_arrays(int l, int B, int Q, int C, const float* layer_logits,
                          const float* layer_boxes) {
    const int rc = validate_predictions(B, Q, C, layer_logits, layer_boxes);
    if (rc == H4J_OK || l == 0) return rc;
    const std::string msg = h4j_last_error();
    return set_error(rc, "layer %d: %s", l, msg.c_str());
}

int setup_problem(int B, int Q, int C, const float* logits, const float* boxes,
                  const int* offsets, const int* labels, const float* tboxes, const double* cfg,
                  Problem* p, long long* T_out, bool grouped) {
    if (int rc = setup_problem_unchecked(B, Q, C, logits, boxes, offsets, labels, tboxes, cfg, p,
                                         T_out, grouped))
        return rc;
    return validate_predictions(B, Q, C, logits, boxes);
}

int setup_problem_unchecked(int B, int Q, int C, const float* logits, const float* boxes,
                            const int* offsets, const int* labels, const float* tboxes,
                            const double* cfg, Problem* p, long long* T_out, bool grouped) {
    if (int rc = setup_config(B, Q, C, cfg, &p->cfg)) return rc;
    const bool focal = p->cfg.focal;
    const int G = p->cfg.groups;
    if (int rc = validate_offsets(B, offsets, T_out)) return rc;
    if (int rc = validate_targets(*T_out, focal ? C + 1 : C, labels, tboxes)) return rc;
    p->G = grouped ? G : 1;
    p->nimg = B;
    p->B = B * p->G;
    p->Q = Q / p->G;
    p->C = C;
    p->logits = logits;
    p->boxes = boxes;
    p->offsets = offsets;
    p->labels = labels;
    p->tboxes = tboxes;
    return H4J_OK;
}

namespace {

const char* const kCfgNames[H4J_CFG_LEN] = {
    "cost_class", "cost_bbox",   "cost_giou",   "class_cost", "loss_ce_weight", "loss_bbox_weight",
    "loss_giou_weight", "eos_coef", "reduction", "groups",   "num_boxes",      "loss_class",
    "focal_alpha", "focal_gamma", "reserved",  "reserved"};

int bad_cfg(int i, double v, const char* rule) {
    char buf[48];
    return set_error(H4J_ERR_INVALID_ARG, "cfg[%d] (%s) is %s; %s", i, kCfgNames[i],
                     fmt_double(v, buf, sizeof buf), rule);
}

}  // namespace

// Sections 1 and 3 (slots 9..13 and the focal class cost); 14..15 reserved.
int parse_config_ext(const double* cfg, Config* out) {
    Config c;
    if (cfg == nullptr) {
        *out = c;
        return H4J_OK;
    }
    char buf[48];
    for (int i = 0; i < H4J_CFG_LEN; ++i) {
        if (!std::isfinite(cfg[i]))
            return set_error(H4J_ERR_NON_FINITE, "cfg[%d] (%s) is %s; must be finite", i,
                             kCfgNames[i], fmt_double(cfg[i], buf, sizeof buf));
    }
    const int weights[] = {H4J_CFG_COST_CLASS, H4J_CFG_COST_BBOX, H4J_CFG_COST_GIOU,
                           H4J_CFG_LOSS_CE,    H4J_CFG_LOSS_BBOX, H4J_CFG_LOSS_GIOU,
                           H4J_CFG_EOS_COEF};
    for (int i : weights) {
        if (cfg[i] < 0) return bad_cfg(i, cfg[i], "must be >= 0");
    }
    const double cc = cfg[H4J_CFG_CLASS_COST];
    if (cc != H4J_CLASS_COST_PROB && cc != H4J_CLASS_COST_LOG_PROB && cc != H4J_CLASS_COST_FOCAL)
        return bad_cfg(H4J_CFG_CLASS_COST, cc, "must be 0 (prob), 1 (log_prob) or 2 (focal)");
    const double red = cfg[H4J_CFG_REDUCTION];
    if (red != H4J_REDUCTION_DETR && red != H4J_REDUCTION_SUM)
        return bad_cfg(H4J_CFG_REDUCTION, red, "must be 0 (detr) or 1 (sum)");
    const int first_reserved = H4J_CFG_FOCAL_GAMMA + 1;
    for (int i = first_reserved; i < H4J_CFG_LEN; ++i) {
        if (cfg[i] != 0)
            return set_error(H4J_ERR_INVALID_ARG,
                             "cfg[%d] (%s) is %s; %s, must be 0", i, kCfgNames[i],
                             fmt_double(cfg[i], buf, sizeof buf),
                             "reserved for an extension this library version does not implement");
    }
    {
        const double g = cfg[H4J_CFG_GROUPS];
        if (g < 0 || g != std::floor(g) || g > 1 << 30)
            return bad_cfg(H4J_CFG_GROUPS, g, "must be an integer >= 1 (0 also means 1)");
        c.groups = g < 1 ? 1 : (int)g;
        const double nb = cfg[H4J_CFG_NUM_BOXES];
        if (nb < 0) return bad_cfg(H4J_CFG_NUM_BOXES, nb, "must be > 0 (or 0 for max(1, sum M_b))");
        c.num_boxes = nb;
        const double lc = cfg[H4J_CFG_LOSS_CLASS];
        if (lc != H4J_LOSS_CLASS_CE && lc != H4J_LOSS_CLASS_FOCAL)
            return bad_cfg(H4J_CFG_LOSS_CLASS, lc, "must be 0 (ce) or 1 (focal)");
        c.focal = lc == H4J_LOSS_CLASS_FOCAL;
        if (c.focal != (cc == H4J_CLASS_COST_FOCAL))
            return bad_cfg(H4J_CFG_CLASS_COST, cc,
                           c.focal ? "must be 2 (focal) when cfg[11] (loss_class) is 1 (focal)"
                                   : "2 (focal) needs cfg[11] (loss_class) = 1 (focal)");
        const double a = cfg[H4J_CFG_FOCAL_ALPHA], gm = cfg[H4J_CFG_FOCAL_GAMMA];
        if (a < 0 || a > 1) return bad_cfg(H4J_CFG_FOCAL_ALPHA, a, "must be in [0, 1]");
        if (gm < 0) return bad_cfg(H4J_CFG_FOCAL_GAMMA, gm, "must be >= 0");
        c.focal_alpha = a;
        c.focal_gamma = gm;
    }
    c.cost_class = cfg[H4J_CFG_COST_CLASS];
    c.cost_bbox = cfg[H4J_CFG_COST_BBOX];
    c.cost_giou = cfg[H4J_CFG_COST_GIOU];
    c.log_prob = cc == H4J_CLASS_COST_LOG_PROB;
    c.loss_ce = cfg[H4J_CFG_LOSS_CE];
    c.loss_bbox = cfg[H4J_CFG_LOSS_BBOX];
    c.loss_giou = cfg[H4J_CFG_LOSS_GIOU];
    c.eos_coef = cfg[H4J_CFG_EOS_COEF];
    c.reduction_sum = red == H4J_REDUCTION_SUM;
    *out = c;
    return H4J_OK;
}

int validate_sizes(int B, int Q) {
    if (B < 1) return set_error(H4J_ERR_INVALID_ARG, "B is %d; must be >= 1", B);
    if (Q < 1) return set_error(H4J_ERR_INVALID_ARG, "Q is %d; must be >= 1", Q);
    // every flat index must fit in 63 bits, and B*Q in an int (assignments are int[B*Q])
    if ((long long)B * Q > 0x7fffffffLL)
        return set_error(H4J_ERR_INVALID_ARG, "B*Q is %lld; must be < 2^31", (long long)B * Q);
    return H4J_OK;
}

int validate_dims(int B, int Q, int C, int min_c) {
    if (int rc = validate_sizes(B, Q)) return rc;
    // C < 0 is as bad as a too small C: a negative C once skipped this check and crashed the kernels
    if (C < min_c)
        return set_error(H4J_ERR_INVALID_ARG,
                         min_c == 2 ? "C is %d; must be >= 2 (K real classes plus no-object, K >= 1)"
                                    : "C is %d; must be >= 1 (K focal classes, K >= 1)",
                         C);
    return H4J_OK;
}

int validate_offsets(int B, const int* offsets, long long* T_out) {
    if (int rc = require(offsets, "offsets")) return rc;
    if (offsets[0] != 0)
        return set_error(H4J_ERR_INVALID_ARG, "offsets[0] is %d; must be 0", offsets[0]);
    for (int b = 0; b < B; ++b) {
        if (offsets[b + 1] < offsets[b])
            return set_error(H4J_ERR_INVALID_ARG,
                             "offsets[%d] is %d; must be >= offsets[%d] = %d (targets of "
                             "image %d cannot be a negative count)",
                             b + 1, offsets[b + 1], b, offsets[b], b);
    }
    *T_out = offsets[B];
    return H4J_OK;
}

namespace {

// True when every x[i] is finite: no exponent field all ones. Integer-only, so it vectorizes
// (and, over B*Q*C logits, is worth an AVX2 clone).
H4J_CPU_CLONES
bool all_finite(const float* x, std::size_t n) {
    std::uint32_t bad = 0;
    for (std::size_t i = 0; i < n; ++i) {
        std::uint32_t u;
        std::memcpy(&u, x + i, sizeof u);
        bad |= (std::uint32_t)((u & 0x7f800000u) == 0x7f800000u);
    }
    return bad == 0;
}

std::size_t first_non_finite(const float* x, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i)
        if (!std::isfinite(x[i])) return i;
    return n;
}

const char* const kSide[4] = {"", "", "width", "height"};

// The first value of the predictions that is not allowed, in the order they are checked: any
// non-finite logit, then any non-finite box value, then a negative width or height, box by box.
struct BadPrediction {
    enum Kind { NONE, LOGIT, BOX, SIDE } kind;
    std::size_t index;  // into the logits (LOGIT) or the boxes (BOX, SIDE)
};

BadPrediction first_bad_prediction(const float* logits, std::size_t nl, const float* boxes,
                                   std::size_t nb) noexcept {
    if (!all_finite(logits, nl)) return {BadPrediction::LOGIT, first_non_finite(logits, nl)};
    if (!all_finite(boxes, nb)) return {BadPrediction::BOX, first_non_finite(boxes, nb)};
    for (std::size_t i = 0; i < nb; i += 4)
        for (std::size_t k = 2; k < 4; ++k)
            if (!(boxes[i + k] >= 0.0f)) return {BadPrediction::SIDE, i + k};
    return {BadPrediction::NONE, 0};
}

}  // namespace

bool predictions_valid(const float* logits, std::size_t nl, const float* boxes,
                       std::size_t nb) noexcept {
    return first_bad_prediction(logits, nl, boxes, nb).kind == BadPrediction::NONE;
}

int validate_targets(long long T, int C, const int* labels, const float* tboxes) {
    const int K = C - 1;
    if (T > 0) {
        if (int rc = require(labels, "labels")) return rc;
        if (int rc = require(tboxes, "target_boxes")) return rc;
    }
    char buf[48];
    for (long long t = 0; t < T; ++t) {
        if (labels[t] < 0 || labels[t] >= K)
            return set_error(H4J_ERR_INVALID_ARG, "labels[%lld] is %d; must be in [0, %d)", t,
                             labels[t], K);
    }
    const std::size_t n = (std::size_t)T * 4;
    if (!all_finite(tboxes, n)) {
        std::size_t i = first_non_finite(tboxes, n);
        return set_error(H4J_ERR_NON_FINITE, "target_boxes[%zu][%zu] is %s; must be finite",
                         i / 4, i % 4, fmt_float(tboxes[i], buf, sizeof buf));
    }
    for (std::size_t i = 0; i < n; i += 4) {
        for (int k = 2; k < 4; ++k) {
            if (!(tboxes[i + k] >= 0.0f))
                return set_error(H4J_ERR_INVALID_ARG,
                                 "target_boxes[%zu][%d] is %s; %s must be >= 0", i / 4, k,
                                 fmt_float(tboxes[i + k], buf, sizeof buf), kSide[k]);
        }
    }
    return H4J_OK;
}

int validate_predictions(int B, int Q, int C, const float* logits, const float* boxes) {
    if (int rc = require(logits, "pred_logits")) return rc;
    if (int rc = require(boxes, "pred_boxes")) return rc;
    const BadPrediction bad =
        first_bad_prediction(logits, (std::size_t)B * Q * C, boxes, (std::size_t)B * Q * 4);
    if (bad.kind == BadPrediction::NONE) return H4J_OK;
    char buf[48];
    const std::size_t i = bad.index;
    if (bad.kind == BadPrediction::LOGIT) {
        const std::size_t row = i / C;
        return set_error(H4J_ERR_NON_FINITE, "pred_logits[%zu][%zu][%zu] is %s; must be finite",
                         row / Q, row % Q, i % C, fmt_float(logits[i], buf, sizeof buf));
    }
    const std::size_t row = i / 4;
    if (bad.kind == BadPrediction::BOX)
        return set_error(H4J_ERR_NON_FINITE, "pred_boxes[%zu][%zu][%zu] is %s; must be finite",
                         row / Q, row % Q, i % 4, fmt_float(boxes[i], buf, sizeof buf));
    return set_error(H4J_ERR_INVALID_ARG, "pred_boxes[%zu][%zu][%zu] is %s; %s must be >= 0",
                     row / Q, row % Q, i % 4, fmt_float(boxes[i], buf, sizeof buf), kSide[i % 4]);
}

std::vector<long long>& overflow_scratch(int B) {
    thread_local std::vector<long long> v;
    v.assign((std::size_t)B, -1);
    return v;
}

int check_block(int b, int Q, int M, const float* block, std::vector<long long>& overflow) {
    const std::size_t n = (std::size_t)Q * M;
    if (all_finite(block, n)) return H4J_OK;
    overflow[b] = (long long)first_non_finite(block, n);
    return H4J_ERR_INVALID_ARG;
}

int report_overflow(int B, const int* offsets, int Q, const std::vector<long long>& overflow, int rc) {
    (void)Q;
    for (int b = 0; b < B; ++b) {
        if (overflow[b] < 0) continue;
        const long long M = offsets[b + 1] - offsets[b];
        const long long q = overflow[b] / M, j = overflow[b] % M;
        return set_error(H4J_ERR_INVALID_ARG,
                         "pred_boxes[%d][%lld] with target %lld of image %d: the matching cost is "
                         "not finite in float32 (finite inputs, but |cost| > 3.4e38); scale the "
                         "boxes, the logits or the cost weights",
                         b, q, j, b);
    }
    return rc;
}

int validate_costs(int B, int Q, const int* offsets, const float* costs) {
    const std::size_t n = (std::size_t)Q * (std::size_t)offsets[B];
    if (n == 0) return H4J_OK;
    if (int rc = require(costs, "costs")) return rc;
    if (all_finite(costs, n)) return H4J_OK;
    const std::size_t i = first_non_finite(costs, n);
    // locate the block
    int b = 0;
    while ((std::size_t)Q * offsets[b + 1] <= i) ++b;
    const int M = offsets[b + 1] - offsets[b];
    const std::size_t local = i - (std::size_t)Q * offsets[b];
    char buf[48];
    return set_error(H4J_ERR_NON_FINITE, "costs[%d][%zu][%zu] is %s; must be finite", b,
                     local / M, local % M, fmt_float(costs[i], buf, sizeof buf));
}

int validate_assign(int B, int Q, const int* offsets, const int* assign, int G) {
    if (int rc = require(assign, "assign")) return rc;
    thread_local std::vector<int> owner;
    const int Qg = Q / G;
    for (int b = 0; b < B; ++b) {
        const int M = offsets[b + 1] - offsets[b];
        if ((int)owner.size() < M) owner.resize(M);
        const int* a = assign + (std::size_t)b * Q;
        for (int q = 0; q < Q; ++q) {
            if (q % Qg == 0) std::fill(owner.begin(), owner.begin() + M, -1);  // a new group
            const int j = a[q];
            if (j < -1 || j >= M)
                return set_error(H4J_ERR_INVALID_ARG,
                                 "assign[%d][%d] is %d; must be -1 or a target of image %d in "
                                 "[0, %d)",
                                 b, q, j, b, M);
            if (j >= 0) {
                if (owner[j] >= 0)
                    return set_error(H4J_ERR_INVALID_ARG,
                                     "assign[%d][%d] is %d; target %d of image %d is already "
                                     "matched to query %d",
                                     b, q, j, j, b, owner[j]);
                owner[j] = q;
            }
        }
    }
    return H4J_OK;
}

}  // namespace h4j

// hungarian4j — DETR SetCriterion loss and its gradients for a fixed matching (CPU: softmax in
// float with double sums, every term and box gradient in double).
// Value-preserving: lets GCC if-convert (and so vectorize) the branch-free selects of the
// kernels, which it otherwise keeps as branches in case a floating-point exception could trap.
// Rounding and results are unchanged; FP exceptions are never unmasked in this library.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("no-trapping-math")
#endif
#include <algorithm>
#include <cmath>
#include <cstring>

#include "cpu_kernels.h"
#include "hungarian4j/hd_math.h"
#include "internal.h"

namespace h4j {

LossNorm loss_norm(const Problem& p, long long matched, long long unmatched) {
    LossNorm n;
    // focal: loss_ce is normalized like the box terms (there is no class weight)
    n.weight_sum = (double)matched + p.cfg.eos_coef * (double)unmatched;
    n.num_boxes = p.num_boxes();
    if (p.cfg.reduction_sum) {
        n.scales.ce = p.cfg.loss_ce;
        n.scales.bbox = p.cfg.loss_bbox;
        n.scales.giou = p.cfg.loss_giou;
    } else {
        n.scales.ce = p.cfg.focal ? p.cfg.loss_ce / n.num_boxes
                      : n.weight_sum > 0 ? p.cfg.loss_ce / n.weight_sum
                                         : 0.0;
        n.scales.bbox = p.cfg.loss_bbox / n.num_boxes;
        n.scales.giou = p.cfg.loss_giou / n.num_boxes;
    }
    return n;
}

void finish_terms(const Problem& p, const LossNorm& n, const ImageTerms* per_image, int count,
                  double* terms_out) {
    double ce = 0, l1 = 0, gi = 0;
    for (int b = 0; b < count; ++b) {
        ce += per_image[b].ce_num;
        l1 += per_image[b].l1;
        gi += per_image[b].giou;
    }
    if (!p.cfg.reduction_sum) {
        ce = p.cfg.focal ? ce / n.num_boxes : n.weight_sum > 0 ? ce / n.weight_sum : 0.0;
        l1 /= n.num_boxes;
        gi /= n.num_boxes;
    }
    terms_out[H4J_TERM_CE] = ce;
    terms_out[H4J_TERM_BBOX] = l1;
    terms_out[H4J_TERM_GIOU] = gi;
    terms_out[H4J_TERM_TOTAL] = p.cfg.loss_ce * ce + p.cfg.loss_bbox * l1 + p.cfg.loss_giou * gi;
    terms_out[H4J_TERM_NUM_BOXES] = n.num_boxes;
}

// One pass per prediction row: its softmax (kept by image_cost, or computed here: float exp,
// double sum), the cross-entropy term in double and its gradient row in float; box terms and
// gradients in double for the matched rows.
H4J_CPU_CLONES
bool image_loss(const Problem& p, int b, const int* assign_b, ImageWork& w, const LossScales& sc,
                float* gl, float* gb, ImageTerms* out, bool have_rows) {
    if (p.cfg.focal) {
        image_loss_focal(p, b, assign_b, sc, gl, gb, out);
        return true;
    }
    const int Q = p.Q, C = p.C, K = C - 1;
    const float* L = p.logits_of(b);
    const float* P = p.boxes_of(b);
    const int* lab = p.labels + p.first(b);
    const float* T = p.tboxes + (std::size_t)p.first(b) * 4;
    const double eos = p.cfg.eos_coef;
    ImageTerms acc;
    bool finite = true;  // the logits of every row whose softmax is computed here
    for (int q = 0; q < Q; ++q) {
        const int t = assign_b[q];
        const int label = t >= 0 ? lab[t] : K;
        const double wt = t >= 0 ? 1.0 : eos;
        const float* row = L + (std::size_t)q * C;
        const float* e;
        double inv_s, lse;
        if (have_rows) {
            e = w.ex.data() + (std::size_t)q * C;
            inv_s = w.inv_s[q];
            lse = w.lse[q];
        } else {
            float* er = w.ex.data();
            double s;
            bool row_finite;
            const float m = kern::row_softmax(row, C, er, &s, &row_finite);
            finite = finite && row_finite;
            e = er;
            inv_s = 1.0 / s;
            lse = (double)m + std::log(s);
        }
        acc.ce_num += wt * (lse - (double)row[label]);
        if (gl) {
            float* H4J_RESTRICT g = gl + (std::size_t)q * C;
            const double coef = sc.ce * wt;
            if (coef == 0.0) {
                std::memset(g, 0, sizeof(float) * (std::size_t)C);
            } else {
                const double cs = coef * inv_s;
                const float csf = (float)cs;
                for (int c = 0; c < C; ++c) g[c] = csf * e[c];
                g[label] = (float)(cs * (double)e[label] - coef);
            }
        }
        const float* pb = P + (std::size_t)q * 4;
        if (t >= 0) {
            const float* tb = T + (std::size_t)t * 4;
            if (gb) {
                double d1[4], dg[4];
                const double v1 = hd::l1_grad<double>(pb, tb, d1);
                const double vg = hd::giou_grad<double>(pb, tb, dg);
                acc.l1 += v1;
                acc.giou += 1.0 - vg;
                float* o = gb + (std::size_t)q * 4;
                for (int k = 0; k < 4; ++k) o[k] = (float)(sc.bbox * d1[k] - sc.giou * dg[k]);
            } else {
                acc.l1 += hd::l1<double>(pb, tb);
                acc.giou += 1.0 - hd::giou<double>(pb, tb);
            }
        } else if (gb) {
            float* o = gb + (std::size_t)q * 4;
            o[0] = o[1] = o[2] = o[3] = 0.0f;
        }
    }
    *out = acc;
    return finite;
}

std::vector<ImageTerms>& terms_scratch(int B) {
    thread_local std::vector<ImageTerms> v;
    if (v.size() < (std::size_t)B) v.resize(B);
    return v;
}

}  // namespace h4j

extern "C" int h4j_cpu_loss(int B, int Q, int C, const float* logits, const float* boxes,
                            const int* offsets, const int* labels, const float* tboxes,
                            const double* cfg, const int* assign, double* terms_out,
                            float* grad_logits, float* grad_boxes) {
    using namespace h4j;
    return guarded("h4j_cpu_loss", [&]() -> int {
        Problem p;
        long long T = 0;
        if (int rc = setup_problem(B, Q, C, logits, boxes, offsets, labels, tboxes, cfg, &p, &T,
                                   true))
            return rc;
        if (int rc = validate_assign(B, Q, offsets, assign, p.G)) return rc;
        if (int rc = require(terms_out, "terms_out")) return rc;
        if (int rc = validate_grad_pair(grad_logits, grad_boxes)) return rc;
        long long matched = 0;
        const std::size_t BQ = (std::size_t)B * Q;
        for (std::size_t i = 0; i < BQ; ++i) matched += assign[i] >= 0;
        const LossNorm norm = loss_norm(p, matched, (long long)BQ - matched);
        const bool grads = grad_logits != nullptr;
        // items are (image, group): p.B = B*G items of p.Q = Q/G rows
        const int n = p.B, R = p.Q;
        std::vector<ImageTerms>& per = terms_scratch(n);
        if (int rc = for_each_image(
                "h4j_cpu_loss", n, estimate_work(p, false, false, true), [&](int b) {
                    ImageWork& w = image_work();
                    w.ensure(R, C, 0, 0, false);
                    (void)image_loss(p, b, assign + (std::size_t)b * R, w, norm.scales,  // checked
                               grads ? grad_logits + (std::size_t)b * R * C : nullptr,
                               grads ? grad_boxes + (std::size_t)b * R * 4 : nullptr, &per[b],
                               false);
                    return H4J_OK;
                }))
            return rc;
        finish_terms(p, norm, per.data(), n, terms_out);
        return H4J_OK;
    });
}

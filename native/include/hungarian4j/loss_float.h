// hungarian4j — the float-per-element / double-accumulation loss math of the CUDA loss kernel,
// written once as __host__ __device__ functions so that the CPU tests can run exactly the
// arithmetic the kernel runs (test_loss_float.cpp compares it with the double CPU loss and so
// validates the tolerances the GPU tests use).
//
// Per prediction row (b, q) with matched target t (or none), cross-entropy (section 1):
//   label = labels[t] or K, w = 1 or eos_coef,
//   m = max logits, s = sum exp(l - m)        (float; on the GPU reduced over a warp)
//   nll = (m - l[label]) + log(s)             (float; no cancellation of two large numbers)
//   grad_logits[c] = coef * (exp(l[c] - m) / s - [c == label]),  coef = scale_ce * w
//   matched rows: L1 and 1 - GIoU with their box gradients from hd_math.h (float)
// Focal loss (section 3): every logit of the row is FL(l[c], c == label) (focal_elem).
// Sums over rows in double; normalizers and the final terms in double.
#ifndef HUNGARIAN4J_LOSS_FLOAT_H
#define HUNGARIAN4J_LOSS_FLOAT_H

#include "hungarian4j/hd_math.h"
#include "hungarian4j/hungarian4j.h"

namespace h4j {
namespace lossf {

/// The loss settings of a config array (cfg == NULL: the defaults), sections 1 and 3, as the
/// kernels take them. The array must have passed the library's validation (parse_config_ext).
struct LossCfg {
    double eos, w_ce, w_bbox, w_giou;
    double num_boxes;  // external normaliser; 0 = max(1, sum_b M_b)
    float focal_alpha, focal_gamma;
    int groups;        // G >= 1
    int reduction_sum;
    int focal;         // sigmoid focal loss (C = K logits, no no-object class)
};

H4J_HD LossCfg loss_cfg(const double* cfg) {
    LossCfg c;
    c.eos = cfg ? cfg[H4J_CFG_EOS_COEF] : 0.1;
    c.w_ce = cfg ? cfg[H4J_CFG_LOSS_CE] : 1.0;
    c.w_bbox = cfg ? cfg[H4J_CFG_LOSS_BBOX] : 5.0;
    c.w_giou = cfg ? cfg[H4J_CFG_LOSS_GIOU] : 2.0;
    c.num_boxes = cfg ? cfg[H4J_CFG_NUM_BOXES] : 0.0;
    c.focal = cfg && cfg[H4J_CFG_LOSS_CLASS] == H4J_LOSS_CLASS_FOCAL ? 1 : 0;
    c.focal_alpha = cfg ? (float)cfg[H4J_CFG_FOCAL_ALPHA] : 0.25f;
    c.focal_gamma = cfg ? (float)cfg[H4J_CFG_FOCAL_GAMMA] : 2.0f;
    c.groups = cfg && cfg[H4J_CFG_GROUPS] >= 1 ? (int)cfg[H4J_CFG_GROUPS] : 1;
    c.reduction_sum = cfg && cfg[H4J_CFG_REDUCTION] == H4J_REDUCTION_SUM ? 1 : 0;
    return c;
}

/// Normalizers of contract.md sections 1 and 3 and the gradient scales d total / d (per-row term).
struct Norm {
    double weight_sum;  // sum over rows of w(t) (cross-entropy)
    double num_boxes;   // (cfg num_boxes or max(1, sum_b M_b)) * G
    double sc_ce, sc_bbox, sc_giou;
};

/// matched: matched rows of ONE layer; rows: B*Q; T: sum_b M_b.
H4J_HD Norm make_norm(long long matched, long long rows, long long T, const LossCfg& c) {
    Norm n;
    n.weight_sum = (double)matched + c.eos * (double)(rows - matched);
    n.num_boxes = (c.num_boxes > 0 ? c.num_boxes : (T > 1 ? (double)T : 1.0)) * c.groups;
    if (c.reduction_sum) {
        n.sc_ce = c.w_ce;
        n.sc_bbox = c.w_bbox;
        n.sc_giou = c.w_giou;
    } else {
        // focal: loss_ce is normalized like the box terms (no class weights)
        n.sc_ce = c.focal ? c.w_ce / n.num_boxes : n.weight_sum > 0 ? c.w_ce / n.weight_sum : 0.0;
        n.sc_bbox = c.w_bbox / n.num_boxes;
        n.sc_giou = c.w_giou / n.num_boxes;
    }
    return n;
}

/// terms[5] = {ce, bbox, giou, total, num_boxes} of one layer from its sums over rows.
H4J_HD void finish_terms(double ce_num, double l1_sum, double giou_sum, const Norm& n,
                         const LossCfg& c, double* terms) {
    double ce = ce_num, l1 = l1_sum, gi = giou_sum;
    if (!c.reduction_sum) {
        ce = c.focal ? ce / n.num_boxes : n.weight_sum > 0 ? ce / n.weight_sum : 0.0;
        l1 /= n.num_boxes;
        gi /= n.num_boxes;
    }
    terms[H4J_TERM_CE] = ce;
    terms[H4J_TERM_BBOX] = l1;
    terms[H4J_TERM_GIOU] = gi;
    terms[H4J_TERM_TOTAL] = c.w_ce * ce + c.w_bbox * l1 + c.w_giou * gi;
    terms[H4J_TERM_NUM_BOXES] = n.num_boxes;
}

/// One logit of the sigmoid focal loss (section 3): returns FL(x, positive) and, when g is
/// non-NULL, *g = coef * dFL/dx (coef = sc_ce). Log-sigmoid forms: finite for any finite x.
H4J_HD float focal_elem(float x, bool positive, float alpha, float gamma, float coef, float* g) {
    float d;
    const float v = hd::focal_loss_grad<float>(x, positive, alpha, gamma, &d);
    if (g) *g = coef * d;
    return v;
}

/// -log_softmax(row)[label] from the row's max m, s = sum exp(l - m) and the label's logit.
H4J_HD float nll(float m, float s, float logit_label) {
    return (m - logit_label) + hd::t_log(s);
}

/// One element of the cross-entropy gradient: coef * (softmax[c] - [c == label]).
H4J_HD float ce_grad_elem(float logit, float m, float inv_s, float coef, bool is_label) {
    const float p = hd::t_exp(logit - m) * inv_s;
    return coef * (p - (is_label ? 1.0f : 0.0f));
}

/// Box terms of a matched row: *l1 = ||p - t||_1, *one_minus_giou = 1 - GIoU(p, t) and, when
/// g is non-NULL, g[4] = sc_bbox * d L1 / dp - sc_giou * d GIoU / dp.
H4J_HD void box_terms(const float* p, const float* t, float sc_bbox, float sc_giou, float* l1,
                      float* one_minus_giou, float* g) {
    if (g) {
        float d1[4], dg[4];
        *l1 = hd::l1_grad<float>(p, t, d1);
        *one_minus_giou = 1.0f - hd::giou_grad<float>(p, t, dg);
        for (int k = 0; k < 4; ++k) g[k] = sc_bbox * d1[k] - sc_giou * dg[k];
    } else {
        *l1 = hd::l1<float>(p, t);
        *one_minus_giou = 1.0f - hd::giou<float>(p, t);
    }
}

}  // namespace lossf
}  // namespace h4j

#endif  // HUNGARIAN4J_LOSS_FLOAT_H

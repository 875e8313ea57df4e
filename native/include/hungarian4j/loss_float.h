// hungarian4j — the float-per-element / double-accumulation loss math of the CUDA loss kernel,
// written once as __host__ __device__ functions so that the CPU tests can run exactly the
// arithmetic the kernel runs (test_loss_float.cpp compares it with the double CPU loss and so
// validates the tolerances the GPU tests use).
//
// Per prediction row (b, q) with matched target t (or none):
//   label = labels[t] or K, w = 1 or eos_coef,
//   m = max logits, s = sum exp(l - m)        (float; on the GPU reduced over a warp)
//   nll = (m - l[label]) + log(s)             (float; no cancellation of two large numbers)
//   grad_logits[c] = coef * (exp(l[c] - m) / s - [c == label]),  coef = scale_ce * w
//   matched rows: L1 and 1 - GIoU with their box gradients from hd_math.h (float)
// Sums over rows in double; normalizers and the final terms in double.
#ifndef HUNGARIAN4J_LOSS_FLOAT_H
#define HUNGARIAN4J_LOSS_FLOAT_H

#include "hungarian4j/hd_math.h"
#include "hungarian4j/hungarian4j.h"

namespace h4j {
namespace lossf {

/// Normalizers of CONTRACT.md section 1 and the gradient scales d total / d (per-row term).
struct Norm {
    double weight_sum;  // sum over rows of w(t)
    double num_boxes;   // max(1, sum_b M_b)
    double sc_ce, sc_bbox, sc_giou;
};

/// matched: number of matched rows; rows: B*Q; T: sum_b M_b.
H4J_HD Norm make_norm(long long matched, long long rows, long long T, double eos_coef,
                      double w_ce, double w_bbox, double w_giou, bool reduction_sum) {
    Norm n;
    n.weight_sum = (double)matched + eos_coef * (double)(rows - matched);
    n.num_boxes = T > 1 ? (double)T : 1.0;
    if (reduction_sum) {
        n.sc_ce = w_ce;
        n.sc_bbox = w_bbox;
        n.sc_giou = w_giou;
    } else {
        n.sc_ce = n.weight_sum > 0 ? w_ce / n.weight_sum : 0.0;
        n.sc_bbox = w_bbox / n.num_boxes;
        n.sc_giou = w_giou / n.num_boxes;
    }
    return n;
}

/// terms[5] = {ce, bbox, giou, total, num_boxes} from the sums over rows.
H4J_HD void finish_terms(double ce_num, double l1_sum, double giou_sum, const Norm& n,
                         double w_ce, double w_bbox, double w_giou, bool reduction_sum,
                         double* terms) {
    double ce = ce_num, l1 = l1_sum, gi = giou_sum;
    if (!reduction_sum) {
        ce = n.weight_sum > 0 ? ce / n.weight_sum : 0.0;
        l1 /= n.num_boxes;
        gi /= n.num_boxes;
    }
    terms[H4J_TERM_CE] = ce;
    terms[H4J_TERM_BBOX] = l1;
    terms[H4J_TERM_GIOU] = gi;
    terms[H4J_TERM_TOTAL] = w_ce * ce + w_bbox * l1 + w_giou * gi;
    terms[H4J_TERM_NUM_BOXES] = n.num_boxes;
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

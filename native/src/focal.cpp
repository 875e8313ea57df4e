// hungarian4j — the sigmoid focal loss of contract.md section 3 (Deformable DETR, DINO, RT-DETR)
// for a fixed matching, per item (image or query group): every logit of every row is a binary
// classification (1 for the matched target's label, 0 elsewhere; no no-object class), summed;
// box terms as in image_loss. Per-element math in double from hd_math.h's log-sigmoid forms.
#include <cmath>
#include <cstring>

#include "hungarian4j/hd_math.h"
#include "internal.h"

namespace h4j {

void image_loss_focal(const Problem& p, int b, const int* assign_b, const LossScales& sc,
                      float* gl, float* gb, ImageTerms* out) {
    const int Q = p.Q, C = p.C;
    const float* L = p.logits_of(b);
    const float* P = p.boxes_of(b);
    const int* lab = p.labels + p.first(b);
    const float* T = p.tboxes + (std::size_t)p.first(b) * 4;
    const double alpha = p.cfg.focal_alpha, gamma = p.cfg.focal_gamma;
    ImageTerms acc;
    for (int q = 0; q < Q; ++q) {
        const int t = assign_b[q];
        const int label = t >= 0 ? lab[t] : -1;
        const float* row = L + (std::size_t)q * C;
        float* g = gl ? gl + (std::size_t)q * C : nullptr;
        double row_sum = 0;
        for (int c = 0; c < C; ++c) {
            double d;
            row_sum += hd::focal_loss_grad<double>(row[c], c == label, alpha, gamma, &d);
            if (g) g[c] = (float)(sc.ce * d);
        }
        acc.ce_num += row_sum;
        const float* pb = P + (std::size_t)q * 4;
        if (t >= 0) {
            const float* tb = T + (std::size_t)t * 4;
            double d1[4], dg[4];
            acc.l1 += hd::l1_grad<double>(pb, tb, d1);
            acc.giou += 1.0 - hd::giou_grad<double>(pb, tb, dg);
            if (gb) {
                float* o = gb + (std::size_t)q * 4;
                for (int k = 0; k < 4; ++k) o[k] = (float)(sc.bbox * d1[k] - sc.giou * dg[k]);
            }
        } else if (gb) {
            float* o = gb + (std::size_t)q * 4;
            o[0] = o[1] = o[2] = o[3] = 0.0f;
        }
    }
    *out = acc;
}

}  // namespace h4j

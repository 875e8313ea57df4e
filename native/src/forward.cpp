// hungarian4j — the whole CPU pipeline in one call: per image, the softmax of every row (once,
// kept for the loss), cost block (reusable per-thread workspace), exact matching and loss with
// gradients, fused so each image's data is touched while it is in cache. Reductions over images
// in image order.
#include <algorithm>
#include <cstring>

#include "internal.h"

extern "C" int h4j_cpu_forward(int B, int Q, int C, const float* logits, const float* boxes,
                               const int* offsets, const int* labels, const float* tboxes,
                               const double* cfg, int* assign_out, double* matching_cost_out,
                               double* terms_out, float* grad_logits, float* grad_boxes) {
    using namespace h4j;
    return guarded("h4j_cpu_forward", [&]() -> int {
        Problem p;
        long long T = 0;
        if (int rc = setup_problem(B, Q, C, logits, boxes, offsets, labels, tboxes, cfg, &p, &T))
            return rc;
        if (int rc = require(assign_out, "assign_out")) return rc;
        if (int rc = require(terms_out, "terms_out")) return rc;
        if (int rc = validate_grad_pair(grad_logits, grad_boxes)) return rc;
        // An exact matching of image b has min(Q, M_b) pairs: the normalizer is known up front.
        long long matched = 0;
        for (int b = 0; b < B; ++b) matched += std::min(Q, offsets[b + 1] - offsets[b]);
        const LossNorm norm = loss_norm(p, matched, (long long)B * Q - matched);
        const bool grads = grad_logits != nullptr;
        std::vector<ImageTerms>& per = terms_scratch(B);
        if (int rc = for_each_image(
                "h4j_cpu_forward", B, estimate_work(p, true, true, true), [&](int b) -> int {
                    const int M = p.M(b);
                    ImageWork& w = image_work();
                    w.ensure(Q, C, M, (std::size_t)Q * M, M > 0);
                    int* a = assign_out + (std::size_t)b * Q;
                    double mc = 0.0;
                    if (M > 0) {
                        image_cost(p, b, w, w.cost.data(), true);
                        if (int rc = lsap_block(Q, M, w.cost.data(), a, &mc)) return rc;
                    } else {
                        std::fill(a, a + Q, -1);
                    }
                    if (matching_cost_out) matching_cost_out[b] = mc;
                    image_loss(p, b, a, w, norm.scales,
                               grads ? grad_logits + (std::size_t)b * Q * C : nullptr,
                               grads ? grad_boxes + (std::size_t)b * Q * 4 : nullptr, &per[b],
                               M > 0);
                    return H4J_OK;
                }))
            return rc;
        finish_terms(p, norm, per.data(), terms_out);
        return H4J_OK;
    });
}

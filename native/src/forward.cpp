// hungarian4j — the whole CPU pipeline in one call: per image, softmax statistics (once), cost
// block (reusable per-thread workspace), exact matching and loss with gradients, fused so each
// image's data is touched while it is in cache. Reductions over images in image order.
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
        if (int rc = validate_dims(B, Q, C)) return rc;
        if (int rc = parse_config(cfg, &p.cfg)) return rc;
        if (int rc = validate_offsets(B, offsets, &T)) return rc;
        if (int rc = validate_targets(T, C, labels, tboxes)) return rc;
        if (int rc = validate_predictions(B, Q, C, logits, boxes)) return rc;
        if (int rc = require(assign_out, "assign_out")) return rc;
        if (int rc = require(terms_out, "terms_out")) return rc;
        if ((grad_logits == nullptr) != (grad_boxes == nullptr))
            return set_error(H4J_ERR_INVALID_ARG,
                             "grad_logits and grad_boxes must be both NULL or both non-NULL");
        p.B = B; p.Q = Q; p.C = C;
        p.logits = logits; p.boxes = boxes; p.offsets = offsets; p.labels = labels;
        p.tboxes = tboxes;
        // An exact matching of image b has min(Q, M_b) pairs: the normalizer is known up front.
        long long matched = 0;
        for (int b = 0; b < B; ++b) matched += std::min(Q, offsets[b + 1] - offsets[b]);
        const LossNorm norm = loss_norm(p, matched, (long long)B * Q - matched);
        const bool grads = grad_logits != nullptr;
        std::vector<ImageTerms>& per = terms_scratch(B);
        FirstFailure fail;
        auto body = [&](int b) {
            try {
                const int M = p.M(b);
                ImageWork& w = image_work();
                w.ensure(Q, C, M, (std::size_t)Q * M);
                image_softmax(p, b, w);
                int* a = assign_out + (std::size_t)b * Q;
                double mc = 0.0;
                if (M > 0) {
                    image_cost(p, b, w, w.cost.data());
                    if (int rc = lsap_block(Q, M, w.cost.data(), a, &mc)) {
                        fail.mark(b, rc);
                        return;
                    }
                } else {
                    std::fill(a, a + Q, -1);
                }
                if (matching_cost_out) matching_cost_out[b] = mc;
                image_loss(p, b, a, w, norm.scales,
                           grads ? grad_logits + (std::size_t)b * Q * C : nullptr,
                           grads ? grad_boxes + (std::size_t)b * Q * 4 : nullptr, &per[b]);
            } catch (...) {
                fail.mark(b, H4J_ERR_OUT_OF_MEMORY);
            }
        };
        parallel_for(B, estimate_work(p, true, true, true), body);
        if (fail.any())
            return set_error(fail.status, "h4j_cpu_forward: image %d failed (%s)", fail.first,
                             h4j_status_string(fail.status));
        finish_terms(p, norm, per.data(), terms_out);
        return H4J_OK;
    });
}

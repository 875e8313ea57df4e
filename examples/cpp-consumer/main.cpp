// A C++ consumer of the installed hungarian4j C API (as a libtorch extension or an inference server would
// call it): one image, two predictions, one target that prediction 1 hits exactly. Exits 0 when the
// library's answer agrees with the hand computation below.
#include <hungarian4j/hungarian4j.h>

#include <cmath>
#include <cstdio>

int main() {
    if (h4j_version() != H4J_VERSION) {
        std::fprintf(stderr, "header version %d but library version %d\n", H4J_VERSION, h4j_version());
        return 1;
    }
    const int B = 1, Q = 2, C = 3;  // K = 2 real classes + no-object
    const float logits[Q * C] = {0.2f, -0.1f, 1.5f,   // prediction 0: mostly no-object
                                 2.0f, 0.1f, -0.3f};  // prediction 1: class 0
    const float boxes[Q * 4] = {0.7f, 0.7f, 0.1f, 0.1f, 0.3f, 0.4f, 0.2f, 0.25f};
    const int offsets[B + 1] = {0, 1};
    const int labels[1] = {0};
    const float tboxes[4] = {0.3f, 0.4f, 0.2f, 0.25f};  // exactly prediction 1's box
    double cfg[H4J_CFG_LEN] = {1, 5, 2, H4J_CLASS_COST_PROB, 1, 5, 2, 0.1, H4J_REDUCTION_DETR};
    int assign[B * Q];
    double cost[B], terms[H4J_TERMS_LEN];
    float grad_logits[B * Q * C], grad_boxes[B * Q * 4];
    int st = h4j_cpu_forward(B, Q, C, logits, boxes, offsets, labels, tboxes, cfg, assign, cost, terms,
                             grad_logits, grad_boxes);
    if (st != H4J_OK) {
        std::fprintf(stderr, "h4j_cpu_forward: %s: %s\n", h4j_status_string(st), h4j_last_error());
        return 1;
    }
    // by hand: prediction 1 takes the target; cross-entropy weights 0.1 (no-object, pred 0) and 1 (pred 1)
    auto nll = [&](int q, int c) {
        double m = 0;
        for (int k = 0; k < C; ++k) m += std::exp((double)logits[q * C + k]);
        return std::log(m) - logits[q * C + c];
    };
    const double ce = (0.1 * nll(0, 2) + 1.0 * nll(1, 0)) / 1.1;
    std::printf("hungarian4j %d: assign [%d, %d], loss ce %.6f bbox %.6f giou %.6f total %.6f\n", h4j_version(),
                assign[0], assign[1], terms[H4J_TERM_CE], terms[H4J_TERM_BBOX], terms[H4J_TERM_GIOU],
                terms[H4J_TERM_TOTAL]);
    const bool ok = assign[0] == -1 && assign[1] == 0 && std::fabs(terms[H4J_TERM_CE] - ce) < 1e-6 &&
                    std::fabs(terms[H4J_TERM_BBOX]) < 1e-7 && std::fabs(terms[H4J_TERM_GIOU]) < 1e-7 &&
                    std::fabs(terms[H4J_TERM_TOTAL] - ce) < 1e-6;
    std::printf(ok ? "ok\n" : "MISMATCH (expected ce %.6f)\n", ce);
    return ok ? 0 : 1;
}

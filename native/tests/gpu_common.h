// hungarian4j — helpers of the GPU tests and the GPU benchmark: a seeded DETR-like batch
// generator (with the degenerate cases), tolerances, and the sequential CPU twin of the CUDA
// loss kernel's float arithmetic (loss_float.h, item_layout.h; layers, groups and the focal
// loss included), so that the tolerances the GPU test applies are validated on every machine by
// test_loss_float.
#ifndef HUNGARIAN4J_TESTS_GPU_COMMON_H
#define HUNGARIAN4J_TESTS_GPU_COMMON_H

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <random>
#include <vector>

#include "hungarian4j/hungarian4j.h"
#include "hungarian4j/item_layout.h"
#include "hungarian4j/loss_float.h"

namespace h4jgpu {

struct Batch {
    int B = 0, Q = 0, C = 0;
    std::vector<float> logits, boxes, tboxes;
    std::vector<int> offsets, labels;
    int T() const { return offsets.back(); }
    int M(int b) const { return offsets[b + 1] - offsets[b]; }
    int max_m() const {
        int m = 0;
        for (int b = 0; b < B; ++b) m = std::max(m, M(b));
        return m;
    }
};

struct GenOptions {
    float logit_scale = 2.0f;   // logits ~ N(0, scale)
    bool confident = false;     // logits in {-50, +50}: one +50 per row
    float zero_area = 0.0f;     // fraction of predicted / target boxes with w or h = 0
    float near = 0.5f;          // fraction of predictions placed near some target
};

inline Batch make_batch(int B, int Q, int C, const std::vector<int>& Ms, unsigned seed,
                        const GenOptions& o = GenOptions()) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(0.0f, 1.0f);
    std::normal_distribution<float> nd(0.0f, 1.0f);
    Batch b;
    b.B = B;
    b.Q = Q;
    b.C = C;
    b.offsets.assign(B + 1, 0);
    for (int i = 0; i < B; ++i) b.offsets[i + 1] = b.offsets[i] + Ms[(size_t)i % Ms.size()];
    const int T = b.T();
    auto box = [&](float* x) {
        x[0] = 0.05f + 0.9f * u(rng);
        x[1] = 0.05f + 0.9f * u(rng);
        x[2] = 0.02f + 0.4f * u(rng);
        x[3] = 0.02f + 0.4f * u(rng);
        if (u(rng) < o.zero_area) x[2 + (int)(u(rng) * 2.0f) % 2] = 0.0f;
        if (u(rng) < o.zero_area * 0.3f) x[2] = x[3] = 0.0f;
    };
    b.labels.resize(T);
    b.tboxes.resize((size_t)T * 4);
    for (int t = 0; t < T; ++t) {
        b.labels[t] = (int)(u(rng) * (float)(C - 1)) % (C - 1);
        box(&b.tboxes[(size_t)t * 4]);
    }
    b.logits.resize((size_t)B * Q * C);
    b.boxes.resize((size_t)B * Q * 4);
    for (int i = 0; i < B; ++i) {
        for (int q = 0; q < Q; ++q) {
            float* L = &b.logits[((size_t)i * Q + q) * C];
            if (o.confident) {
                for (int c = 0; c < C; ++c) L[c] = -50.0f;
                L[(int)(u(rng) * (float)C) % C] = 50.0f;
            } else {
                for (int c = 0; c < C; ++c) L[c] = o.logit_scale * nd(rng);
            }
            float* P = &b.boxes[((size_t)i * Q + q) * 4];
            const int M = b.M(i);
            if (M > 0 && u(rng) < o.near) {
                const int t = b.offsets[i] + (int)(u(rng) * (float)M) % M;
                for (int k = 0; k < 4; ++k)
                    P[k] = std::max(0.0f, b.tboxes[(size_t)t * 4 + k] + 0.03f * nd(rng));
                if (u(rng) < o.zero_area) P[2] = 0.0f;
            } else {
                box(P);
            }
        }
    }
    return b;
}

/// |a - b| <= atol + rtol * |b|
inline bool close(double a, double b, double rtol, double atol) {
    return std::fabs(a - b) <= atol + rtol * std::fabs(b);
}

// Tolerances of GPU (float per element, double sums) against the CPU (double everywhere).
constexpr double kTermRtol = 2e-5;   // loss terms
constexpr double kTermAtol = 1e-6;
constexpr double kGradRtol = 1e-4;   // per gradient element, relative to the element
constexpr double kGradAtolRel = 1e-5;  // ... plus this times the largest |gradient| of the array

/// The CUDA loss kernel's arithmetic (loss_rows_kernel), run sequentially: float per element,
/// double sums; L layers stacked in bt.logits / bt.boxes (L*B*Q rows) sharing the targets, the
/// section 3 config (groups, num_boxes, focal loss) read as the kernel reads it (lossf::loss_cfg).
/// forward_norm: the normaliser's matched rows as a forward call knows them before matching
/// (sum_b G*min(Q/G, M_b), item_layout.h), else counted in layer 0's assignment as the loss call
/// does. terms[L*5]; grads optional (both or neither).
inline void loss_float_twin_layers(const Batch& bt, int L, const double* cfg, const int* assign,
                                   bool forward_norm, double* terms, float* gl, float* gb) {
    const int B = bt.B, Q = bt.Q, C = bt.C;
    const h4j::lossf::LossCfg c = h4j::lossf::loss_cfg(cfg);
    const int K = c.focal ? C : C - 1;
    const long long rows = (long long)B * Q;
    long long matched = 0;
    if (forward_norm) {
        for (int b = 0; b < B; ++b) matched += h4j::layout::forward_matched(bt.M(b), Q / c.groups, c.groups);
    } else {
        for (long long i = 0; i < rows; ++i) matched += assign[i] >= 0;
    }
    const h4j::lossf::Norm n = h4j::lossf::make_norm(matched, rows, bt.T(), c);
    const float sc_ce = (float)n.sc_ce, sc_bb = (float)n.sc_bbox, sc_gi = (float)n.sc_giou;
    for (int l = 0; l < L; ++l) {
        double ace = 0, al1 = 0, agi = 0;
        for (long long r = 0; r < rows; ++r) {
            const long long row = (long long)l * rows + r;
            const int b = h4j::layout::row_image(row, B, Q);
            const float* Lg = &bt.logits[(size_t)row * C];
            const int t = assign[row];
            const int label = t >= 0 ? bt.labels[bt.offsets[b] + t] : (c.focal ? -1 : K);
            const double wd = t >= 0 ? 1.0 : c.eos;
            if (c.focal) {
                for (int k = 0; k < C; ++k) {
                    float g;
                    ace += (double)h4j::lossf::focal_elem(Lg[k], k == label, c.focal_alpha,
                                                          c.focal_gamma, sc_ce, &g);
                    if (gl) gl[(size_t)row * C + k] = g;
                }
            } else {
                float m = -INFINITY;
                for (int k = 0; k < C; ++k) m = std::max(m, Lg[k]);
                float s = 0.0f;
                for (int k = 0; k < C; ++k) s += std::exp(Lg[k] - m);
                ace += wd * (double)h4j::lossf::nll(m, s, Lg[label]);
                if (gl) {
                    const float coef = sc_ce * (float)wd, inv = 1.0f / s;
                    for (int k = 0; k < C; ++k)
                        gl[(size_t)row * C + k] = h4j::lossf::ce_grad_elem(Lg[k], m, inv, coef, k == label);
                }
            }
            if (t >= 0) {
                float l1, gi, g[4];
                h4j::lossf::box_terms(&bt.boxes[(size_t)row * 4], &bt.tboxes[(size_t)(bt.offsets[b] + t) * 4],
                                      sc_bb, sc_gi, &l1, &gi, gb ? g : nullptr);
                al1 += l1;
                agi += gi;
                if (gb)
                    for (int k = 0; k < 4; ++k) gb[(size_t)row * 4 + k] = g[k];
            } else if (gb) {
                for (int k = 0; k < 4; ++k) gb[(size_t)row * 4 + k] = 0.0f;
            }
        }
        h4j::lossf::finish_terms(ace, al1, agi, n, c, terms + (size_t)l * H4J_TERMS_LEN);
    }
}

/// The CUDA loss kernel's arithmetic for one layer and a given assignment (h4j_cuda_loss).
inline void loss_float_twin(const Batch& bt, const double* cfg, const int* assign, double* terms,
                            float* gl, float* gb) {
    loss_float_twin_layers(bt, 1, cfg, assign, false, terms, gl, gb);
}

/// bt with L-1 more decoder layers of predictions (seeded like make_batch) stacked after its own,
/// the targets unchanged: L*B*Q rows in logits / boxes.
inline Batch with_layers(const Batch& bt, int L, unsigned seed, const GenOptions& o = GenOptions()) {
    Batch out = bt;
    std::vector<int> Ms;
    for (int b = 0; b < bt.B; ++b) Ms.push_back(bt.M(b));
    for (int l = 1; l < L; ++l) {
        const Batch more = make_batch(bt.B, bt.Q, bt.C, Ms, seed + (unsigned)l, o);
        out.logits.insert(out.logits.end(), more.logits.begin(), more.logits.end());
        out.boxes.insert(out.boxes.end(), more.boxes.begin(), more.boxes.end());
    }
    return out;
}

/// Number of elements of `got` outside the gradient tolerance around `want` (NaN counts).
inline size_t grad_mismatches(const std::vector<float>& got, const std::vector<float>& want,
                              size_t* first_bad = nullptr) {
    double gmax = 0;
    for (float w : want) gmax = std::max(gmax, (double)std::fabs(w));
    size_t bad = 0;
    for (size_t i = 0; i < want.size(); ++i) {
        const double g = got[i], w = want[i];
        if (!(std::fabs(g - w) <= kGradAtolRel * gmax + kGradRtol * std::fabs(w) + 1e-30)) {
            if (bad == 0 && first_bad) *first_bad = i;
            ++bad;
        }
    }
    return bad;
}

inline bool terms_close(const double* got, const double* want) {
    for (int k = 0; k < H4J_TERMS_LEN; ++k)
        if (!close(got[k], want[k], kTermRtol, kTermAtol)) return false;
    return true;
}

inline void default_cfg(double* cfg) {
    for (int i = 0; i < H4J_CFG_LEN; ++i) cfg[i] = 0.0;
    cfg[H4J_CFG_COST_CLASS] = 1;
    cfg[H4J_CFG_COST_BBOX] = 5;
    cfg[H4J_CFG_COST_GIOU] = 2;
    cfg[H4J_CFG_LOSS_CE] = 1;
    cfg[H4J_CFG_LOSS_BBOX] = 5;
    cfg[H4J_CFG_LOSS_GIOU] = 2;
    cfg[H4J_CFG_EOS_COEF] = 0.1;
}

}  // namespace h4jgpu

#endif  // HUNGARIAN4J_TESTS_GPU_COMMON_H

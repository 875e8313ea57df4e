// hungarian4j — the CUDA loss kernel's arithmetic (loss_float.h: float per element, double sums),
// run sequentially on the CPU against the double CPU loss, with the tolerances test_cuda uses
// for the GPU. Runs on every machine, so the float math and its tolerances are checked in CI
// even where no GPU is present.
#include <cstdio>
#include <vector>

#include "gpu_common.h"
#include "harness.h"

using namespace h4jgpu;

namespace {

struct Case {
    const char* name;
    int B, Q, C;
    std::vector<int> Ms;
    GenOptions opt;
};

void run_case(const Case& cs, const double* cfg, unsigned seed) {
    const Batch b = make_batch(cs.B, cs.Q, cs.C, cs.Ms, seed, cs.opt);
    const size_t BQ = (size_t)b.B * b.Q;
    std::vector<int> assign(BQ);
    double want[H4J_TERMS_LEN], got[H4J_TERMS_LEN];
    CHECK_EQ(h4j_cpu_forward(b.B, b.Q, b.C, b.logits.data(), b.boxes.data(), b.offsets.data(),
                             b.labels.data(), b.tboxes.data(), cfg, assign.data(), nullptr, want,
                             nullptr, nullptr),
             H4J_OK);
    std::vector<float> gl1(BQ * b.C), gb1(BQ * 4), gl2(BQ * b.C, NAN), gb2(BQ * 4, NAN);
    CHECK_EQ(h4j_cpu_loss(b.B, b.Q, b.C, b.logits.data(), b.boxes.data(), b.offsets.data(),
                          b.labels.data(), b.tboxes.data(), cfg, assign.data(), want, gl1.data(),
                          gb1.data()),
             H4J_OK);
    loss_float_twin(b, cfg, assign.data(), got, gl2.data(), gb2.data());
    CHECK_MSG(terms_close(got, want),
              "%s: float twin terms {%.9g %.9g %.9g %.9g %g} vs cpu {%.9g %.9g %.9g %.9g %g}",
              cs.name, got[0], got[1], got[2], got[3], got[4], want[0], want[1], want[2], want[3],
              want[4]);
    size_t i = 0;
    const size_t bl = grad_mismatches(gl2, gl1, &i);
    CHECK_MSG(bl == 0, "%s: %zu grad_logits mismatches, first [%zu] %.9g vs %.9g", cs.name, bl, i,
              bl ? gl2[i] : 0.0f, bl ? gl1[i] : 0.0f);
    const size_t bb = grad_mismatches(gb2, gb1, &i);
    CHECK_MSG(bb == 0, "%s: %zu grad_boxes mismatches, first [%zu] %.9g vs %.9g", cs.name, bb, i,
              bb ? gb2[i] : 0.0f, bb ? gb1[i] : 0.0f);
}

std::vector<Case> cases() {
    GenOptions conf;
    conf.confident = true;
    GenOptions zero;
    zero.zero_area = 0.3f;
    GenOptions wide;
    wide.logit_scale = 8.0f;
    return {
        {"detr_8x100", 8, 100, 92, {10, 3, 0, 25}, GenOptions()},
        {"detr_4x300_m0_100", 4, 300, 92, {0, 100, 37, 1}, GenOptions()},
        {"m_gt_q", 3, 5, 92, {9, 5, 2}, GenOptions()},
        {"q1", 4, 1, 92, {0, 1, 3, 7}, GenOptions()},
        {"confident_logits", 4, 50, 92, {10, 50, 60, 0}, conf},
        {"zero_area_boxes", 4, 60, 92, {20, 5, 60, 0}, zero},
        {"wide_logits", 2, 100, 92, {30, 7}, wide},
        {"no_targets", 3, 20, 5, {0}, GenOptions()},
        {"k1", 2, 10, 2, {4, 12}, GenOptions()},
    };
}

}  // namespace

TEST(float_twin_matches_cpu_defaults) {
    unsigned seed = 100;
    for (const Case& cs : cases()) run_case(cs, nullptr, seed++);
}

TEST(float_twin_matches_cpu_reduction_sum_and_weights) {
    double cfg[H4J_CFG_LEN];
    default_cfg(cfg);
    cfg[H4J_CFG_REDUCTION] = H4J_REDUCTION_SUM;
    cfg[H4J_CFG_EOS_COEF] = 1.0;
    cfg[H4J_CFG_LOSS_BBOX] = 3.0;
    unsigned seed = 200;
    for (const Case& cs : cases()) run_case(cs, cfg, seed++);
}

TEST(float_twin_zero_weight_sum_gives_zero_ce) {
    double cfg[H4J_CFG_LEN];
    default_cfg(cfg);
    cfg[H4J_CFG_EOS_COEF] = 0.0;
    Case cs{"eos0_no_targets", 2, 30, 10, {0}, GenOptions()};
    run_case(cs, cfg, 7);
    const Batch b = make_batch(2, 30, 10, {0}, 7);
    std::vector<int> assign(60, -1);
    double t[H4J_TERMS_LEN];
    std::vector<float> gl(60 * 10), gb(60 * 4);
    loss_float_twin(b, cfg, assign.data(), t, gl.data(), gb.data());
    CHECK(t[H4J_TERM_CE] == 0.0);
    CHECK(t[H4J_TERM_NUM_BOXES] == 1.0);
    for (float g : gl) CHECK(g == 0.0f);
}

// contract.md section 3 through the kernel's arithmetic: L layers in one reduction each, query
// groups (normaliser x G), an external num_boxes and the focal loss (also at |logit| up to ~80),
// against h4j_cpu_forward_layers (double) on its own matching, and one layer against h4j_cpu_loss.
TEST(float_twin_section3_matches_cpu_forward_layers) {
    struct Ext {
        const char* name;
        int focal, G;
        double num_boxes;
        int reduction;
        float logit_scale;
    };
    const Ext exts[] = {{"ce_g1", 0, 1, 0, 0, 2.0f},        {"ce_g3_nb7.5", 0, 3, 7.5, 0, 2.0f},
                        {"ce_g4_sum", 0, 4, 0, 1, 2.0f},    {"focal_g1", 1, 1, 0, 0, 2.0f},
                        {"focal_g3_nb2", 1, 3, 2.0, 0, 2.0f}, {"focal_g2_sum", 1, 2, 0, 1, 2.0f},
                        {"focal_wide80", 1, 1, 0, 0, 30.0f}};
    const int L = 6, B = 4, Q = 24;
    unsigned seed = 300;
    for (const Ext& e : exts) {
        const int C = e.focal ? 20 : 21;
        GenOptions o;
        o.logit_scale = e.logit_scale;
        const Batch one = make_batch(B, Q, C, {5, 0, 30, 8}, seed, o);
        const Batch b = with_layers(one, L, seed + 50, o);
        seed += 100;
        double cfg[H4J_CFG_LEN];
        default_cfg(cfg);
        cfg[H4J_CFG_GROUPS] = e.G;
        cfg[H4J_CFG_NUM_BOXES] = e.num_boxes;
        cfg[H4J_CFG_REDUCTION] = e.reduction;
        if (e.focal) {
            cfg[H4J_CFG_LOSS_CLASS] = H4J_LOSS_CLASS_FOCAL;
            cfg[H4J_CFG_CLASS_COST] = H4J_CLASS_COST_FOCAL;
            cfg[H4J_CFG_FOCAL_ALPHA] = 0.25;
            cfg[H4J_CFG_FOCAL_GAMMA] = 2.0;
        }
        const size_t rows = (size_t)L * B * Q;
        std::vector<int> assign(rows);
        std::vector<double> want(L * H4J_TERMS_LEN), got(L * H4J_TERMS_LEN, NAN);
        std::vector<float> gl1(rows * C), gb1(rows * 4), gl2(rows * C, NAN), gb2(rows * 4, NAN);
        CHECK_EQ(h4j_cpu_forward_layers(L, B, Q, C, b.logits.data(), b.boxes.data(), b.offsets.data(),
                                        b.labels.data(), b.tboxes.data(), cfg, assign.data(), nullptr,
                                        want.data(), gl1.data(), gb1.data()),
                 H4J_OK);
        loss_float_twin_layers(b, L, cfg, assign.data(), true, got.data(), gl2.data(), gb2.data());
        for (int l = 0; l < L; ++l) {
            const double* g = got.data() + l * H4J_TERMS_LEN;
            const double* w = want.data() + l * H4J_TERMS_LEN;
            CHECK_MSG(terms_close(g, w), "%s layer %d: twin {%.9g %.9g %.9g %.9g %g} vs cpu {%.9g %.9g %.9g %.9g %g}",
                      e.name, l, g[0], g[1], g[2], g[3], g[4], w[0], w[1], w[2], w[3], w[4]);
            for (int k = 0; k < H4J_TERMS_LEN; ++k) CHECK_MSG(std::isfinite(g[k]), "%s layer %d term %d", e.name, l, k);
        }
        size_t i = 0;
        const size_t bl = grad_mismatches(gl2, gl1, &i);
        CHECK_MSG(bl == 0, "%s: %zu grad_logits mismatches, first [%zu] %.9g vs %.9g", e.name, bl, i,
                  bl ? gl2[i] : 0.0f, bl ? gl1[i] : 0.0f);
        const size_t bb = grad_mismatches(gb2, gb1, &i);
        CHECK_MSG(bb == 0, "%s: %zu grad_boxes mismatches, first [%zu] %.9g vs %.9g", e.name, bb, i,
                  bb ? gb2[i] : 0.0f, bb ? gb1[i] : 0.0f);
        // one layer with the matching given (h4j_cuda_loss's mode: matched rows counted)
        double t1[H4J_TERMS_LEN], w1[H4J_TERMS_LEN];
        CHECK_EQ(h4j_cpu_loss(B, Q, C, b.logits.data(), b.boxes.data(), b.offsets.data(), b.labels.data(),
                              b.tboxes.data(), cfg, assign.data(), w1, nullptr, nullptr),
                 H4J_OK);
        loss_float_twin(b, cfg, assign.data(), t1, nullptr, nullptr);
        CHECK_MSG(terms_close(t1, w1), "%s loss mode: twin total %.9g vs cpu %.9g", e.name, t1[3], w1[3]);
    }
}

H4J_TEST_MAIN

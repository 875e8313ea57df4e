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

H4J_TEST_MAIN

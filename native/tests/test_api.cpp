// hungarian4j — the C API end to end: degenerate inputs, bad inputs (status and message),
// reductions and weights, gradients of the whole loss against finite differences, determinism
// across thread counts and concurrent callers, the CUDA entry points (stub or real).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "harness.h"
#include "hungarian4j/hungarian4j.h"

namespace {

struct Batch {
    int B = 0, Q = 0, C = 0;
    std::vector<float> logits, boxes, tboxes;
    std::vector<int> offsets, labels;
    int T() const { return offsets.back(); }
};

Batch make_batch(int B, int Q, int C, const std::vector<int>& Ms, unsigned seed, float logit_scale = 2.0f) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> U(0.0f, 1.0f);
    std::normal_distribution<float> N(0.0f, 1.0f);
    Batch b;
    b.B = B;
    b.Q = Q;
    b.C = C;
    for (int i = 0; i < B * Q * C; ++i) b.logits.push_back(logit_scale * N(rng));
    for (int i = 0; i < B * Q; ++i) {
        b.boxes.push_back(0.1f + 0.8f * U(rng));
        b.boxes.push_back(0.1f + 0.8f * U(rng));
        b.boxes.push_back(0.05f + 0.4f * U(rng));
        b.boxes.push_back(0.05f + 0.4f * U(rng));
    }
    b.offsets.push_back(0);
    for (int i = 0; i < B; ++i) {
        for (int j = 0; j < Ms[i]; ++j) {
            b.labels.push_back((int)(U(rng) * (C - 1)) % (C - 1));
            b.tboxes.push_back(0.1f + 0.8f * U(rng));
            b.tboxes.push_back(0.1f + 0.8f * U(rng));
            b.tboxes.push_back(0.05f + 0.4f * U(rng));
            b.tboxes.push_back(0.05f + 0.4f * U(rng));
        }
        b.offsets.push_back(b.offsets.back() + Ms[i]);
    }
    return b;
}

struct Result {
    int rc = -1;
    std::vector<int> assign;
    std::vector<double> mc;
    double terms[H4J_TERMS_LEN] = {0};
    std::vector<float> gl, gb;
    bool operator==(const Result& o) const {
        return rc == o.rc && assign == o.assign && mc == o.mc &&
               std::equal(terms, terms + H4J_TERMS_LEN, o.terms) && gl == o.gl && gb == o.gb;
    }
};

Result forward(const Batch& b, const double* cfg, bool grads = true) {
    Result r;
    r.assign.assign((std::size_t)b.B * b.Q, -9);
    r.mc.assign(b.B, -9);
    if (grads) {
        r.gl.assign(b.logits.size(), 7.0f);
        r.gb.assign(b.boxes.size(), 7.0f);
    }
    r.rc = h4j_cpu_forward(b.B, b.Q, b.C, b.logits.data(), b.boxes.data(), b.offsets.data(),
                           b.labels.data(), b.tboxes.data(), cfg, r.assign.data(), r.mc.data(),
                           r.terms, grads ? r.gl.data() : nullptr, grads ? r.gb.data() : nullptr);
    return r;
}

bool all_finite(const std::vector<float>& v) {
    for (float x : v)
        if (!std::isfinite(x)) return false;
    return true;
}

void defaults(double* cfg) {
    const double d[H4J_CFG_LEN] = {1, 5, 2, 0, 1, 5, 2, 0.1, 0};
    std::memcpy(cfg, d, sizeof d);
}

std::string last() { return h4j_last_error(); }

}  // namespace

TEST(version_and_status_strings) {
    CHECK_EQ(h4j_version(), H4J_VERSION);
    CHECK(std::string(h4j_status_string(H4J_OK)) == "ok");
    CHECK(std::string(h4j_status_string(H4J_ERR_NO_DEVICE)).size() > 0);
    CHECK(h4j_status_string(12345) != nullptr);
}

TEST(null_cfg_means_defaults) {
    Batch b = make_batch(2, 6, 5, {3, 4}, 1);
    double cfg[H4J_CFG_LEN];
    defaults(cfg);
    Result r1 = forward(b, nullptr), r2 = forward(b, cfg);
    CHECK_EQ(r1.rc, H4J_OK);
    CHECK(r1 == r2);
}

TEST(no_targets_anywhere) {
    Batch b = make_batch(3, 5, 4, {0, 0, 0}, 2);
    Result r = forward(b, nullptr);
    CHECK_EQ(r.rc, H4J_OK);
    for (int a : r.assign) CHECK_EQ(a, -1);
    for (double m : r.mc) CHECK_EQ(m, 0.0);
    CHECK_EQ(r.terms[H4J_TERM_BBOX], 0.0);
    CHECK_EQ(r.terms[H4J_TERM_GIOU], 0.0);
    CHECK_EQ(r.terms[H4J_TERM_NUM_BOXES], 1.0);
    CHECK(r.terms[H4J_TERM_CE] > 0);
    for (float g : r.gb) CHECK_EQ(g, 0.0f);
    CHECK(all_finite(r.gl));
    // eos_coef 0 and no targets: sum of weights 0 -> ce 0, no logit gradient
    double cfg[H4J_CFG_LEN];
    defaults(cfg);
    cfg[H4J_CFG_EOS_COEF] = 0;
    Result z = forward(b, cfg);
    CHECK_EQ(z.rc, H4J_OK);
    CHECK_EQ(z.terms[H4J_TERM_CE], 0.0);
    CHECK_EQ(z.terms[H4J_TERM_TOTAL], 0.0);
    for (float g : z.gl) CHECK_EQ(g, 0.0f);
    // empty batch also works with NULL target arrays
    std::vector<int> a(15);
    double t[H4J_TERMS_LEN];
    CHECK_EQ(h4j_cpu_forward(3, 5, 4, b.logits.data(), b.boxes.data(), b.offsets.data(), nullptr,
                             nullptr, nullptr, a.data(), nullptr, t, nullptr, nullptr),
             H4J_OK);
}

TEST(more_targets_than_queries_and_q1) {
    Batch b = make_batch(2, 3, 6, {7, 12}, 3);
    Result r = forward(b, nullptr);
    CHECK_EQ(r.rc, H4J_OK);
    for (int a : r.assign) CHECK(a >= 0);  // every query matched
    CHECK_EQ(r.terms[H4J_TERM_NUM_BOXES], 19.0);
    Batch q1 = make_batch(3, 1, 3, {0, 1, 4}, 4);
    Result r1 = forward(q1, nullptr);
    CHECK_EQ(r1.rc, H4J_OK);
    CHECK_EQ(r1.assign[0], -1);
    CHECK_EQ(r1.assign[1], 0);
    CHECK(r1.assign[2] >= 0 && r1.assign[2] < 4);
    CHECK(all_finite(r1.gl) && all_finite(r1.gb));
}

TEST(zero_area_boxes_and_confident_logits) {
    Batch b = make_batch(2, 5, 4, {3, 5}, 5, 50.0f);
    for (std::size_t i = 0; i < b.logits.size(); ++i) b.logits[i] = b.logits[i] > 0 ? 50.0f : -50.0f;
    for (int q = 0; q < 10; q += 2) b.boxes[q * 4 + 2] = b.boxes[q * 4 + 3] = 0.0f;  // points
    for (int t = 0; t < 8; t += 3) b.tboxes[t * 4 + 3] = 0.0f;                      // lines
    b.tboxes[4 * 4 + 0] = b.boxes[0];  // a target point on a predicted point
    b.tboxes[4 * 4 + 1] = b.boxes[1];
    b.tboxes[4 * 4 + 2] = b.tboxes[4 * 4 + 3] = 0.0f;
    for (int lp = 0; lp < 2; ++lp) {
        double cfg[H4J_CFG_LEN];
        defaults(cfg);
        cfg[H4J_CFG_CLASS_COST] = lp;
        Result r = forward(b, cfg);
        CHECK_EQ(r.rc, H4J_OK);
        for (double t : r.terms) CHECK(std::isfinite(t));
        for (double m : r.mc) CHECK(std::isfinite(m));
        CHECK(all_finite(r.gl) && all_finite(r.gb));
        std::vector<float> cost((std::size_t)b.Q * b.T());
        CHECK_EQ(h4j_cpu_cost_blocks(b.B, b.Q, b.C, b.logits.data(), b.boxes.data(), b.offsets.data(),
                                     b.labels.data(), b.tboxes.data(), cfg, cost.data()),
                 H4J_OK);
        CHECK(all_finite(cost));
    }
}

TEST(cost_blocks_layout_and_formula) {
    Batch b = make_batch(2, 3, 4, {2, 1}, 6);
    std::vector<float> cost((std::size_t)b.Q * b.T(), -1.0f);
    double cfg[H4J_CFG_LEN];
    defaults(cfg);
    cfg[H4J_CFG_COST_CLASS] = 0.7;
    cfg[H4J_CFG_COST_BBOX] = 0;
    cfg[H4J_CFG_COST_GIOU] = 0;
    for (int lp = 0; lp < 2; ++lp) {
        cfg[H4J_CFG_CLASS_COST] = lp;
        CHECK_EQ(h4j_cpu_cost_blocks(b.B, b.Q, b.C, b.logits.data(), b.boxes.data(), b.offsets.data(),
                                     b.labels.data(), b.tboxes.data(), cfg, cost.data()),
                 H4J_OK);
        for (int im = 0; im < b.B; ++im) {
            const int M = b.offsets[im + 1] - b.offsets[im];
            for (int q = 0; q < b.Q; ++q) {
                const float* l = &b.logits[((std::size_t)im * b.Q + q) * b.C];
                double Z = 0;
                for (int c = 0; c < b.C; ++c) Z += std::exp((double)l[c]);
                for (int j = 0; j < M; ++j) {
                    const double p = std::exp((double)l[b.labels[b.offsets[im] + j]]) / Z;
                    const double want = 0.7 * (lp ? -std::log(p) : -p);
                    CHECK_NEAR(cost[(std::size_t)b.Q * b.offsets[im] + q * M + j], want, 1e-6);
                }
            }
        }
    }
}

TEST(reduction_sum_and_weights) {
    Batch b = make_batch(2, 5, 6, {5, 3}, 7);
    double cfg[H4J_CFG_LEN];
    defaults(cfg);
    Result d = forward(b, cfg);
    cfg[H4J_CFG_REDUCTION] = H4J_REDUCTION_SUM;
    Result s = forward(b, cfg);
    CHECK_EQ(d.rc, H4J_OK);
    CHECK_EQ(s.rc, H4J_OK);
    CHECK(d.assign == s.assign);
    const double W = 8 + 0.1 * 2;  // 8 matched, 2 unmatched
    const double nb = 8;
    CHECK_NEAR(s.terms[H4J_TERM_CE], d.terms[H4J_TERM_CE] * W, 1e-12);
    CHECK_NEAR(s.terms[H4J_TERM_BBOX], d.terms[H4J_TERM_BBOX] * nb, 1e-12);
    CHECK_NEAR(s.terms[H4J_TERM_GIOU], d.terms[H4J_TERM_GIOU] * nb, 1e-12);
    CHECK_EQ(s.terms[H4J_TERM_NUM_BOXES], nb);
    CHECK_NEAR(s.terms[H4J_TERM_TOTAL],
               s.terms[H4J_TERM_CE] + 5 * s.terms[H4J_TERM_BBOX] + 2 * s.terms[H4J_TERM_GIOU], 1e-12);
    // loss weights scale the total only
    defaults(cfg);
    cfg[H4J_CFG_LOSS_CE] = 2;
    cfg[H4J_CFG_LOSS_BBOX] = 0;
    cfg[H4J_CFG_LOSS_GIOU] = 3;
    Result w = forward(b, cfg);
    CHECK_EQ(w.terms[H4J_TERM_CE], d.terms[H4J_TERM_CE]);
    CHECK_NEAR(w.terms[H4J_TERM_TOTAL], 2 * d.terms[H4J_TERM_CE] + 3 * d.terms[H4J_TERM_GIOU], 1e-12);
    // without gradients the terms are the same
    Result ng = forward(b, nullptr, false);
    CHECK(std::equal(ng.terms, ng.terms + H4J_TERMS_LEN, d.terms));
    CHECK(ng.assign == d.assign);
}

TEST(loss_gradient_matches_finite_differences) {
    // the whole loss (double terms) as a function of the float inputs; h = 2^-10 keeps the
    // perturbed inputs exact in float
    Batch b = make_batch(2, 4, 4, {2, 3}, 8);
    std::vector<int> assign = {1, -1, 0, -1, /* image 1 */ 2, 0, -1, 1};
    for (int red = 0; red < 2; ++red) {
        double cfg[H4J_CFG_LEN];
        defaults(cfg);
        cfg[H4J_CFG_REDUCTION] = red;
        cfg[H4J_CFG_EOS_COEF] = 0.3;
        auto total = [&](const Batch& x) {
            double t[H4J_TERMS_LEN];
            const int rc = h4j_cpu_loss(x.B, x.Q, x.C, x.logits.data(), x.boxes.data(), x.offsets.data(),
                                        x.labels.data(), x.tboxes.data(), cfg, assign.data(), t,
                                        nullptr, nullptr);
            CHECK_EQ(rc, H4J_OK);
            return t[H4J_TERM_TOTAL];
        };
        std::vector<float> gl(b.logits.size()), gb(b.boxes.size());
        double t[H4J_TERMS_LEN];
        CHECK_EQ(h4j_cpu_loss(b.B, b.Q, b.C, b.logits.data(), b.boxes.data(), b.offsets.data(),
                              b.labels.data(), b.tboxes.data(), cfg, assign.data(), t, gl.data(),
                              gb.data()),
                 H4J_OK);
        const float h = 1.0f / 1024;
        for (std::size_t i = 0; i < b.logits.size(); ++i) {
            Batch p = b, m = b;
            p.logits[i] += h;
            m.logits[i] -= h;
            const double fd = (total(p) - total(m)) / (2.0 * h);
            CHECK_MSG(std::fabs(fd - gl[i]) <= 1e-5 + 1e-4 * std::fabs(fd), "logit %zu: %.9g vs fd %.9g", i,
                      (double)gl[i], fd);
        }
        for (std::size_t i = 0; i < b.boxes.size(); ++i) {
            Batch p = b, m = b;
            p.boxes[i] += h;
            m.boxes[i] -= h;
            const double fd = (total(p) - total(m)) / (2.0 * h);
            CHECK_MSG(std::fabs(fd - gb[i]) <= 1e-4 + 1e-3 * std::fabs(fd), "box %zu: %.9g vs fd %.9g", i,
                      (double)gb[i], fd);
        }
    }
}

TEST(bad_inputs_status_and_message) {
    Batch b = make_batch(2, 8, 4, {3, 5}, 9);
    auto run = [&](const Batch& x, const double* cfg) {
        Result r = forward(x, cfg);
        return r.rc;
    };
    {
        Batch x = b;
        x.boxes[(1 * 8 + 7) * 4 + 2] = -0.1f;
        CHECK_EQ(run(x, nullptr), H4J_ERR_INVALID_ARG);
        CHECK_MSG(last() == "pred_boxes[1][7][2] is -0.1; width must be >= 0", "got '%s'", last().c_str());
    }
    {
        Batch x = b;
        x.tboxes[3 * 4 + 3] = -0.5f;
        CHECK_EQ(run(x, nullptr), H4J_ERR_INVALID_ARG);
        CHECK_MSG(last() == "target_boxes[3][3] is -0.5; height must be >= 0", "got '%s'", last().c_str());
    }
    {
        Batch x = b;
        x.labels[4] = 7;
        CHECK_EQ(run(x, nullptr), H4J_ERR_INVALID_ARG);
        CHECK_MSG(last() == "labels[4] is 7; must be in [0, 3)", "got '%s'", last().c_str());
        x.labels[4] = 3;  // the no-object index is not a label
        CHECK_EQ(run(x, nullptr), H4J_ERR_INVALID_ARG);
        x.labels[4] = -1;
        CHECK_EQ(run(x, nullptr), H4J_ERR_INVALID_ARG);
    }
    {
        Batch x = b;
        x.logits[(0 * 8 + 1) * 4 + 2] = std::numeric_limits<float>::quiet_NaN();
        CHECK_EQ(run(x, nullptr), H4J_ERR_NON_FINITE);
        CHECK_MSG(last() == "pred_logits[0][1][2] is nan; must be finite", "got '%s'", last().c_str());
        x = b;
        x.boxes[5] = -std::numeric_limits<float>::infinity();
        CHECK_EQ(run(x, nullptr), H4J_ERR_NON_FINITE);
        CHECK_MSG(last() == "pred_boxes[0][1][1] is -inf; must be finite", "got '%s'", last().c_str());
        x = b;
        x.tboxes[2] = std::numeric_limits<float>::infinity();
        CHECK_EQ(run(x, nullptr), H4J_ERR_NON_FINITE);
        CHECK_MSG(last() == "target_boxes[0][2] is inf; must be finite", "got '%s'", last().c_str());
    }
    {
        double cfg[H4J_CFG_LEN];
        defaults(cfg);
        cfg[H4J_CFG_COST_BBOX] = -1;
        CHECK_EQ(run(b, cfg), H4J_ERR_INVALID_ARG);
        CHECK_MSG(last() == "cfg[1] (cost_bbox) is -1; must be >= 0", "got '%s'", last().c_str());
        defaults(cfg);
        cfg[H4J_CFG_EOS_COEF] = std::numeric_limits<double>::quiet_NaN();
        CHECK_EQ(run(b, cfg), H4J_ERR_NON_FINITE);
        CHECK(last().find("eos_coef") != std::string::npos);
        defaults(cfg);
        cfg[H4J_CFG_CLASS_COST] = 2;
        CHECK_EQ(run(b, cfg), H4J_ERR_INVALID_ARG);
        CHECK(last().find("class_cost") != std::string::npos);
        defaults(cfg);
        cfg[H4J_CFG_REDUCTION] = 0.5;
        CHECK_EQ(run(b, cfg), H4J_ERR_INVALID_ARG);
        CHECK(last().find("reduction") != std::string::npos);
        defaults(cfg);
        cfg[H4J_CFG_GROUPS] = 3;  // does not divide Q = 8
        CHECK_EQ(run(b, cfg), H4J_ERR_INVALID_ARG);
        CHECK_MSG(last() == "cfg[9] (groups) is 3; must divide Q = 8 (query groups of equal size)", "got '%s'",
                  last().c_str());
        defaults(cfg);
        cfg[H4J_CFG_GROUPS] = 1.5;
        CHECK_EQ(run(b, cfg), H4J_ERR_INVALID_ARG);
        CHECK(last().find("cfg[9] (groups)") != std::string::npos);
        defaults(cfg);
        cfg[H4J_CFG_NUM_BOXES] = -2;
        CHECK_EQ(run(b, cfg), H4J_ERR_INVALID_ARG);
        CHECK(last().find("cfg[10] (num_boxes)") != std::string::npos);
        defaults(cfg);
        cfg[H4J_CFG_LOSS_CLASS] = H4J_LOSS_CLASS_FOCAL;  // class_cost stays prob: bad
        cfg[H4J_CFG_FOCAL_ALPHA] = 0.25;
        cfg[H4J_CFG_FOCAL_GAMMA] = 2;
        CHECK_EQ(run(b, cfg), H4J_ERR_INVALID_ARG);
        CHECK(last().find("cfg[3] (class_cost)") != std::string::npos);
        cfg[H4J_CFG_CLASS_COST] = H4J_CLASS_COST_FOCAL;
        cfg[H4J_CFG_FOCAL_ALPHA] = 1.5;
        CHECK_EQ(run(b, cfg), H4J_ERR_INVALID_ARG);
        CHECK(last().find("cfg[12] (focal_alpha)") != std::string::npos);
        cfg[H4J_CFG_FOCAL_ALPHA] = 0.25;
        cfg[H4J_CFG_FOCAL_GAMMA] = -1;
        CHECK_EQ(run(b, cfg), H4J_ERR_INVALID_ARG);
        CHECK(last().find("cfg[13] (focal_gamma)") != std::string::npos);
        defaults(cfg);
        cfg[14] = 1;
        CHECK_EQ(run(b, cfg), H4J_ERR_INVALID_ARG);
        CHECK(last().find("cfg[14]") != std::string::npos);
    }
    {
        Batch x = b;
        x.offsets[1] = 9;  // > offsets[2] = 8
        CHECK_EQ(run(x, nullptr), H4J_ERR_INVALID_ARG);
        CHECK_MSG(last().rfind("offsets[2] is 8; must be >= offsets[1] = 9", 0) == 0, "got '%s'", last().c_str());
    }
    std::vector<int> a(16);
    double t[H4J_TERMS_LEN];
    std::vector<float> gl(b.logits.size()), gb(b.boxes.size());
    CHECK_EQ(h4j_cpu_forward(2, 8, 1, b.logits.data(), b.boxes.data(), b.offsets.data(), b.labels.data(),
                             b.tboxes.data(), nullptr, a.data(), nullptr, t, nullptr, nullptr),
             H4J_ERR_INVALID_ARG);
    CHECK(last().find("C is 1") == 0);
    CHECK_EQ(h4j_cpu_forward(0, 8, 4, b.logits.data(), b.boxes.data(), b.offsets.data(), b.labels.data(),
                             b.tboxes.data(), nullptr, a.data(), nullptr, t, nullptr, nullptr),
             H4J_ERR_INVALID_ARG);
    CHECK_EQ(h4j_cpu_forward(2, 0, 4, b.logits.data(), b.boxes.data(), b.offsets.data(), b.labels.data(),
                             b.tboxes.data(), nullptr, a.data(), nullptr, t, nullptr, nullptr),
             H4J_ERR_INVALID_ARG);
    CHECK_EQ(h4j_cpu_forward(2, 8, 4, nullptr, b.boxes.data(), b.offsets.data(), b.labels.data(),
                             b.tboxes.data(), nullptr, a.data(), nullptr, t, nullptr, nullptr),
             H4J_ERR_INVALID_ARG);
    CHECK(last() == "pred_logits is NULL");
    CHECK_EQ(h4j_cpu_forward(2, 8, 4, b.logits.data(), b.boxes.data(), b.offsets.data(), b.labels.data(),
                             b.tboxes.data(), nullptr, a.data(), nullptr, t, gl.data(), nullptr),
             H4J_ERR_INVALID_ARG);
    CHECK(last().find("grad_logits and grad_boxes") == 0);
    CHECK_EQ(h4j_cpu_forward(2, 8, 4, b.logits.data(), b.boxes.data(), b.offsets.data(), b.labels.data(),
                             b.tboxes.data(), nullptr, a.data(), nullptr, nullptr, nullptr, nullptr),
             H4J_ERR_INVALID_ARG);
    // assignments given to h4j_cpu_loss
    std::vector<int> as(16, -1);
    as[8 + 5] = 5;  // image 1 has 5 targets: 5 is out of range
    CHECK_EQ(h4j_cpu_loss(2, 8, 4, b.logits.data(), b.boxes.data(), b.offsets.data(), b.labels.data(),
                          b.tboxes.data(), nullptr, as.data(), t, nullptr, nullptr),
             H4J_ERR_INVALID_ARG);
    CHECK_MSG(last().rfind("assign[1][5] is 5;", 0) == 0, "got '%s'", last().c_str());
    as[8 + 5] = 3;
    as[8 + 2] = 3;
    CHECK_EQ(h4j_cpu_loss(2, 8, 4, b.logits.data(), b.boxes.data(), b.offsets.data(), b.labels.data(),
                          b.tboxes.data(), nullptr, as.data(), t, nullptr, nullptr),
             H4J_ERR_INVALID_ARG);
    CHECK_MSG(last() == "assign[1][5] is 3; target 3 of image 1 is already matched to query 2", "got '%s'",
              last().c_str());
    // the cost function validates too
    std::vector<float> cost((std::size_t)8 * b.T());
    Batch x = b;
    x.boxes[3] = -2.0f;
    CHECK_EQ(h4j_cpu_cost_blocks(2, 8, 4, x.logits.data(), x.boxes.data(), x.offsets.data(), x.labels.data(),
                                 x.tboxes.data(), nullptr, cost.data()),
             H4J_ERR_INVALID_ARG);
    CHECK_MSG(last() == "pred_boxes[0][0][3] is -2; height must be >= 0", "got '%s'", last().c_str());
    // errors are per thread
    std::string other;
    std::thread th([&] { other = h4j_last_error(); });
    th.join();
    CHECK(other.empty());
    CHECK(!last().empty());
}

TEST(deterministic_across_threads_and_concurrent_callers) {
    std::vector<int> Ms;
    std::mt19937 rng(10);
    for (int i = 0; i < 24; ++i) Ms.push_back((int)(rng() % 40));
    Ms[3] = 0;
    Ms[5] = 130;  // more targets than queries
    Batch b = make_batch(24, 100, 92, Ms, 11);
    const int prev = h4j_set_max_threads(1);
    Result serial = forward(b, nullptr);
    CHECK_EQ(serial.rc, H4J_OK);
    std::vector<float> cost_serial((std::size_t)b.Q * b.T());
    CHECK_EQ(h4j_cpu_cost_blocks(b.B, b.Q, b.C, b.logits.data(), b.boxes.data(), b.offsets.data(),
                                 b.labels.data(), b.tboxes.data(), nullptr, cost_serial.data()),
             H4J_OK);
    h4j_set_max_threads(0);
    for (int rep = 0; rep < 3; ++rep) {
        Result par = forward(b, nullptr);
        CHECK(par == serial);
    }
    std::vector<float> cost_par((std::size_t)b.Q * b.T());
    CHECK_EQ(h4j_cpu_cost_blocks(b.B, b.Q, b.C, b.logits.data(), b.boxes.data(), b.offsets.data(),
                                 b.labels.data(), b.tboxes.data(), nullptr, cost_par.data()),
             H4J_OK);
    CHECK(cost_par == cost_serial);
    std::vector<int> a1((std::size_t)b.B * b.Q);
    std::vector<double> m1(b.B);
    CHECK_EQ(h4j_cpu_match_exact(b.B, b.Q, b.offsets.data(), cost_par.data(), a1.data(), m1.data()), H4J_OK);
    CHECK(a1 == serial.assign && m1 == serial.mc);
    // several threads at once (some run on the pool, the others serially)
    std::atomic<int> mismatches{0};
    std::vector<std::thread> ts;
    for (int t = 0; t < 4; ++t)
        ts.emplace_back([&] {
            for (int rep = 0; rep < 5; ++rep)
                if (!(forward(b, nullptr) == serial)) ++mismatches;
        });
    for (auto& t : ts) t.join();
    CHECK_EQ(mismatches.load(), 0);
    h4j_set_max_threads(prev);
}

// A call closes its job once its own items are done, and a helper that arrives later (still
// waking up) skips it: the call never waits for a wake-up. Calls after idle gaps of every length
// (the pool's workers still polling, asleep, or waking up as the call ends) give the serial
// results bit for bit.
TEST(calls_after_idle_gaps_match_the_serial_results) {
    const std::vector<int> Ms = {10, 3, 0, 17, 10, 25, 1, 10};
    Batch b = make_batch(8, 100, 92, Ms, 12);
    const int prev = h4j_set_max_threads(1);
    Result serial = forward(b, nullptr);
    CHECK_EQ(serial.rc, H4J_OK);
    h4j_set_max_threads(0);
    std::mt19937 rng(5);
    int mismatches = 0;
    for (int rep = 0; rep < 300; ++rep) {
        std::this_thread::sleep_for(std::chrono::microseconds(rng() % 400));
        if (!(forward(b, nullptr) == serial)) ++mismatches;
    }
    CHECK_EQ(mismatches, 0);
    h4j_set_max_threads(prev);
}

TEST(cuda_entry_points) {
    int n = -1;
    const int rc = h4j_cuda_device_count(&n);
    if (h4j_cuda_available()) {
        CHECK_EQ(rc, H4J_OK);
        CHECK(n >= 1);
        char name[256];
        CHECK_EQ(h4j_cuda_device_name(0, name, sizeof name), H4J_OK);
        CHECK(std::strlen(name) > 0);
        std::printf("    CUDA device 0: %s\n", name);
        // GPU costs (float) agree with the CPU (double) costs
        Batch b = make_batch(4, 100, 92, {5, 0, 30, 130}, 12);
        for (int lp = 0; lp < 2; ++lp) {
            double cfg[H4J_CFG_LEN];
            defaults(cfg);
            cfg[H4J_CFG_CLASS_COST] = lp;
            std::vector<float> c1((std::size_t)b.Q * b.T()), c2(c1.size());
            CHECK_EQ(h4j_cpu_cost_blocks(b.B, b.Q, b.C, b.logits.data(), b.boxes.data(), b.offsets.data(),
                                         b.labels.data(), b.tboxes.data(), cfg, c1.data()),
                     H4J_OK);
            CHECK_EQ(h4j_cuda_cost_blocks_host(b.B, b.Q, b.C, b.logits.data(), b.boxes.data(),
                                               b.offsets.data(), b.labels.data(), b.tboxes.data(), cfg,
                                               c2.data()),
                     H4J_OK);
            double dmax = 0;
            for (std::size_t i = 0; i < c1.size(); ++i) dmax = std::max(dmax, (double)std::fabs(c1[i] - c2[i]));
            CHECK_MSG(dmax <= 1e-4, "max |cpu - gpu| cost %.3g", dmax);
        }
    } else {
        CHECK_EQ(rc, H4J_ERR_NO_DEVICE);
        CHECK_EQ(n, 0);
        CHECK(!last().empty());
        std::printf("    no CUDA: %s\n", last().c_str());
        char name[16] = "x";
        CHECK_EQ(h4j_cuda_device_name(0, name, sizeof name), H4J_ERR_NO_DEVICE);
        Batch b = make_batch(1, 2, 3, {1}, 13);
        std::vector<float> c(2);
        CHECK_EQ(h4j_cuda_cost_blocks_host(1, 2, 3, b.logits.data(), b.boxes.data(), b.offsets.data(),
                                           b.labels.data(), b.tboxes.data(), nullptr, c.data()),
                 H4J_ERR_NO_DEVICE);
    }
}

H4J_TEST_MAIN

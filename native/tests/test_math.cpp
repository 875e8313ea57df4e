// hungarian4j — the shared host/device math (hd_math.h): GIoU hand cases, degenerate boxes,
// gradients against central finite differences in double.
#include <random>
#include <vector>

#include "harness.h"
#include "hungarian4j/hd_math.h"
#include "../src/cpu_kernels.h"  // the CPU kernels' float exp and row softmax

using namespace h4j::hd;

namespace {

double G(const double* p, const double* t) { return giou<double>(p, t); }

bool finite4(const double* d) {
    for (int k = 0; k < 4; ++k)
        if (!std::isfinite(d[k])) return false;
    return true;
}

// A pair of boxes at least `gap` away from every kink (shared or tied coordinates, zero sides).
bool generic_pair(const double* p, const double* t, double gap) {
    double a[4], b[4];
    cxcywh_to_xyxy<double>(p, a);
    cxcywh_to_xyxy<double>(t, b);
    for (int i = 0; i < 4; ++i)
        for (int j = 0; j < 4; ++j)
            if ((i % 2) == (j % 2) && std::fabs(a[i] - b[j]) < gap) return false;
    return p[2] > gap && p[3] > gap && t[2] > gap && t[3] > gap;
}

}  // namespace

TEST(giou_hand_cases) {
    const double same[4] = {0.5, 0.5, 0.2, 0.2};
    CHECK_NEAR(G(same, same), 1.0, 1e-15);
    const double far_a[4] = {0.1, 0.1, 0.1, 0.1}, far_b[4] = {0.9, 0.9, 0.1, 0.1};
    // inter 0, union 0.02, enclosing (0.95 - 0.05)^2 = 0.81
    CHECK_NEAR(G(far_a, far_b), -(0.81 - 0.02) / 0.81, 1e-12);
    const double u1[4] = {0.5, 0.5, 1, 1}, u2[4] = {1.0, 0.5, 1, 1};
    CHECK_NEAR(G(u1, u2), 1.0 / 3.0, 1e-15);  // inter .5, union 1.5, encl 1.5
    const double big[4] = {1, 1, 2, 2}, small[4] = {1, 1, 1, 1};
    CHECK_NEAR(G(big, small), 0.25, 1e-15);
    CHECK_NEAR(G(small, big), 0.25, 1e-15);
    // touching corners: inter 0, union 2, encl 4 -> -0.5
    const double t1[4] = {0.5, 0.5, 1, 1}, t2[4] = {1.5, 1.5, 1, 1};
    CHECK_NEAR(G(t1, t2), -0.5, 1e-15);
    // far apart boxes tend to -1
    const double f1[4] = {0, 0, 1e-3, 1e-3}, f2[4] = {100, 100, 1e-3, 1e-3};
    CHECK(G(f1, f2) < -0.9999999 && G(f1, f2) >= -1.0);
    // float instantiation agrees
    const float fa[4] = {0.5f, 0.5f, 1, 1}, fb[4] = {1.0f, 0.5f, 1, 1};
    CHECK_NEAR(giou<float>(fa, fb), 1.0 / 3.0, 1e-6);
    // corner conversion round trip
    double xy[4], back[4];
    cxcywh_to_xyxy<double>(same, xy);
    CHECK_NEAR(xy[0], 0.4, 1e-15);
    CHECK_NEAR(xy[3], 0.6, 1e-15);
    xyxy_to_cxcywh<double>(xy, back);
    for (int k = 0; k < 4; ++k) CHECK_NEAR(back[k], same[k], 1e-15);
}

TEST(giou_zero_area_boxes_are_finite) {
    const double pt[4] = {0.5, 0.5, 0, 0};
    const double pt2[4] = {0.7, 0.2, 0, 0};
    const double line[4] = {0.5, 0.5, 0, 0.2};
    const double box[4] = {0.5, 0.5, 0.2, 0.2};
    CHECK_EQ(G(pt, pt), 0.0);        // union 0, encl 0: iou 0, penalty 0
    CHECK_NEAR(G(pt, pt2), -1.0, 1e-12);  // union 0, encl > 0
    CHECK_NEAR(G(line, box), 0.0, 1e-15);  // encl == union
    CHECK_NEAR(G(pt, box), 0.0, 1e-15);
    const double* cases[][2] = {{pt, pt}, {pt, pt2}, {line, box}, {pt, box}, {box, pt}, {line, line}};
    for (auto& c : cases) {
        double d[4];
        const double g = giou_grad<double>(c[0], c[1], d);
        CHECK(std::isfinite(g) && g >= -1.0 && g <= 1.0);
        CHECK(finite4(d));
        CHECK_EQ(g, G(c[0], c[1]));
    }
    const float fpt[4] = {0.5f, 0.5f, 0, 0};
    float fd[4];
    CHECK(std::isfinite(giou_grad<float>(fpt, fpt, fd)));
    for (float v : fd) CHECK(std::isfinite(v));
}

TEST(giou_gradient_matches_central_differences) {
    std::mt19937 rng(2024);
    std::uniform_real_distribution<double> U(0.0, 1.0);
    int checked = 0;
    const double h = 1e-6;
    for (int trial = 0; trial < 4000 && checked < 1500; ++trial) {
        double p[4] = {U(rng), U(rng), 0.02 + 0.6 * U(rng), 0.02 + 0.6 * U(rng)};
        double t[4] = {U(rng), U(rng), 0.02 + 0.6 * U(rng), 0.02 + 0.6 * U(rng)};
        if (trial % 5 == 0) {  // make overlapping/containing pairs common
            t[0] = p[0] + 0.1 * (U(rng) - 0.5);
            t[1] = p[1] + 0.1 * (U(rng) - 0.5);
        }
        if (!generic_pair(p, t, 1e-4)) continue;
        double d[4];
        const double g = giou_grad<double>(p, t, d);
        CHECK_NEAR(g, G(p, t), 1e-15);
        for (int k = 0; k < 4; ++k) {
            double pp[4] = {p[0], p[1], p[2], p[3]}, pm[4] = {p[0], p[1], p[2], p[3]};
            pp[k] += h;
            pm[k] -= h;
            const double fd = (G(pp, t) - G(pm, t)) / (2 * h);
            CHECK_MSG(std::fabs(fd - d[k]) <= 1e-6 * (1 + std::fabs(fd)),
                      "trial %d k %d: analytic %.12g, fd %.12g", trial, k, d[k], fd);
        }
        ++checked;
    }
    CHECK(checked >= 1000);
}

TEST(giou_gradient_tiny_and_large_boxes) {
    const double h_rel = 1e-5;
    const double cases[][8] = {
        {0.5, 0.5, 1.3e-4, 0.9e-4, 0.50003, 0.49996, 1.1e-4, 1.2e-4},
        {0.2, 0.3, 0.7, 0.55, 0.41, 0.35, 0.3, 0.9},
        {0.3, 0.3, 0.2, 0.2, 0.8, 0.75, 0.1, 0.15},  // disjoint
    };
    for (auto& c : cases) {
        const double* p = c;
        const double* t = c + 4;
        double d[4];
        giou_grad<double>(p, t, d);
        const double h = h_rel * std::min(p[2], p[3]);
        for (int k = 0; k < 4; ++k) {
            double pp[4] = {p[0], p[1], p[2], p[3]}, pm[4] = {p[0], p[1], p[2], p[3]};
            pp[k] += h;
            pm[k] -= h;
            const double fd = (G(pp, t) - G(pm, t)) / (2 * h);
            CHECK_MSG(std::fabs(fd - d[k]) <= 1e-5 * (1 + std::fabs(fd)), "k %d: %.12g vs %.12g", k,
                      d[k], fd);
        }
    }
}

TEST(l1_value_and_gradient) {
    const double p[4] = {0.5, 0.25, 0.1, 0.3}, t[4] = {0.25, 0.25, 0.2, 0.1};
    double d[4];
    CHECK_NEAR(l1_grad<double>(p, t, d), 0.25 + 0 + 0.1 + 0.2, 1e-15);
    CHECK_NEAR(l1<double>(p, t), 0.55, 1e-15);
    CHECK_EQ(d[0], 1.0);
    CHECK_EQ(d[1], 0.0);  // sign(0) = 0
    CHECK_EQ(d[2], -1.0);
    CHECK_EQ(d[3], 1.0);
}

TEST(class_cost_and_cross_entropy) {
    const float logits[4] = {1.0f, 2.0f, -0.5f, 0.25f};
    double m, s;
    softmax_stats<double>(logits, 4, &m, &s);
    CHECK_EQ(m, 2.0);
    double Z = 0;
    for (float l : logits) Z += std::exp((double)l);
    const double p1 = std::exp(2.0) / Z;
    CHECK_NEAR(class_cost<double>(2.0, m, s, false), -p1, 1e-15);
    CHECK_NEAR(class_cost<double>(2.0, m, s, true), -std::log(p1), 1e-14);
    CHECK_NEAR((class_cost_row<double>(logits, 4, 0, true)), std::log(Z) - 1.0, 1e-14);
    CHECK_NEAR((ce_value<double>(logits, 4, 3)), std::log(Z) - 0.25, 1e-14);
    // gradient vs central differences in double
    const double dl[5] = {0.3, -1.2, 2.5, 0.0, 0.7};
    for (int t = 0; t < 5; ++t) {
        double g[5];
        const double v = ce_grad<double>(dl, 5, t, 0.75, g);
        CHECK_NEAR(v, (ce_value<double>(dl, 5, t)), 1e-14);
        double gs = 0;
        for (int c = 0; c < 5; ++c) {
            double xp[5], xm[5];
            for (int i = 0; i < 5; ++i) xp[i] = xm[i] = dl[i];
            xp[c] += 1e-6;
            xm[c] -= 1e-6;
            const double fd = 0.75 * ((ce_value<double>(xp, 5, t)) - (ce_value<double>(xm, 5, t))) / 2e-6;
            CHECK_NEAR(g[c], fd, 1e-8);
            gs += g[c];
        }
        CHECK_NEAR(gs, 0.0, 1e-15);
    }
}

TEST(confident_logits_stay_finite) {
    const float hi[4] = {50.0f, -50.0f, -50.0f, -50.0f};
    for (int label = 0; label < 4; ++label) {
        for (int lp = 0; lp < 2; ++lp) {
            const double c = class_cost_row<double>(hi, 4, label, lp == 1);
            CHECK(std::isfinite(c));
            const float cf = class_cost_row<float>(hi, 4, label, lp == 1);
            CHECK(std::isfinite(cf));
        }
        float g[4];
        const double v = ce_grad<double>(hi, 4, label, 1.0, g);
        CHECK(std::isfinite(v));
        CHECK(v >= 0);
        for (float x : g) CHECK(std::isfinite(x));
    }
    CHECK_NEAR((ce_value<double>(hi, 4, 1)), 100.0 + std::log1p(std::exp(-100.0) * 3), 1e-12);
    CHECK_NEAR((ce_value<double>(hi, 4, 0)), std::log1p(3 * std::exp(-100.0)), 1e-30);
}

TEST(pair_cost_combines_terms) {
    const float p[4] = {0.5f, 0.5f, 0.2f, 0.4f}, t[4] = {0.55f, 0.45f, 0.3f, 0.3f};
    const double cc = -0.3;
    const double c = pair_cost<double>(cc, p, t, 1.0, 5.0, 2.0);
    CHECK_NEAR(c, -0.3 + 5.0 * l1<double>(p, t) - 2.0 * giou<double>(p, t), 1e-15);
}

// The CPU kernels' branch-free float exp: within 4 ulp-ish (6e-7 relative) of exp in double over
// the whole range it is used on, exactly 1 at 0, 0 below e^-87 and for -inf.
TEST(cpu_exp_le0_accuracy) {
    double worst = 0;
    for (int i = 0; i <= 2000000; ++i) {
        const float x = -87.0f * (float)i / 2000000.0f;
        const double want = std::exp((double)x);
        const double got = h4j::kern::exp_le0(x);
        const double rel = std::fabs(got - want) / want;
        if (rel > worst) worst = rel;
    }
    CHECK_MSG(worst < 6e-7, "exp_le0 worst relative error %.3g", worst);
    CHECK_EQ(h4j::kern::exp_le0(0.0f), 1.0f);
    CHECK_EQ(h4j::kern::exp_le0(-88.0f), 0.0f);
    CHECK_EQ(h4j::kern::exp_le0(-INFINITY), 0.0f);
    CHECK_EQ(h4j::kern::exp_le0(NAN), 0.0f);  // no float-to-int conversion of a NaN (UBSan)
    CHECK_EQ(h4j::kern::exp_le0(-3.0e38f), 0.0f);
}

// row_softmax against a double reference, for every tail length around the 8-lane blocks.
TEST(cpu_row_softmax_matches_double) {
    std::mt19937 rng(5);
    std::uniform_real_distribution<float> u(-40.0f, 40.0f);
    for (int n = 1; n <= 40; ++n) {
        std::vector<float> row(n), e(n);
        for (float& v : row) v = u(rng);
        double s = 0;
        bool finite = false;
        const float m = h4j::kern::row_softmax(row.data(), n, e.data(), &s, &finite);
        CHECK(finite);
        double mref = row[0];
        for (float v : row) mref = v > mref ? v : mref;
        double sref = 0;
        for (float v : row) sref += std::exp((double)v - mref);
        CHECK_EQ((double)m, mref);
        CHECK_MSG(std::fabs(s - sref) <= 1e-6 * sref, "n %d: s %.17g vs %.17g", n, s, sref);
        for (int c = 0; c < n; ++c) {
            // exp's error plus that of rounding row[c] - m to float (6e-8 * |x| relative)
            const double x = (double)row[c] - mref, want = std::exp(x);
            CHECK_MSG(std::fabs(e[c] - want) <= (1e-6 + 1.2e-7 * std::fabs(x)) * want + 1e-38,
                      "n %d c %d", n, c);
        }
    }
}

// row_softmax's finiteness flag: false for a NaN, +inf or -inf anywhere in the row (in the 8-lane
// blocks and in the tail), true for the largest finite logits.
TEST(cpu_row_softmax_flags_every_non_finite_logit) {
    for (int n = 1; n <= 40; ++n) {
        std::vector<float> row(n, 0.25f), e(n);
        double s = 0;
        bool finite = false;
        row[0] = 3.0e38f;
        row[n - 1] = n > 1 ? -3.0e38f : row[0];
        h4j::kern::row_softmax(row.data(), n, e.data(), &s, &finite);
        CHECK_MSG(finite, "n %d: +-3e38 flagged", n);
        for (int pos = 0; pos < n; ++pos)
            for (float v : {NAN, INFINITY, -INFINITY}) {
                std::vector<float> bad(n, 0.25f);
                bad[pos] = v;
                finite = true;
                h4j::kern::row_softmax(bad.data(), n, e.data(), &s, &finite);
                CHECK_MSG(!finite, "n %d pos %d: %g not flagged", n, pos, (double)v);
            }
    }
}

H4J_TEST_MAIN

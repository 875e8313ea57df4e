// hungarian4j — contract.md section 3 through the C API: the focal math against central
// differences (finite at |logit| up to 100), one call for L layers x G query groups equal to L*G
// separate section-1 calls, the loss of groups / num_boxes / focal against finite differences,
// and the layered call's argument checks; the CUDA pipeline's item layout (item_layout.h) gives
// exactly the problems the CPU solves; h4j_cpu_forward_layers_io (predictions loaded and gradients
// stored through callbacks) gives what the contiguous call gives, and names what fails.
#include <atomic>
#include <cmath>
#include <cstring>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "harness.h"
#include "hungarian4j/auction.h"
#include "hungarian4j/hd_math.h"
#include "hungarian4j/hungarian4j.h"
#include "hungarian4j/item_layout.h"

namespace {

struct Batch {
    int B = 0, Q = 0, C = 0;
    std::vector<float> logits, boxes, tboxes;  // logits/boxes: L layers contiguous
    std::vector<int> offsets, labels;
};

// L layers of B x Q predictions with C logits (K = C - 1 labels, or C when focal).
Batch make(int L, int B, int Q, int C, const std::vector<int>& Ms, bool focal, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> U(0.0f, 1.0f);
    std::normal_distribution<float> N(0.0f, 1.0f);
    Batch b;
    b.B = B;
    b.Q = Q;
    b.C = C;
    for (int i = 0; i < L * B * Q * C; ++i) b.logits.push_back((focal ? -3.0f : 0.0f) + 2.0f * N(rng));
    for (int i = 0; i < L * B * Q; ++i) {
        b.boxes.push_back(0.1f + 0.8f * U(rng));
        b.boxes.push_back(0.1f + 0.8f * U(rng));
        b.boxes.push_back(0.05f + 0.4f * U(rng));
        b.boxes.push_back(0.05f + 0.4f * U(rng));
    }
    const int K = focal ? C : C - 1;
    b.offsets.push_back(0);
    for (int i = 0; i < B; ++i) {
        for (int j = 0; j < Ms[i]; ++j) {
            b.labels.push_back((int)(U(rng) * K) % K);
            for (int k = 0; k < 2; ++k) b.tboxes.push_back(0.1f + 0.8f * U(rng));
            for (int k = 0; k < 2; ++k) b.tboxes.push_back(0.05f + 0.4f * U(rng));
        }
        b.offsets.push_back(b.offsets.back() + Ms[i]);
    }
    return b;
}

void config(double* cfg, bool focal, int groups, double num_boxes, int reduction) {
    const double d[H4J_CFG_LEN] = {1, 5, 2, 0, 1, 5, 2, 0.1, 0};
    std::memcpy(cfg, d, sizeof d);
    cfg[H4J_CFG_REDUCTION] = reduction;
    cfg[H4J_CFG_GROUPS] = groups;
    cfg[H4J_CFG_NUM_BOXES] = num_boxes;
    if (focal) {
        cfg[H4J_CFG_LOSS_CLASS] = H4J_LOSS_CLASS_FOCAL;
        cfg[H4J_CFG_CLASS_COST] = H4J_CLASS_COST_FOCAL;
        cfg[H4J_CFG_FOCAL_ALPHA] = 0.25;
        cfg[H4J_CFG_FOCAL_GAMMA] = 2;
    }
}

}  // namespace

TEST(focal_math_matches_central_differences_and_stays_finite) {
    using h4j::hd::focal_loss_grad;
    const double alphas[] = {0.0, 0.25, 1.0};
    const double gammas[] = {0.0, 0.5, 2.0, 3.0};
    const double xs[] = {-80, -30, -9.5, -2.25, -0.3, 0.0, 0.7, 3.5, 12, 40, 80};
    for (double a : alphas)
        for (double g : gammas)
            for (double x : xs)
                for (int y = 0; y < 2; ++y) {
                    double d, dp, dm;
                    const double v = focal_loss_grad<double>(x, y == 1, a, g, &d);
                    const double h = 1e-5;
                    const double fd = (focal_loss_grad<double>(x + h, y == 1, a, g, &dp) -
                                       focal_loss_grad<double>(x - h, y == 1, a, g, &dm)) /
                                      (2 * h);
                    CHECK_MSG(std::isfinite(v) && std::isfinite(d), "x %g y %d a %g g %g", x, y, a, g);
                    CHECK_MSG(std::fabs(fd - d) <= 1e-7 + 1e-5 * std::fabs(d), "x %g y %d a %g g %g: %.12g vs fd %.12g",
                              x, y, a, g, d, fd);
                    // the textbook form where it is representable: -log(p) etc.
                    if (std::fabs(x) <= 30) {
                        const double p = 1 / (1 + std::exp(-x));
                        const double ref = y ? a * std::pow(1 - p, g) * -std::log(p)
                                             : (1 - a) * std::pow(p, g) * -std::log(1 - p);
                        CHECK_MSG(std::fabs(ref - v) <= 1e-9 + 1e-7 * std::fabs(ref), "x %g: %.12g vs %.12g", x, v, ref);
                    }
                    float df;
                    const float vf = focal_loss_grad<float>((float)x, y == 1, (float)a, (float)g, &df);
                    CHECK_MSG(std::isfinite(vf) && std::isfinite(df), "float x %g y %d", x, y);
                    const double c = h4j::hd::focal_cost<double>(x, a, g);
                    const float cf = h4j::hd::focal_cost<float>((float)x, (float)a, (float)g);
                    CHECK(std::isfinite(c) && std::isfinite(cf));
                }
    // the float instantiation (the CUDA cost kernel's) agrees with the double one
    for (double x = -20; x <= 20; x += 0.37) {
        const double c = h4j::hd::focal_cost<double>(x, 0.25, 2.0);
        const float cf = h4j::hd::focal_cost<float>((float)x, 0.25f, 2.0f);
        CHECK_MSG(std::fabs(cf - c) <= 1e-6 + 2e-5 * std::fabs(c), "x %g: float %.9g vs double %.12g", x, (double)cf, c);
    }
    // the class cost is the positive minus the negative loss of the same logit
    double d;
    const double x = 0.4;
    CHECK_NEAR(h4j::hd::focal_cost<double>(x, 0.25, 2.0),
               focal_loss_grad<double>(x, true, 0.25, 2.0, &d) - focal_loss_grad<double>(x, false, 0.25, 2.0, &d),
               1e-15);
}

// One call with L = 6 layers and G = 3 query groups against 18 separate section-1 calls, each on
// one (layer, group) slice: same matchings, same gradients, terms that add up (reduction "sum"
// makes every term a plain sum; with "detr" the normalizer is max(1, sum M_b) * G).
TEST(layers_and_groups_equal_separate_calls) {
    const int L = 6, G = 3, B = 3, Q = 12, Qg = Q / G;
    for (int focal = 0; focal < 2; ++focal) {
        const int C = focal ? 5 : 6;
        Batch b = make(L, B, Q, C, {2, 0, 9}, focal, 21 + focal);
        for (int red = 0; red < 2; ++red) {
            double cfg[H4J_CFG_LEN];
            config(cfg, focal, G, 0, red);
            std::vector<int> assign(L * B * Q, -9);
            std::vector<double> mc(L * B, -9), terms(L * H4J_TERMS_LEN, -9);
            std::vector<float> gl(b.logits.size(), 7.0f), gb(b.boxes.size(), 7.0f);
            CHECK_EQ(h4j_cpu_forward_layers(L, B, Q, C, b.logits.data(), b.boxes.data(), b.offsets.data(),
                                            b.labels.data(), b.tboxes.data(), cfg, assign.data(), mc.data(),
                                            terms.data(), gl.data(), gb.data()),
                     H4J_OK);
            double one[H4J_CFG_LEN];
            config(one, focal, 1, 0, 1);  // section 1 (+ focal), reduction sum
            for (int l = 0; l < L; ++l) {
                double sum[3] = {0, 0, 0}, msum[B] = {0, 0, 0};
                for (int g = 0; g < G; ++g) {
                    std::vector<float> lg, bx;
                    for (int i = 0; i < B; ++i) {
                        const std::size_t row = ((std::size_t)l * B + i) * Q + (std::size_t)g * Qg;
                        lg.insert(lg.end(), b.logits.begin() + row * C, b.logits.begin() + (row + Qg) * C);
                        bx.insert(bx.end(), b.boxes.begin() + row * 4, b.boxes.begin() + (row + Qg) * 4);
                    }
                    std::vector<int> a(B * Qg);
                    std::vector<double> m(B);
                    std::vector<float> sgl(lg.size()), sgb(bx.size());
                    double t[H4J_TERMS_LEN];
                    CHECK_EQ(h4j_cpu_forward(B, Qg, C, lg.data(), bx.data(), b.offsets.data(), b.labels.data(),
                                             b.tboxes.data(), one, a.data(), m.data(), t, sgl.data(), sgb.data()),
                             H4J_OK);
                    for (int k = 0; k < 3; ++k) sum[k] += t[k];
                    for (int i = 0; i < B; ++i) {
                        msum[i] += m[i];
                        const std::size_t row = ((std::size_t)l * B + i) * Q + (std::size_t)g * Qg;
                        for (int q = 0; q < Qg; ++q) {
                            CHECK_EQ(assign[row + q], a[i * Qg + q]);
                            if (red == 1) {
                                for (int c = 0; c < C; ++c)
                                    CHECK_EQ(gl[(row + q) * C + c], sgl[((std::size_t)i * Qg + q) * C + c]);
                                for (int k = 0; k < 4; ++k)
                                    CHECK_EQ(gb[(row + q) * 4 + k], sgb[((std::size_t)i * Qg + q) * 4 + k]);
                            }
                        }
                    }
                }
                const double* lt = terms.data() + l * H4J_TERMS_LEN;
                const double nb = red == 1 ? 1.0 : 11.0 * G;  // max(1, 2 + 0 + 9) * G
                CHECK_NEAR(lt[H4J_TERM_NUM_BOXES], 11.0 * G, 0);
                CHECK_NEAR(lt[H4J_TERM_BBOX], sum[1] / nb, 1e-12 * (1 + sum[1]));
                CHECK_NEAR(lt[H4J_TERM_GIOU], sum[2] / nb, 1e-12 * (1 + sum[2]));
                if (focal || red == 1) CHECK_NEAR(lt[H4J_TERM_CE], sum[0] / nb, 1e-12 * (1 + sum[0]));
                CHECK_NEAR(lt[H4J_TERM_TOTAL], lt[0] + 5 * lt[1] + 2 * lt[2], 1e-12 * (1 + lt[3]));
                for (int i = 0; i < B; ++i) CHECK_NEAR(mc[l * B + i], msum[i], 1e-9 * (1 + std::fabs(msum[i])));
            }
        }
    }
}

// The CUDA pipeline's layout (item_layout.h, as cost_blocks_kernel, the auction launch and
// fold_groups_kernel use it), run with the CPU kernels: each layer's section-1 cost blocks at
// layer_cost_base, the L*B*G items' CSR from item_offset, one exact matching of all items, the
// group fold. It must give h4j_cpu_forward_layers' assignments and matching costs; the CPU twin of
// the GPU auction on the same items reaches the same optimal costs; forward_matched (the
// normaliser the GPU knows before matching) counts the matched rows of every layer.
TEST(cuda_item_layout_gives_the_cpu_problems) {
    const int L = 3, B = 3, Q = 12;
    const std::vector<int> Ms = {4, 0, 15};  // M = 0 and M > Q/G
    for (int focal = 0; focal < 2; ++focal) {
        for (int G : {1, 3, 4}) {
            const int C = focal ? 5 : 6, R = Q / G;
            Batch b = make(L, B, Q, C, Ms, focal, 40 + G + focal);
            double cfg[H4J_CFG_LEN];
            config(cfg, focal, G, 0, 0);
            std::vector<int> assign(L * B * Q);
            std::vector<double> mc(L * B), terms(L * H4J_TERMS_LEN);
            CHECK_EQ(h4j_cpu_forward_layers(L, B, Q, C, b.logits.data(), b.boxes.data(), b.offsets.data(),
                                            b.labels.data(), b.tboxes.data(), cfg, assign.data(), mc.data(),
                                            terms.data(), nullptr, nullptr),
                     H4J_OK);
            const int T = b.offsets[B];
            std::vector<float> costs((std::size_t)L * Q * T);
            for (int l = 0; l < L; ++l) {
                const std::size_t rows = (std::size_t)l * B * Q;
                CHECK_EQ(h4j_cpu_cost_blocks(B, Q, C, b.logits.data() + rows * C, b.boxes.data() + rows * 4,
                                             b.offsets.data(), b.labels.data(), b.tboxes.data(), cfg,
                                             costs.data() + h4j::layout::layer_cost_base(l, Q, T)),
                         H4J_OK);
            }
            const int items = L * B * G;
            std::vector<int> offs(items + 1);
            for (int i = 0; i <= items; ++i) offs[i] = (int)h4j::layout::item_offset(i, B, G, b.offsets.data());
            CHECK_EQ(offs[items], L * G * T);
            for (int i = 0; i < items; ++i) {
                const int img = h4j::layout::row_image((long long)i * R, B, Q);
                CHECK_EQ(img, (i / G) % B);
                CHECK_EQ(offs[i + 1] - offs[i], Ms[img]);
            }
            std::vector<int> a_items(items * R, -9), a_auc(items * R, -9);
            std::vector<double> mc_items(items), mc_auc(items);
            std::vector<int> stats((std::size_t)items * H4J_AUCTION_STATS_LEN);
            CHECK_EQ(h4j_cpu_match_exact(items, R, offs.data(), costs.data(), a_items.data(), mc_items.data()),
                     H4J_OK);
            CHECK_EQ(h4j_cpu_match_auction(items, R, offs.data(), costs.data(), a_auc.data(), mc_auc.data(),
                                           stats.data()),
                     H4J_OK);
            CHECK(a_items == assign);
            for (int k = 0; k < L * B; ++k) {
                CHECK_NEAR(h4j::layout::fold_groups(mc_items.data(), k, G), mc[k], 1e-12 * (1 + std::fabs(mc[k])));
                CHECK_NEAR(h4j::layout::fold_groups(mc_auc.data(), k, G), mc[k], 1e-5 * (1 + std::fabs(mc[k])));
            }
            for (int l = 0; l < L; ++l) {
                long long matched = 0, want = 0;
                for (int r = 0; r < B * Q; ++r) matched += assign[(std::size_t)l * B * Q + r] >= 0;
                for (int i = 0; i < B; ++i) want += h4j::layout::forward_matched(Ms[i], R, G);
                CHECK_EQ(matched, want);
            }
            // row -> (layer, image) of the cost and loss kernels
            for (long long row = 0; row < (long long)L * B * Q; row += 5) {
                CHECK_EQ(h4j::layout::row_layer(row, B, Q), (int)(row / (B * Q)));
                CHECK_EQ(h4j::layout::row_image(row, B, Q), (int)(row / Q % B));
            }
        }
    }
}

// d total / d inputs of h4j_cpu_loss with groups, an external num_boxes and both loss classes,
// against central differences of the double terms (h = 2^-10 keeps perturbed inputs exact).
TEST(grouped_focal_and_num_boxes_gradients_match_finite_differences) {
    for (int focal = 0; focal < 2; ++focal) {
        const int C = focal ? 4 : 5, B = 2, Q = 6, G = 2;
        Batch b = make(1, B, Q, C, {2, 4}, focal, 15 + focal);
        // per group of 3 queries: image 0 has 2 targets, image 1 has 4 (> 3: every query matched)
        std::vector<int> assign = {1, -1, 0, 0, 1, -1, /* image 1 */ 3, 0, 2, 1, 2, 0};
        for (int red = 0; red < 2; ++red) {
            double cfg[H4J_CFG_LEN];
            config(cfg, focal, G, 7.5, red);
            cfg[H4J_CFG_EOS_COEF] = 0.3;
            if (focal) cfg[H4J_CFG_FOCAL_GAMMA] = 1.5;
            auto total = [&](const Batch& x) {
                double t[H4J_TERMS_LEN];
                CHECK_EQ(h4j_cpu_loss(B, Q, C, x.logits.data(), x.boxes.data(), x.offsets.data(), x.labels.data(),
                                      x.tboxes.data(), cfg, assign.data(), t, nullptr, nullptr),
                         H4J_OK);
                return t[H4J_TERM_TOTAL];
            };
            std::vector<float> gl(b.logits.size()), gb(b.boxes.size());
            double t[H4J_TERMS_LEN];
            CHECK_EQ(h4j_cpu_loss(B, Q, C, b.logits.data(), b.boxes.data(), b.offsets.data(), b.labels.data(),
                                  b.tboxes.data(), cfg, assign.data(), t, gl.data(), gb.data()),
                     H4J_OK);
            CHECK_NEAR(t[H4J_TERM_NUM_BOXES], 7.5 * G, 0);
            const float h = 1.0f / 1024;
            for (std::size_t i = 0; i < b.logits.size(); ++i) {
                Batch p = b, m = b;
                p.logits[i] += h;
                m.logits[i] -= h;
                const double fd = (total(p) - total(m)) / (2.0 * h);
                CHECK_MSG(std::fabs(fd - gl[i]) <= 1e-5 + 1e-3 * std::fabs(fd), "focal %d logit %zu: %.9g vs fd %.9g",
                          focal, i, (double)gl[i], fd);
            }
            for (std::size_t i = 0; i < b.boxes.size(); ++i) {
                Batch p = b, m = b;
                p.boxes[i] += h;
                m.boxes[i] -= h;
                const double fd = (total(p) - total(m)) / (2.0 * h);
                CHECK_MSG(std::fabs(fd - gb[i]) <= 1e-4 + 1e-3 * std::fabs(fd), "focal %d box %zu: %.9g vs fd %.9g",
                          focal, i, (double)gb[i], fd);
            }
        }
        // a target twice in one group is not a matching; once per group is
        std::vector<int> twice = assign;
        twice[1] = 1;
        double cfg[H4J_CFG_LEN];
        config(cfg, focal, G, 0, 0);
        double t[H4J_TERMS_LEN];
        CHECK_EQ(h4j_cpu_loss(B, Q, C, b.logits.data(), b.boxes.data(), b.offsets.data(), b.labels.data(),
                              b.tboxes.data(), cfg, twice.data(), t, nullptr, nullptr),
                 H4J_ERR_INVALID_ARG);
        CHECK_MSG(std::string(h4j_last_error()).find("assign[0][1]") == 0, "got '%s'", h4j_last_error());
    }
}

TEST(focal_logits_of_80_give_finite_loss_and_gradients) {
    const int B = 1, Q = 4, C = 3;
    Batch b = make(1, B, Q, C, {2}, true, 3);
    const float extreme[] = {80, -80, 80, -80, 80, 80, -80, -80, 0, 80, -80, 35};
    for (int i = 0; i < Q * C; ++i) b.logits[i] = extreme[i];
    double cfg[H4J_CFG_LEN];
    config(cfg, true, 1, 0, 0);
    std::vector<int> a(Q);
    std::vector<float> gl(Q * C), gb(Q * 4);
    double t[H4J_TERMS_LEN];
    CHECK_EQ(h4j_cpu_forward(B, Q, C, b.logits.data(), b.boxes.data(), b.offsets.data(), b.labels.data(),
                             b.tboxes.data(), cfg, a.data(), nullptr, t, gl.data(), gb.data()),
             H4J_OK);
    for (double x : t) CHECK(std::isfinite(x));
    for (float x : gl) CHECK(std::isfinite(x));
    CHECK(t[H4J_TERM_CE] > 0);
}

TEST(layered_call_checks_its_arguments) {
    const int L = 3, B = 2, Q = 4, C = 4;
    Batch b = make(L, B, Q, C, {1, 2}, false, 9);
    std::vector<int> a(L * B * Q);
    std::vector<double> t(L * H4J_TERMS_LEN);
    auto run = [&](int l, const Batch& x, const double* cfg) {
        return h4j_cpu_forward_layers(l, B, Q, C, x.logits.data(), x.boxes.data(), x.offsets.data(), x.labels.data(),
                                      x.tboxes.data(), cfg, a.data(), nullptr, t.data(), nullptr, nullptr);
    };
    CHECK_EQ(run(L, b, nullptr), H4J_OK);
    CHECK_EQ(run(0, b, nullptr), H4J_ERR_INVALID_ARG);
    CHECK_MSG(std::string(h4j_last_error()) == "L is 0; must be >= 1", "got '%s'", h4j_last_error());
    Batch x = b;
    x.boxes[((2 * B + 1) * Q + 3) * 4 + 2] = -0.5f;  // layer 2, image 1, query 3, width
    CHECK_EQ(run(L, x, nullptr), H4J_ERR_INVALID_ARG);
    CHECK_MSG(std::string(h4j_last_error()) == "layer 2: pred_boxes[1][3][2] is -0.5; width must be >= 0", "got '%s'",
              h4j_last_error());
    x = b;
    x.logits[(1 * B * Q + 2) * C + 1] = NAN;  // layer 1, image 0, query 2
    CHECK_EQ(run(L, x, nullptr), H4J_ERR_NON_FINITE);
    CHECK_MSG(std::string(h4j_last_error()) == "layer 1: pred_logits[0][2][1] is nan; must be finite", "got '%s'",
              h4j_last_error());
    // focal takes K = C logits: label C - 1 is then a real class; C = 1 is enough
    double cfg[H4J_CFG_LEN];
    config(cfg, true, 1, 0, 0);
    x = b;
    x.labels[0] = C - 1;
    CHECK_EQ(run(L, x, cfg), H4J_OK);
    CHECK_EQ(run(L, x, nullptr), H4J_ERR_INVALID_ARG);  // the no-object index is not a label
}

// Big enough that the aux layers' checks run on the pool (validate_aux_layers): two faults in one
// layer, in the order the serial checks meet them last, still name the one they meet first, on
// both entry points.
TEST(layered_call_names_the_first_bad_aux_element_when_checked_on_the_pool) {
    const int L = 4, B = 16, Q = 100, C = 92;
    Batch b = make(L, B, Q, C, std::vector<int>(B, 10), false, 11);
    std::vector<int> a(L * B * Q);
    std::vector<double> t(L * H4J_TERMS_LEN);
    const std::size_t nl = (std::size_t)B * Q * C, nb = (std::size_t)B * Q * 4;
    auto contiguous = [&](const Batch& x) {
        return h4j_cpu_forward_layers(L, B, Q, C, x.logits.data(), x.boxes.data(), x.offsets.data(),
                                      x.labels.data(), x.tboxes.data(), nullptr, a.data(), nullptr, t.data(),
                                      nullptr, nullptr);
    };
    auto per_layer = [&](const Batch& x) {
        std::vector<const float*> lp(L), bp(L);
        for (int l = 0; l < L; ++l) lp[l] = x.logits.data() + l * nl, bp[l] = x.boxes.data() + l * nb;
        return h4j_cpu_forward_layers_v(L, B, Q, C, lp.data(), bp.data(), x.offsets.data(), x.labels.data(),
                                        x.tboxes.data(), nullptr, a.data(), nullptr, t.data(), nullptr, nullptr);
    };
    CHECK_EQ(contiguous(b), H4J_OK);
    CHECK_EQ(per_layer(b), H4J_OK);
    Batch x = b;
    x.boxes[2 * nb + (0 * Q + 5) * 4 + 3] = -1.0f;         // layer 2, image 0, query 5, height
    x.logits[2 * nl + ((15 * Q + 99) * C) + 7] = INFINITY;  // layer 2, image 15, query 99: logits come first
    x.logits[3 * nl + 3] = NAN;                             // layer 3: a later layer
    const char* want = "layer 2: pred_logits[15][99][7] is inf; must be finite";
    CHECK_EQ(contiguous(x), H4J_ERR_NON_FINITE);
    CHECK_MSG(std::string(h4j_last_error()) == want, "got '%s'", h4j_last_error());
    CHECK_EQ(per_layer(x), H4J_ERR_NON_FINITE);
    CHECK_MSG(std::string(h4j_last_error()) == want, "got '%s'", h4j_last_error());
    x.logits[2 * nl + ((15 * Q + 99) * C) + 7] = 0.5f;
    const char* height = "layer 2: pred_boxes[0][5][3] is -1; height must be >= 0";
    CHECK_EQ(contiguous(x), H4J_ERR_INVALID_ARG);
    CHECK_MSG(std::string(h4j_last_error()) == height, "got '%s'", h4j_last_error());
    CHECK_EQ(per_layer(x), H4J_ERR_INVALID_ARG);
    CHECK_MSG(std::string(h4j_last_error()) == height, "got '%s'", h4j_last_error());
}

// The io entry's side of a call: every layer in arrays of its own, read and written only through
// the callbacks, which count each row they store and can be told to fail at one slice.
struct LayerArrays {
    int C = 0;
    std::vector<std::vector<float>> logits, boxes, grad_logits, grad_boxes;
    std::mutex mu;
    std::vector<int> stored;  // per (layer, row): how often its gradients were stored
    std::atomic<int> loads{0};
    int fail_load = -1, fail_store = -1;  // a layer * 1000000 + row to fail at, or -1

    LayerArrays(const Batch& b, int L) : C(b.C) {
        const std::size_t nl = (std::size_t)b.B * b.Q * b.C, nb = (std::size_t)b.B * b.Q * 4;
        for (int l = 0; l < L; ++l) {
            logits.emplace_back(b.logits.begin() + l * nl, b.logits.begin() + (l + 1) * nl);
            boxes.emplace_back(b.boxes.begin() + l * nb, b.boxes.begin() + (l + 1) * nb);
            grad_logits.emplace_back(nl, NAN);
            grad_boxes.emplace_back(nb, NAN);
        }
        stored.assign((std::size_t)L * b.B * b.Q, 0);
    }
    static int load(void* ctx, int l, int row, int rows, float* ld, float* bd) {
        auto* a = static_cast<LayerArrays*>(ctx);
        if (l * 1000000 + row == a->fail_load) return H4J_ERR_INTERNAL;
        std::memcpy(ld, a->logits[l].data() + (std::size_t)row * a->C, sizeof(float) * rows * a->C);
        std::memcpy(bd, a->boxes[l].data() + (std::size_t)row * 4, sizeof(float) * rows * 4);
        a->loads.fetch_add(1);
        return H4J_OK;
    }
    static int store(void* ctx, int l, int row, int rows, const float* gl, const float* gb) {
        auto* a = static_cast<LayerArrays*>(ctx);
        if (l * 1000000 + row == a->fail_store) return H4J_ERR_INVALID_ARG;
        std::memcpy(a->grad_logits[l].data() + (std::size_t)row * a->C, gl, sizeof(float) * rows * a->C);
        std::memcpy(a->grad_boxes[l].data() + (std::size_t)row * 4, gb, sizeof(float) * rows * 4);
        std::lock_guard<std::mutex> lk(a->mu);
        const std::size_t per_layer = a->stored.size() / a->logits.size();
        for (int r = 0; r < rows; ++r) ++a->stored[(std::size_t)l * per_layer + row + r];
        return H4J_OK;
    }
};

// The softmax checks the logits as it reads them, without a pass of its own: a NaN, +inf or -inf
// logit is named exactly whether image_cost meets it (an image with targets) or image_loss does
// (an image without), for both class costs, with and without gradients, through the one-layer
// call, both L-layer calls and the io entry; the focal loss, whose logits are checked before the
// item is solved, likewise. Logits of +-3e38 are finite and pass.
TEST(every_kind_of_bad_logit_is_named_wherever_an_item_meets_it) {
    const int L = 3, B = 3, Q = 5, C = 6;
    const std::vector<int> Ms = {2, 0, 3};
    const std::size_t nl = (std::size_t)B * Q * C, nb = (std::size_t)B * Q * 4;
    std::vector<int> a(L * B * Q);
    std::vector<double> t(L * H4J_TERMS_LEN);
    std::vector<float> gl(L * nl), gb(L * nb);
    int checked = 0;
    for (bool focal : {false, true}) {
        const Batch b = make(L, B, Q, C, Ms, focal, 21);
        for (int cost : focal ? std::vector<int>{H4J_CLASS_COST_FOCAL}
                              : std::vector<int>{H4J_CLASS_COST_PROB, H4J_CLASS_COST_LOG_PROB}) {
            double cfg[H4J_CFG_LEN];
            config(cfg, focal, 1, 0, 0);
            cfg[H4J_CFG_CLASS_COST] = cost;
            for (bool grads : {false, true}) {
                float* g = grads ? gl.data() : nullptr;
                float* h = grads ? gb.data() : nullptr;
                auto calls = [&](const Batch& x, int layers, auto&& expect) {
                    std::vector<const float*> lp(layers), bp(layers);
                    std::vector<float*> glp(layers), gbp(layers);
                    for (int l = 0; l < layers; ++l) {
                        lp[l] = x.logits.data() + l * nl, bp[l] = x.boxes.data() + l * nb;
                        glp[l] = gl.data() + l * nl, gbp[l] = gb.data() + l * nb;
                    }
                    expect(h4j_cpu_forward_layers(layers, B, Q, C, x.logits.data(), x.boxes.data(),
                                                  x.offsets.data(), x.labels.data(), x.tboxes.data(), cfg,
                                                  a.data(), nullptr, t.data(), g, h),
                           "contiguous");
                    expect(h4j_cpu_forward_layers_v(layers, B, Q, C, lp.data(), bp.data(), x.offsets.data(),
                                                    x.labels.data(), x.tboxes.data(), cfg, a.data(), nullptr,
                                                    t.data(), grads ? glp.data() : nullptr,
                                                    grads ? gbp.data() : nullptr),
                           "per-layer");
                    LayerArrays arrays(x, layers);
                    const h4j_layer_io io{&arrays, &LayerArrays::load, &LayerArrays::store};
                    expect(h4j_cpu_forward_layers_io(layers, B, Q, C, &io, x.offsets.data(), x.labels.data(),
                                                     x.tboxes.data(), cfg, a.data(), nullptr, t.data(),
                                                     grads ? 1 : 0),
                           "io");
                };
                for (float v : {NAN, INFINITY, -INFINITY})
                    for (int image : {0, 1})  // with targets, without
                        for (int layer : {0, 2}) {
                            Batch x = b;
                            x.logits[((std::size_t)(layer * B + image) * Q + 3) * C + 4] = v;
                            const std::string want = std::string(layer ? "layer 2: " : "") + "pred_logits[" +
                                                     std::to_string(image) + "][3][4] is " +
                                                     (v != v ? "nan" : v > 0 ? "inf" : "-inf") +
                                                     "; must be finite";
                            auto expect = [&](int rc, const char* call) {
                                CHECK_MSG(rc == H4J_ERR_NON_FINITE && want == h4j_last_error(),
                                          "%s, focal %d, cost %d, grads %d: rc %d, '%s' (want '%s')", call,
                                          focal, cost, grads, rc, h4j_last_error(), want.c_str());
                                ++checked;
                            };
                            for (int layers : layer == 0 ? std::vector<int>{1, L} : std::vector<int>{L})
                                calls(x, layers, expect);
                        }
                if (!focal) {  // the largest finite logits are no fault
                    Batch x = b;
                    x.logits[(std::size_t)(1 * Q + 2) * C + 1] = 3.0e38f;
                    x.logits[(std::size_t)(0 * Q + 4) * C + 5] = -3.0e38f;
                    x.logits[((std::size_t)(2 * B + 1) * Q + 0) * C + 0] = -3.0e38f;
                    if (cost == H4J_CLASS_COST_PROB)
                        calls(x, L, [&](int rc, const char* call) {
                            CHECK_MSG(rc == H4J_OK, "%s, grads %d: rc %d, '%s'", call, grads, rc,
                                      h4j_last_error());
                        });
                }
            }
        }
    }
    // 6 (loss, class cost, gradients) x 3 values x 2 images x 3 (layer, call) x 3 entry points
    CHECK_EQ(checked, 6 * 3 * 2 * 3 * 3);
}

// Big enough for the pool (L*B items), grouped, with images without targets: the io entry gives
// bit for bit what the contiguous call gives, loads each (layer, image) once and stores each row's
// gradients once; L = 1 gives h4j_cpu_forward's results.
TEST(io_entry_equals_the_contiguous_call) {
    for (int L : {4, 1}) {
        const int B = 16, Q = 100, C = 92;
        std::vector<int> Ms(B, 10);
        Ms[3] = 0;
        Ms[9] = 60;
        const Batch b = make(L, B, Q, C, Ms, false, 21);
        double cfg[H4J_CFG_LEN];
        config(cfg, false, L == 1 ? 1 : 2, 0, 0);
        const std::size_t rows = (std::size_t)L * B * Q;
        std::vector<int> a0(rows), a1(rows);
        std::vector<double> c0(L * B), c1(L * B), t0(L * H4J_TERMS_LEN), t1(L * H4J_TERMS_LEN);
        std::vector<float> gl0(rows * C), gb0(rows * 4);
        CHECK_EQ(h4j_cpu_forward_layers(L, B, Q, C, b.logits.data(), b.boxes.data(), b.offsets.data(),
                                        b.labels.data(), b.tboxes.data(), cfg, a0.data(), c0.data(),
                                        t0.data(), gl0.data(), gb0.data()),
                 H4J_OK);
        LayerArrays io_arrays(b, L);
        h4j_layer_io io{&io_arrays, &LayerArrays::load, &LayerArrays::store};
        CHECK_EQ(h4j_cpu_forward_layers_io(L, B, Q, C, &io, b.offsets.data(), b.labels.data(),
                                           b.tboxes.data(), cfg, a1.data(), c1.data(), t1.data(), 1),
                 H4J_OK);
        CHECK(a0 == a1);
        CHECK(std::memcmp(c0.data(), c1.data(), sizeof(double) * c0.size()) == 0);
        CHECK(std::memcmp(t0.data(), t1.data(), sizeof(double) * t0.size()) == 0);
        const std::size_t nl = (std::size_t)B * Q * C, nb = (std::size_t)B * Q * 4;
        for (int l = 0; l < L; ++l) {
            CHECK(std::memcmp(gl0.data() + l * nl, io_arrays.grad_logits[l].data(), sizeof(float) * nl) == 0);
            CHECK(std::memcmp(gb0.data() + l * nb, io_arrays.grad_boxes[l].data(), sizeof(float) * nb) == 0);
        }
        CHECK_EQ(io_arrays.loads.load(), L * B * (L == 1 ? 1 : 2));  // one per (layer, image, group)
        int once = 0;
        for (int n : io_arrays.stored) once += n == 1;
        CHECK_EQ(once, (int)rows);
        if (L == 1) {
            std::vector<int> a2(rows);
            std::vector<double> c2(B), t2(H4J_TERMS_LEN);
            CHECK_EQ(h4j_cpu_forward(B, Q, C, b.logits.data(), b.boxes.data(), b.offsets.data(),
                                     b.labels.data(), b.tboxes.data(), cfg, a2.data(), c2.data(),
                                     t2.data(), nullptr, nullptr),
                     H4J_OK);
            CHECK(a2 == a1);
            CHECK(std::memcmp(t2.data(), t1.data(), sizeof(double) * t2.size()) == 0);
        }
        // without gradients: no store needed, the same matching and terms
        io.store = nullptr;
        std::vector<int> a3(rows);
        std::vector<double> t3(L * H4J_TERMS_LEN);
        CHECK_EQ(h4j_cpu_forward_layers_io(L, B, Q, C, &io, b.offsets.data(), b.labels.data(),
                                           b.tboxes.data(), cfg, a3.data(), nullptr, t3.data(), 0),
                 H4J_OK);
        CHECK(a3 == a0);
        CHECK(std::memcmp(t3.data(), t0.data(), sizeof(double) * t3.size()) == 0);
    }
}

// Bad values are named as the contiguous call names them (each item checks the rows it loaded);
// a failed load or store is its status, naming the layer and image; bad arguments are named.
TEST(io_entry_names_bad_values_failed_copies_and_bad_arguments) {
    const int L = 4, B = 16, Q = 100, C = 92;
    const Batch b = make(L, B, Q, C, std::vector<int>(B, 10), false, 11);
    const std::size_t rows = (std::size_t)L * B * Q;
    std::vector<int> a(rows);
    std::vector<double> t(L * H4J_TERMS_LEN);
    auto run = [&](LayerArrays& arrays, h4j_layer_io* io, bool grads) {
        io->ctx = &arrays;
        return h4j_cpu_forward_layers_io(L, B, Q, C, io, b.offsets.data(), b.labels.data(),
                                         b.tboxes.data(), nullptr, a.data(), nullptr, t.data(), grads);
    };
    auto expect = [&](int got, int rc, const std::string& msg) {
        CHECK_EQ(got, rc);
        CHECK_MSG(std::string(h4j_last_error()) == msg, "got '%s', want '%s'", h4j_last_error(), msg.c_str());
    };
    h4j_layer_io io{nullptr, &LayerArrays::load, &LayerArrays::store};
    {
        LayerArrays x(b, L);
        x.logits[2][((15 * Q + 99) * C) + 7] = INFINITY;
        x.logits[3][3] = NAN;
        expect(run(x, &io, true), H4J_ERR_NON_FINITE, "layer 2: pred_logits[15][99][7] is inf; must be finite");
        x.logits[0][(2 * Q + 1) * C] = NAN;
        expect(run(x, &io, true), H4J_ERR_NON_FINITE, "pred_logits[2][1][0] is nan; must be finite");
    }
    {
        LayerArrays x(b, L);
        x.boxes[1][(4 * Q + 8) * 4 + 2] = -0.25f;
        expect(run(x, &io, false), H4J_ERR_INVALID_ARG, "layer 1: pred_boxes[4][8][2] is -0.25; width must be >= 0");
    }
    {
        LayerArrays x(b, L);
        x.fail_load = 3 * 1000000 + 5 * Q;
        expect(run(x, &io, true), H4J_ERR_INTERNAL,
               "h4j_cpu_forward_layers_io: io->load failed (internal error) for layer 3, image 5");
    }
    {
        LayerArrays x(b, L);
        x.fail_store = 1 * 1000000 + 7 * Q;
        expect(run(x, &io, true), H4J_ERR_INVALID_ARG,
               "h4j_cpu_forward_layers_io: io->store failed (invalid argument) for layer 1, image 7");
        CHECK_EQ(run(x, &io, false), H4J_OK);  // no gradients: nothing stored, nothing fails
    }
    LayerArrays x(b, L);
    expect(h4j_cpu_forward_layers_io(L, B, Q, C, nullptr, b.offsets.data(), b.labels.data(), b.tboxes.data(),
                                     nullptr, a.data(), nullptr, t.data(), 0),
           H4J_ERR_INVALID_ARG, "io is NULL");
    h4j_layer_io no_load{&x, nullptr, &LayerArrays::store};
    expect(run(x, &no_load, false), H4J_ERR_INVALID_ARG, "io->load is NULL");
    h4j_layer_io no_store{&x, &LayerArrays::load, nullptr};
    expect(run(x, &no_store, true), H4J_ERR_INVALID_ARG, "io->store is NULL; the gradients need it");
    io.ctx = &x;
    expect(h4j_cpu_forward_layers_io(0, B, Q, C, &io, b.offsets.data(), b.labels.data(), b.tboxes.data(), nullptr,
                                     a.data(), nullptr, t.data(), 1),
           H4J_ERR_INVALID_ARG, "L is 0; must be >= 1");
}

H4J_TEST_MAIN

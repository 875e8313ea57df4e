// hungarian4j — exact matcher tests: brute force on every shape up to 7x7, scipy-identical
// indices on tied matrices, degenerate shapes, bad costs.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <numeric>
#include <random>
#include <vector>

#include "harness.h"
#include "hungarian4j/hungarian4j.h"

namespace {

// Minimum over all matchings of size min(Q, M) of the double sum of the float costs.
double brute_force(int Q, int M, const std::vector<float>& c) {
    if (M == 0) return 0.0;
    double best = std::numeric_limits<double>::infinity();
    if (Q <= M) {
        // choose an ordered M-subset for the Q rows: permute columns, take the first Q
        std::vector<int> cols(M);
        std::iota(cols.begin(), cols.end(), 0);
        do {
            double s = 0;
            for (int q = 0; q < Q; ++q) s += c[(size_t)q * M + cols[q]];
            best = std::min(best, s);
        } while (std::next_permutation(cols.begin(), cols.end()));
    } else {
        std::vector<int> rows(Q);
        std::iota(rows.begin(), rows.end(), 0);
        do {
            double s = 0;
            for (int j = 0; j < M; ++j) s += c[(size_t)rows[j] * M + j];
            best = std::min(best, s);
        } while (std::next_permutation(rows.begin(), rows.end()));
    }
    return best;
}

// Checks feasibility (size min(Q,M), injective, in range); returns the matching's cost.
double check_matching(int Q, int M, const std::vector<float>& c, const int* a, bool* ok) {
    *ok = true;
    std::vector<int> used(M, 0);
    int n = 0;
    double s = 0;
    for (int q = 0; q < Q; ++q) {
        if (a[q] == -1) continue;
        if (a[q] < 0 || a[q] >= M || used[a[q]]) {
            *ok = false;
            return 0;
        }
        used[a[q]] = 1;
        ++n;
        s += c[(size_t)q * M + a[q]];
    }
    if (n != std::min(Q, M)) *ok = false;
    return s;
}

int match_one(int Q, int M, const std::vector<float>& c, std::vector<int>* a, double* mc) {
    int offsets[2] = {0, M};
    a->assign(Q, -7);
    return h4j_cpu_match_exact(1, Q, offsets, c.data(), a->data(), mc);
}

}  // namespace

TEST(brute_force_all_shapes_up_to_7x7) {
    std::mt19937 rng(12345);
    std::uniform_real_distribution<float> U(-3.0f, 3.0f);
    std::uniform_int_distribution<int> I(0, 2);
    int problems = 0;
    for (int Q = 1; Q <= 7; ++Q) {
        for (int M = 0; M <= 7; ++M) {
            for (int trial = 0; trial < 12; ++trial) {
                std::vector<float> c((size_t)Q * M);
                for (auto& x : c) x = trial % 3 == 2 ? (float)I(rng) : U(rng);  // 1/3 tie-heavy
                std::vector<int> a;
                double mc = -1;
                const int rc = match_one(Q, M, c, &a, &mc);
                CHECK_MSG(rc == H4J_OK, "rc %d (%s) for %dx%d", rc, h4j_last_error(), Q, M);
                bool ok = false;
                const double got = check_matching(Q, M, c, a.data(), &ok);
                CHECK_MSG(ok, "infeasible matching for %dx%d trial %d", Q, M, trial);
                const double best = brute_force(Q, M, c);
                CHECK_MSG(std::fabs(got - best) <= 1e-9 * (1 + std::fabs(best)),
                          "%dx%d trial %d: got %.17g, optimum %.17g", Q, M, trial, got, best);
                CHECK_MSG(mc == got, "%dx%d: matching_cost %.17g vs recomputed %.17g", Q, M, mc, got);
                ++problems;
            }
        }
    }
    CHECK_EQ(problems, 7 * 8 * 12);
}

struct TieCase {
    const char* name;
    int Q, M;
    std::vector<float> cost;
    std::vector<int> scipy_assign;  // scipy.optimize.linear_sum_assignment, as assign[q]
};

// Expected indices from scipy 1.17.1's linear_sum_assignment on the same float64 matrices.
static const std::vector<TieCase> kTies = {
#include "lsap_ties.inc"
};

TEST(scipy_identical_indices_on_ties) {
    CHECK(kTies.size() >= 19);
    for (const TieCase& t : kTies) {
        std::vector<int> a;
        double mc = 0;
        const int rc = match_one(t.Q, t.M, t.cost, &a, &mc);
        CHECK_MSG(rc == H4J_OK, "%s: rc %d", t.name, rc);
        for (int q = 0; q < t.Q; ++q)
            CHECK_MSG(a[q] == t.scipy_assign[q], "%s: assign[%d] = %d, scipy %d", t.name, q, a[q],
                      t.scipy_assign[q]);
    }
}

TEST(all_zero_3x5_gives_first_columns) {
    std::vector<float> c(15, 0.0f);
    std::vector<int> a;
    double mc = 1;
    CHECK_EQ(match_one(3, 5, c, &a, &mc), H4J_OK);
    CHECK_EQ(a[0], 0);
    CHECK_EQ(a[1], 1);
    CHECK_EQ(a[2], 2);
    CHECK_EQ(mc, 0.0);
}

TEST(empty_and_batched) {
    // B = 3 images with M = 0, 2, 5 and Q = 3, in one call
    const int Q = 3;
    int offsets[4] = {0, 0, 2, 7};
    std::vector<float> c((size_t)Q * 7);
    std::mt19937 rng(3);
    std::uniform_real_distribution<float> U(0, 1);
    for (auto& x : c) x = U(rng);
    std::vector<int> a(9, -7);
    double mc[3] = {-1, -1, -1};
    CHECK_EQ(h4j_cpu_match_exact(3, Q, offsets, c.data(), a.data(), mc), H4J_OK);
    for (int q = 0; q < Q; ++q) CHECK_EQ(a[q], -1);
    CHECK_EQ(mc[0], 0.0);
    // each image matches as if alone
    for (int b = 1; b < 3; ++b) {
        const int M = offsets[b + 1] - offsets[b];
        std::vector<float> blk(c.begin() + (size_t)Q * offsets[b], c.begin() + (size_t)Q * offsets[b + 1]);
        std::vector<int> a1;
        double m1 = 0;
        CHECK_EQ(match_one(Q, M, blk, &a1, &m1), H4J_OK);
        for (int q = 0; q < Q; ++q) CHECK_EQ(a[b * Q + q], a1[q]);
        CHECK_EQ(mc[b], m1);
    }
    // all images empty: no cost array needed at all
    int off0[3] = {0, 0, 0};
    std::vector<int> a0(2 * Q, 5);
    CHECK_EQ(h4j_cpu_match_exact(2, Q, off0, nullptr, a0.data(), nullptr), H4J_OK);
    for (int v : a0) CHECK_EQ(v, -1);
}

TEST(large_random_is_optimal_against_dual_certificate) {
    // no brute force possible: check with an independent O(n^3) Hungarian (Jonker-Volgenant
    // style potentials) written here in plain form
    std::mt19937 rng(99);
    std::uniform_real_distribution<float> U(-5, 5);
    const int shapes[][2] = {{100, 5}, {100, 20}, {30, 60}, {64, 64}, {300, 40}};
    for (auto& s : shapes) {
        const int Q = s[0], M = s[1];
        std::vector<float> c((size_t)Q * M);
        for (auto& x : c) x = U(rng);
        std::vector<int> a;
        double mc = 0;
        CHECK_EQ(match_one(Q, M, c, &a, &mc), H4J_OK);
        bool ok = false;
        const double got = check_matching(Q, M, c, a.data(), &ok);
        CHECK(ok);
        // reference: classic Hungarian on the n x m (n <= m) orientation with 1-based arrays
        const bool tr = Q > M;
        const int n = tr ? M : Q, m = tr ? Q : M;
        auto cost = [&](int i, int j) -> double {  // 1-based
            return tr ? c[(size_t)(j - 1) * M + (i - 1)] : c[(size_t)(i - 1) * M + (j - 1)];
        };
        const double INF = std::numeric_limits<double>::infinity();
        std::vector<double> u(n + 1), v(m + 1);
        std::vector<int> p(m + 1), way(m + 1);
        for (int i = 1; i <= n; ++i) {
            p[0] = i;
            int j0 = 0;
            std::vector<double> minv(m + 1, INF);
            std::vector<char> used(m + 1, 0);
            do {
                used[j0] = 1;
                int i0 = p[j0], j1 = 0;
                double delta = INF;
                for (int j = 1; j <= m; ++j)
                    if (!used[j]) {
                        double cur = cost(i0, j) - u[i0] - v[j];
                        if (cur < minv[j]) minv[j] = cur, way[j] = j0;
                        if (minv[j] < delta) delta = minv[j], j1 = j;
                    }
                for (int j = 0; j <= m; ++j)
                    if (used[j]) u[p[j]] += delta, v[j] -= delta;
                    else minv[j] -= delta;
                j0 = j1;
            } while (p[j0] != 0);
            do {
                int j1 = way[j0];
                p[j0] = p[j1];
                j0 = j1;
            } while (j0);
        }
        double ref = 0;
        for (int j = 1; j <= m; ++j)
            if (p[j]) ref += cost(p[j], j);
        CHECK_MSG(std::fabs(got - ref) <= 1e-9 * (1 + std::fabs(ref)), "%dx%d: %.17g vs %.17g", Q,
                  M, got, ref);
        CHECK_EQ(mc, got);
    }
}

TEST(bad_costs_and_arguments) {
    std::vector<float> c = {0, 1, 2, 3, std::numeric_limits<float>::quiet_NaN(), 5};
    std::vector<int> a;
    double mc = 0;
    CHECK_EQ(match_one(2, 3, c, &a, &mc), H4J_ERR_NON_FINITE);
    CHECK_MSG(std::string(h4j_last_error()) == "costs[0][1][1] is nan; must be finite", "got '%s'",
              h4j_last_error());
    c[4] = std::numeric_limits<float>::infinity();
    CHECK_EQ(match_one(2, 3, c, &a, &mc), H4J_ERR_NON_FINITE);
    int bad_off[2] = {1, 3};
    std::vector<int> out(2);
    CHECK_EQ(h4j_cpu_match_exact(1, 2, bad_off, c.data(), out.data(), nullptr), H4J_ERR_INVALID_ARG);
    CHECK_MSG(std::string(h4j_last_error()) == "offsets[0] is 1; must be 0", "got '%s'", h4j_last_error());
    int dec_off[3] = {0, 3, 2};
    CHECK_EQ(h4j_cpu_match_exact(2, 2, dec_off, c.data(), out.data(), nullptr), H4J_ERR_INVALID_ARG);
    int off[2] = {0, 3};
    CHECK_EQ(h4j_cpu_match_exact(1, 2, off, c.data(), nullptr, nullptr), H4J_ERR_INVALID_ARG);
    CHECK_EQ(h4j_cpu_match_exact(1, 0, off, c.data(), out.data(), nullptr), H4J_ERR_INVALID_ARG);
    CHECK_EQ(h4j_cpu_match_exact(0, 2, off, c.data(), out.data(), nullptr), H4J_ERR_INVALID_ARG);
    CHECK_EQ(h4j_cpu_match_exact(1, 2, nullptr, c.data(), out.data(), nullptr), H4J_ERR_INVALID_ARG);
    CHECK_EQ(h4j_cpu_match_exact(1, 2, off, nullptr, out.data(), nullptr), H4J_ERR_INVALID_ARG);
    // a later good call clears the error
    c[4] = 4;
    CHECK_EQ(match_one(2, 3, c, &a, &mc), H4J_OK);
    CHECK_MSG(h4j_last_error()[0] == 0, "last error not cleared: %s", h4j_last_error());
}

H4J_TEST_MAIN

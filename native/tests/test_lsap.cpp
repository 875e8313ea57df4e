// hungarian4j — exact matcher tests: brute force on every shape up to 7x7, scipy-identical
// indices on tied matrices, degenerate shapes, bad costs, and a differential test against the
// plain list-scan form of the solver (reference_lsap below) on ~100k random tie-heavy problems.
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


// The matcher as it was before the vectorised scan (bench/README.md, "Exact matcher pass"): the
// straightforward transcription of scipy's rectangular_lsap (list of unscanned columns, scanned
// in list order, path[] stored during the scan). The library must give index-identical results.
void reference_solve(int nr, int nc, const float* cost, std::vector<int>* col4row_out) {
    const double inf = std::numeric_limits<double>::infinity();
    std::vector<double> u(nr, 0.0), v(nc, 0.0), spc(nc);
    std::vector<int> path(nc, -1), col4row(nr, -1), row4col(nc, -1), remaining(nc);
    std::vector<int> vis_rows(nr), vis_cols(nc);
    for (int cur = 0; cur < nr; ++cur) {
        double minVal = 0.0;
        int num_remaining = nc;
        for (int it = 0; it < nc; ++it) {
            remaining[it] = nc - 1 - it;
            spc[it] = inf;
        }
        int nvr = 0, nvc = 0;
        int i = cur;
        int sink = -1;
        while (sink == -1) {
            int index = -1;
            double lowest = inf;
            vis_rows[nvr++] = i;
            const float* crow = cost + (std::size_t)i * nc;
            const double ui = u[i];
            for (int it = 0; it < num_remaining; ++it) {
                const int j = remaining[it];
                const double r = minVal + (double)crow[j] - ui - v[j];
                if (r < spc[j]) {
                    path[j] = i;
                    spc[j] = r;
                }
                if (spc[j] < lowest || (spc[j] == lowest && row4col[j] == -1)) {
                    lowest = spc[j];
                    index = it;
                }
            }
            minVal = lowest;
            if (minVal == inf || index < 0) {
                col4row_out->clear();
                return;
            }
            const int j = remaining[index];
            if (row4col[j] == -1)
                sink = j;
            else
                i = row4col[j];
            vis_cols[nvc++] = j;
            remaining[index] = remaining[--num_remaining];
        }
        u[cur] += minVal;
        for (int k = 1; k < nvr; ++k) {
            const int r = vis_rows[k];
            u[r] += minVal - spc[col4row[r]];
        }
        for (int k = 0; k < nvc; ++k) {
            const int c = vis_cols[k];
            v[c] -= minVal - spc[c];
        }
        int j = sink;
        for (;;) {
            const int r = path[j];
            row4col[j] = r;
            std::swap(col4row[r], j);
            if (r == cur) break;
        }
    }
    *col4row_out = col4row;
}

// assign[q] of the Q x M block c (tall blocks transposed first, as scipy does); false on failure.
bool reference_lsap(int Q, int M, const float* c, std::vector<int>* assign) {
    assign->assign(Q, -1);
    if (M == 0) return true;
    std::vector<int> c4r;
    if (M >= Q) {
        reference_solve(Q, M, c, &c4r);
        if (c4r.empty()) return false;
        for (int q = 0; q < Q; ++q) (*assign)[q] = c4r[q];
    } else {
        std::vector<float> tr((size_t)Q * M);
        for (int q = 0; q < Q; ++q)
            for (int j = 0; j < M; ++j) tr[(size_t)j * Q + q] = c[(size_t)q * M + j];
        reference_solve(M, Q, tr.data(), &c4r);
        if (c4r.empty()) return false;
        for (int j = 0; j < M; ++j) (*assign)[c4r[j]] = j;
    }
    return true;
}

// A random Q x M block of one of several tie-heavy (or not) kinds.
void random_block(std::mt19937& rng, int kind, int Q, int M, std::vector<float>* out) {
    std::vector<float>& c = *out;
    c.assign((size_t)Q * M, 0.0f);
    std::uniform_real_distribution<float> U(-3.0f, 3.0f);
    auto I = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
    const float pool[] = {0.0f, -0.0f, 1.0f, -1.0f, 0.5f, 0.1f, 0.2f, 0.3f, 1e-7f, 3.0f};
    switch (kind) {
        case 0:  // continuous
            for (auto& x : c) x = U(rng);
            break;
        case 1:  // small integers
            for (auto& x : c) x = (float)I(3);
            break;
        case 2:  // binary
            for (auto& x : c) x = (float)I(2);
            break;
        case 3: {  // constant
            const float k = I(2) ? 0.0f : U(rng);
            for (auto& x : c) x = k;
            break;
        }
        case 4: {  // constant rows
            for (int q = 0; q < Q; ++q) {
                const float k = (float)I(3);
                for (int j = 0; j < M; ++j) c[(size_t)q * M + j] = k;
            }
            break;
        }
        case 5: {  // constant columns
            for (int j = 0; j < M; ++j) {
                const float k = I(2) ? (float)I(3) : U(rng);
                for (int q = 0; q < Q; ++q) c[(size_t)q * M + j] = k;
            }
            break;
        }
        case 6: {  // a few distinct rows, duplicated
            const int d = 1 + I(3);
            std::vector<float> rows((size_t)d * M);
            const bool ints = I(2);
            for (auto& x : rows) x = ints ? (float)I(3) : U(rng);
            for (int q = 0; q < Q; ++q) {
                const int r = I(d);
                for (int j = 0; j < M; ++j) c[(size_t)q * M + j] = rows[(size_t)r * M + j];
            }
            break;
        }
        case 7: {  // a few distinct columns, duplicated
            const int d = 1 + I(3);
            std::vector<float> cols((size_t)d * Q);
            for (auto& x : cols) x = (float)I(4);
            for (int j = 0; j < M; ++j) {
                const int r = I(d);
                for (int q = 0; q < Q; ++q) c[(size_t)q * M + j] = cols[(size_t)r * Q + q];
            }
            break;
        }
        case 8:  // a few special values (signed zeros, tiny, fractions)
            for (auto& x : c) x = pool[I(10)];
            break;
        case 9: {  // a_q + b_j: every matching of full size costs the same
            std::vector<float> a(Q), b(M);
            for (auto& x : a) x = (float)I(4);
            for (auto& x : b) x = (float)I(4);
            for (int q = 0; q < Q; ++q)
                for (int j = 0; j < M; ++j) c[(size_t)q * M + j] = a[q] + b[j];
            break;
        }
        case 10: {  // DETR-like: mostly near-constant large costs, a few good pairs, quantized
            for (auto& x : c) x = 8.0f + 0.25f * (float)I(4);
            for (int q = 0; q < Q; ++q)
                if (I(3) == 0 && M > 0) c[(size_t)q * M + I(M)] = -0.5f * (float)I(3);
            break;
        }
        case 11:  // wide range of magnitudes
            for (auto& x : c) x = std::ldexp(U(rng), I(40) - 20);
            break;
        default: {  // sparse cheap entries among a few expensive levels: long tied paths
            const float level[] = {0.0f, 1.0f, 5.0f, 9.0f, 9.0f, 5.0f};
            for (auto& x : c) x = level[I(6)];
            break;
        }
    }
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

TEST(differential_against_reference_solver) {
    // every assignment identical to the plain list-scan solver, on ~100k problems of all shapes,
    // mostly tie-heavy; several images per call so that the per-thread workspace is reused
    // across shapes (and the pool may split the batch)
    std::mt19937 rng(20240917);
    auto I = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    const int kKinds = 13;
    long long problems = 0, mismatches = 0;
    std::vector<long long> per_kind(kKinds, 0);
    while (problems < 100000) {
        int Q;
        const int size_class = I(0, 99);
        if (size_class < 60) Q = I(1, 12);
        else if (size_class < 97) Q = I(1, 40);
        else Q = I(40, 300);
        const int B = I(1, 4);
        std::vector<int> offsets(B + 1, 0);
        std::vector<int> kinds(B);
        std::vector<float> costs;
        for (int b = 0; b < B; ++b) {
            int M;
            if (size_class < 60) M = I(0, 12);
            else if (size_class < 97) M = I(0, 40);
            else M = I(0, Q > 100 ? 60 : 120);
            kinds[b] = I(0, kKinds - 1);
            std::vector<float> blk;
            random_block(rng, kinds[b], Q, M, &blk);
            // image b's block is Q x M, stored row-major after the previous ones
            costs.insert(costs.end(), blk.begin(), blk.end());
            offsets[b + 1] = offsets[b] + M;
        }
        std::vector<int> a((size_t)B * Q, -7);
        std::vector<double> mc(B, -1);
        const int rc = h4j_cpu_match_exact(B, Q, offsets.data(), costs.empty() ? nullptr : costs.data(),
                                           a.data(), mc.data());
        CHECK_MSG(rc == H4J_OK, "rc %d (%s)", rc, h4j_last_error());
        if (rc != H4J_OK) return;
        for (int b = 0; b < B; ++b) {
            const int M = offsets[b + 1] - offsets[b];
            const float* blk = costs.data() + (size_t)Q * offsets[b];
            std::vector<int> ref;
            CHECK(reference_lsap(Q, M, blk, &ref));
            bool same = true;
            for (int q = 0; q < Q; ++q) same = same && a[(size_t)b * Q + q] == ref[q];
            if (!same) {
                ++mismatches;
                CHECK_MSG(false, "%dx%d kind %d (problem %lld): assignment differs from the reference",
                          Q, M, kinds[b], problems);
            }
            ++per_kind[kinds[b]];
            ++problems;
        }
    }
    CHECK_EQ(mismatches, 0LL);
    std::printf("    %lld problems, %lld mismatches; per kind:", problems, mismatches);
    for (long long n : per_kind) std::printf(" %lld", n);
    std::printf("\n");
}

H4J_TEST_MAIN

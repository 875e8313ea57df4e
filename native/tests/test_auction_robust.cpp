// hungarian4j — the shared auction rounds on costs no exact matcher accepts: NaN and ±inf
// (all-NaN logits of a diverged step, one NaN box, finite boxes whose cost overflows float),
// finite costs near FLT_MAX, and the round bodies fed the empty marker directly.
//
// Runs the rounds with both CPU executors (the serial twin and the emulated CUDA block), each
// with a workspace of exactly the planned size in its own allocation, so that an index derived
// from a non-finite value (the bid scan's empty marker, a repair path holding -1) is an
// AddressSanitizer error here, as it would be an illegal address on the GPU; a loop without a
// counted bound is a CTest timeout. .ci/sanitize.sh builds this file with ASan and UBSan.
// Required: a problem with any non-finite cost is refused (outcome kNonFinite, nothing
// matched, cost NaN); finite problems, however extreme, get an optimal matching.
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "auction_emu.h"
#include "hungarian4j/auction_rounds.h"
#include "hungarian4j/hd_math.h"
#include "tally.h"

namespace {


using namespace h4j::auction;

// A DETR batch of one image, costs as the cost kernel computes them (hd_math.h, float).
struct Image {
    int Q, M, C;
    std::vector<float> logits, boxes, tboxes;
    std::vector<int> labels;
};

Image make_image(std::mt19937& r, int Q, int M, int C) {
    std::uniform_real_distribution<float> u(0.f, 1.f), g(-3.f, 3.f);
    Image im{Q, M, C, {}, {}, {}, {}};
    for (int i = 0; i < Q * C; ++i) im.logits.push_back(g(r));
    auto box = [&](std::vector<float>& v) {
        v.push_back(0.2f + 0.6f * u(r)); v.push_back(0.2f + 0.6f * u(r));
        v.push_back(0.05f + 0.3f * u(r)); v.push_back(0.05f + 0.3f * u(r));
    };
    for (int q = 0; q < Q; ++q) box(im.boxes);
    for (int j = 0; j < M; ++j) { box(im.tboxes); im.labels.push_back((int)(u(r) * (C - 1)) % (C - 1)); }
    return im;
}

std::vector<float> costs_of(const Image& im) {
    std::vector<float> c((size_t)im.Q * im.M);
    for (int q = 0; q < im.Q; ++q)
        for (int j = 0; j < im.M; ++j) {
            const float cc = h4j::hd::class_cost_row<float>(&im.logits[(size_t)q * im.C], im.C, im.labels[j], false);
            c[(size_t)q * im.M + j] = h4j::hd::pair_cost<float>(cc, &im.boxes[(size_t)q * 4], &im.tboxes[(size_t)j * 4],
                                                                 1.f, 5.f, 2.f);
        }
    return c;
}

bool any_non_finite(const std::vector<float>& c) {
    for (float v : c)
        if (!std::isfinite(v)) return true;
    return false;
}

// Both executors; a non-finite problem must be refused, a finite one matched completely.
template <class X>
void check_one(const char* exec, const std::string& tag, int Q, int M, const std::vector<float>& c) {
    std::vector<int> a(Q, 12345);
    int st[kStatsLen];
    double cost = 0;
    h4jtest::solve_exact_ws<X>(Q, M, c.data(), a.data(), st, &cost);
    const int n = Q < M ? Q : M;
    if (any_non_finite(c) && n > 0) {
        bool none = true;
        for (int v : a) none = none && v == -1;
        T_CHECK(st[kStOutcome] == kNonFinite, "%s %s: outcome %d, want %d (non-finite)", exec, tag.c_str(),
                st[kStOutcome], (int)kNonFinite);
        T_CHECK(none, "%s %s: a refused problem matched something", exec, tag.c_str());
        T_CHECK(std::isnan(cost), "%s %s: refused problem's cost %g, want NaN", exec, tag.c_str(), cost);
        return;
    }
    std::vector<int> used(M, 0);
    int matched = 0;
    bool ok = true;
    for (int q = 0; q < Q; ++q) {
        if (a[q] == -1) continue;
        ok = ok && a[q] >= 0 && a[q] < M && !used[a[q]];
        if (a[q] >= 0 && a[q] < M) used[a[q]] = 1;
        ++matched;
    }
    T_CHECK(ok && matched == n, "%s %s: not a matching of size %d (%d matched)", exec, tag.c_str(), n, matched);
    T_CHECK(st[kStOutcome] >= kTrivial && st[kStOutcome] <= kCappedRepaired, "%s %s: outcome %d", exec, tag.c_str(),
            st[kStOutcome]);
}

void check_both(const std::string& tag, int Q, int M, const std::vector<float>& c) {
    check_one<h4jtest::SerialExec>("twin", tag, Q, M, c);
    check_one<h4jtest::EmuExec>("block", tag, Q, M, c);
}

// Brute-force optimum for tiny problems (rows = the smaller side), double sums.
double brute(int Q, int M, const std::vector<float>& c) {
    const bool t = M <= Q;
    const int n = t ? M : Q, N = t ? Q : M;
    std::vector<int> used(N, 0);
    double best = INFINITY;
    struct Rec {
        int n, N, Q, M; bool t; const std::vector<float>& c; std::vector<int>& used; double& best;
        void go(int i, double s) {
            if (i == n) { if (s < best) best = s; return; }
            for (int j = 0; j < N; ++j) {
                if (used[j]) continue;
                used[j] = 1;
                go(i + 1, s + (double)(t ? c[(size_t)j * M + i] : c[(size_t)i * M + j]));
                used[j] = 0;
            }
        }
    } rec{n, N, Q, M, t, c, used, best};
    rec.go(0, 0.0);
    return best;
}

void test_detr_inputs() {
    std::mt19937 r(7);
    const int shapes[][2] = {{100, 20}, {20, 20}, {30, 50}, {1, 7}, {9, 1}, {300, 91}, {900, 100}};
    for (const auto& sh : shapes) {
        const int Q = sh[0], M = sh[1];
        const std::string size = std::to_string(Q) + "x" + std::to_string(M);
        // all-NaN logits (a diverged step)
        Image im = make_image(r, Q, M, 92);
        for (float& v : im.logits) v = NAN;
        std::vector<float> c = costs_of(im);
        T_CHECK(any_non_finite(c), "all-NaN logits gave finite costs");
        check_both("all-NaN logits " + size, Q, M, c);
        // one NaN box
        im = make_image(r, Q, M, 92);
        im.boxes[(size_t)(Q / 2) * 4 + 2] = NAN;
        c = costs_of(im);
        T_CHECK(any_non_finite(c), "one NaN box gave finite costs");
        check_both("one NaN box " + size, Q, M, c);
        // finite boxes so large that the cost overflows float
        im = make_image(r, Q, M, 92);
        for (int q = 0; q < Q; q += 3) { im.boxes[(size_t)q * 4] = 3e38f; im.boxes[(size_t)q * 4 + 2] = 3e38f; }
        c = costs_of(im);
        T_CHECK(any_non_finite(c), "overflowing boxes gave finite costs");
        check_both("overflowing boxes " + size, Q, M, c);
        // the same image, finite: matched
        im = make_image(r, Q, M, 92);
        check_both("finite " + size, Q, M, costs_of(im));
    }
}

// Random sizes, random placements of NaN / +inf / -inf (one, a row, a column, everything).
void test_random_non_finite() {
    std::mt19937 r(20261206);
    const float bad[] = {NAN, INFINITY, -INFINITY};
    int refused = 0;
    for (int k = 0; k < 600; ++k) {
        const int Q = 1 + (int)(r() % 40), M = 1 + (int)(r() % 40);
        std::vector<float> c((size_t)Q * M);
        std::uniform_real_distribution<float> u(-2.f, 2.f);
        for (float& v : c) v = u(r);
        const float b = bad[r() % 3];
        switch (k % 4) {
            case 0: c[r() % c.size()] = b; break;
            case 1: { const int q = (int)(r() % Q); for (int j = 0; j < M; ++j) c[(size_t)q * M + j] = b; } break;
            case 2: { const int j = (int)(r() % M); for (int q = 0; q < Q; ++q) c[(size_t)q * M + j] = b; } break;
            default: for (float& v : c) v = b; break;
        }
        check_both("random non-finite #" + std::to_string(k), Q, M, c);
        ++refused;
    }
    T_CHECK(refused == 600, "%d", refused);
}

// Finite but extreme: |c| up to FLT_MAX (the float64 path) and mixed magnitudes; optimal.
void test_extreme_finite() {
    std::mt19937 r(99);
    for (int k = 0; k < 300; ++k) {
        const int Q = 1 + (int)(r() % 6), M = 1 + (int)(r() % 6);
        std::vector<float> c((size_t)Q * M);
        std::uniform_real_distribution<float> u(-1.f, 1.f);
        const float scale = k % 3 == 0 ? FLT_MAX : k % 3 == 1 ? 1e30f : 1e-30f;
        for (float& v : c) v = u(r) * scale;
        if (k % 5 == 0) c[0] = k % 2 ? FLT_MAX : -FLT_MAX;
        const std::string tag = "extreme #" + std::to_string(k);
        check_both(tag, Q, M, c);
        std::vector<int> a(Q);
        int st[kStatsLen];
        double cost = 0;
        h4jtest::solve_exact_ws<h4jtest::SerialExec>(Q, M, c.data(), a.data(), st, &cost);
        const double opt = brute(Q, M, c);
        const double tol = 1e-12 * std::fabs(opt) + 1e-300;
        T_CHECK(std::fabs(cost - opt) <= tol || cost == opt, "%s: cost %.17g, optimum %.17g", tag.c_str(), cost, opt);
    }
}

// The round bodies fed the scan identities (what a row with no finite value produces).
void test_round_bodies_on_empty_marker() {
    const int n = 3, N = 5;
    std::vector<unsigned char> ws(workspace_bytes(n, N), 0);
    std::vector<float> c((size_t)n * N, NAN);
    State s;
    std::memset(&s, 0, sizeof s);
    carve(s, ws.data(), n, N);
    s.K.c = c.data(); s.K.si = N; s.K.sj = 1;
    s.KO = s.K;
    for (int j = 0; j < N; ++j) { s.slot[j] = 0; s.price[j] = 0.f; s.owner[j] = -1; }
    for (int i = 0; i < n; ++i) { s.pslot[i] = ~0ull; s.asg[i] = -1; s.g[i] = 0.f; }
    // a NaN row: the bid scan finds nothing below +inf
    const BidP p = bid_scan(s, 1, 0, 1);
    T_CHECK(p.r1 == 0x7fffffff, "NaN row: scan marker %d", p.r1);
    bid_place(s, 1, p, 0.1f);
    bool no_bid = true;
    for (int j = 0; j < N; ++j) no_bid = no_bid && s.slot[j] == 0;
    T_CHECK(no_bid, "a bid was placed from the empty marker");
    const BidP rp = rev_scan(s, 2, 0, 1);
    rev_offer(s, 2, rp, 0.f, 0.1f);
    bool no_offer = true;
    for (int i = 0; i < n; ++i) no_offer = no_offer && s.pslot[i] == ~0ull;
    T_CHECK(no_offer, "an offer was made from the empty marker");
    for (int i = 0; i < n; ++i) s.asg[i] = -1;
    T_CHECK(std::isnan(matching_cost(s)), "matching cost of an unmatched state is not NaN");
}

}  // namespace

int main() {
    test_round_bodies_on_empty_marker();
    test_detr_inputs();
    test_random_non_finite();
    test_extreme_finite();
    return tally_report();
}

// hungarian4j — a CPU-side count of what the auction kernel does, for a model of its GPU time
// before any GPU run (bench/README.md, "Modelled device time"). Runs the shared rounds
// (auction_rounds.h) with a counting executor: block barriers, cost elements read by each scan,
// and the 32-byte sectors those reads touch in two layouts:
//   original — the cost block as the cost kernel writes it (Q x M row-major): with M <= Q the
//              persons are the targets, so a bid scan's lanes read with a stride of M floats;
//   two-layout — person scans read a person-major copy, object scans the object-major one
//              (AUCTION.md), so every warp load is contiguous; plus the copy (FnPersonMajor,
//              contiguous writes, strided reads), which the kernel and the CPU twin make.
// Same rounds (the matching and every step are those of the twin), different bytes.
// Build and run: bash bench/auction_model.sh
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

#include "hungarian4j/auction_rounds.h"

using namespace h4j::auction;

namespace {

struct Counts {
    double barriers = 0;          // __syncthreads of the kernel's executor
    double elems = 0;             // cost elements read
    double sectors_orig = 0;      // 32-byte sectors, original layout
    double sectors_two = 0;       // 32-byte sectors, two layouts
    double model_us = 0;          // modelled time of this block, original layout
    double model_two_us = 0;      // ... two layouts
    void add(double n, int stride_orig, int stride_two, double threads_busy) {
        auto sec = [](double n, int stride) { return n / 32.0 * (stride <= 1 ? 4.0 : std::min(32.0, 4.0 * stride)); };
        elems += n;
        sectors_orig += sec(n, stride_orig);
        sectors_two += sec(n, stride_two);
        (void)threads_busy;
    }
};

// Model constants (H100-class, one block of 256 threads per problem, costs L2-resident):
constexpr double kStepUs = 0.6;      // one block-synchronised step: barrier + a dependent L2 round trip
constexpr double kSectorNs = 0.25;   // per 32-byte sector a block pulls from L2 (~128 B/ns per SM)

Counts* g = nullptr;
const State* g_s = nullptr;
int g_sj = 1, g_si = 1;   // strides of K in the original layout


struct CountExec {
    double last_orig = 0, last_two = 0;
    void close_step() {
        g->model_us += std::max(kStepUs, (g->sectors_orig - last_orig) * kSectorNs * 1e-3);
        g->model_two_us += std::max(kStepUs, (g->sectors_two - last_two) * kSectorNs * 1e-3);
        last_orig = g->sectors_orig;
        last_two = g->sectors_two;
    }
    bool leader() const { return true; }
    void sync() { g->barriers += 1; close_step(); }
    template <class F>
    void for_each(int count, F f) {
        if (std::is_same<F, FnPersonG>::value) g->add(count, 32, 32, count);   // scattered K(i, asg[i])
        for (int i = 0; i < count; ++i) f(i);
    }
    template <class P, class Scan, class Comb, class Done>
    void for_each_warp(int count, P ident, Scan scan, Comb comb, Done done) {
        const State& s = *g_s;
        if (std::is_same<Scan, ScanRev>::value) g->add((double)count * s.n, g_si, 1, count);    // lanes over persons
        else g->add((double)count * s.N, g_sj, 1, count);                                          // lanes over objects
        for (int k = 0; k < count; ++k) done(k, comb(ident, scan(k, 0, 1)));
    }
    template <class P, class Gen, class Comb>
    P reduce(int count, P ident, Gen gen, Comb comb) {
        const State& s = *g_s;
        if (std::is_same<Gen, GenBfRelax>::value) {   // threads over objects, each over the active persons
            const GenBfRelax& r = reinterpret_cast<const GenBfRelax&>(gen);
            g->add((double)count * r.cnt, g_sj, 1, count);
        } else if (std::is_same<Gen, GenCostMM>::value || std::is_same<Gen, GenArgRow0>::value) {
            g->add(count, g_sj, 1, count);
        }
        (void)s;
        P a = ident;
        for (int i = 0; i < count; ++i) a = comb(a, gen(i));
        g->barriers += 2; close_step();
        return a;
    }
    template <class Pred>
    int compact(int count, Pred pred, int* list) {
        int c = 0;
        for (int i = 0; i < count; ++i)
            if (pred(i)) list[c++] = i;
        g->barriers += 3; close_step();
        return c;
    }
    template <class F>
    int leader_int(F f) { g->barriers += 2; close_step(); return f(); }
};

// DETR-like costs from random boxes and class probabilities (as test_auction's generator):
// -prob + 5 L1 - 2 GIoU; `dense` puts every query near some target (SKU-110K-like scenes).
double giou(const double* p, const double* t) {
    double px0 = p[0] - p[2] / 2, py0 = p[1] - p[3] / 2, px1 = p[0] + p[2] / 2, py1 = p[1] + p[3] / 2;
    double tx0 = t[0] - t[2] / 2, ty0 = t[1] - t[3] / 2, tx1 = t[0] + t[2] / 2, ty1 = t[1] + t[3] / 2;
    double iw = std::max(0.0, std::min(px1, tx1) - std::max(px0, tx0));
    double ih = std::max(0.0, std::min(py1, ty1) - std::max(py0, ty0));
    double inter = iw * ih, uni = p[2] * p[3] + t[2] * t[3] - inter;
    double encl = (std::max(px1, tx1) - std::min(px0, tx0)) * (std::max(py1, ty1) - std::min(py0, ty0));
    return inter / std::max(uni, 1e-12) - (encl - uni) / std::max(encl, 1e-12);
}
std::vector<float> gen(std::mt19937_64& r, int Q, int M, int K, bool dense) {
    std::uniform_real_distribution<double> u(0, 1);
    std::vector<double> tb(4 * (size_t)M), pb(4 * (size_t)Q);
    std::vector<int> lab(M);
    const double wmax = dense ? 0.08 : 0.6;
    for (int j = 0; j < M; ++j) {
        tb[4 * j] = 0.05 + 0.9 * u(r); tb[4 * j + 1] = 0.05 + 0.9 * u(r);
        tb[4 * j + 2] = 0.02 + (wmax - 0.02) * u(r); tb[4 * j + 3] = 0.02 + (wmax - 0.02) * u(r);
        lab[j] = (int)(u(r) * K) % K;
    }
    std::vector<float> C((size_t)Q * M);
    for (int q = 0; q < Q; ++q) {
        const bool near = M > 0 && u(r) < (dense ? 0.9 : 0.6);
        const int j0 = near ? (int)(u(r) * M) % M : -1;
        for (int k = 0; k < 4; ++k) pb[4 * q + k] = near ? tb[4 * j0 + k] + (u(r) - 0.5) * (dense ? 0.02 : 0.1) : 0.05 + 0.55 * u(r);
        pb[4 * q + 2] = std::max(0.01, pb[4 * q + 2]); pb[4 * q + 3] = std::max(0.01, pb[4 * q + 3]);
        std::vector<double> prob(K);
        double s = 0;
        for (int k = 0; k < K; ++k) { prob[k] = std::exp(6 * u(r) - 3 + (near && k == lab[j0] ? 2.0 : 0.0)); s += prob[k]; }
        for (int j = 0; j < M; ++j) {
            double l1 = 0;
            for (int k = 0; k < 4; ++k) l1 += std::fabs(pb[4 * q + k] - tb[4 * j + k]);
            C[(size_t)q * M + j] = (float)(-prob[lab[j]] / s + 5 * l1 - 2 * giou(&pb[4 * q], &tb[4 * j]));
        }
    }
    return C;
}

void run(const char* label, int B, int Q, int K, int Mmax, bool dense, bool fixed_m) {
    std::mt19937_64 r(2026);
    std::vector<Counts> per(B);
    std::vector<double> steps(B);
    for (int b = 0; b < B; ++b) {
        const int M = fixed_m ? Mmax : 1 + (int)(r() % (unsigned)Mmax);
        std::vector<float> C = gen(r, Q, M, K, dense);
        State s;
        std::memset(&s, 0, sizeof s);
        orient(s, C.data(), Q, M);
        std::vector<unsigned char> ws(workspace_bytes(s.n, s.N) + 16);
        carve(s, ws.data(), s.n, s.N);
        orient(s, C.data(), Q, M);
        g = &per[b]; g_s = &s; g_si = s.K.si; g_sj = s.K.sj;
        CountExec x;
        const Stats st = solve(x, s);
        // the two-layout variant pays the copy (solve's first step, FnPersonMajor) when the persons
        // are the targets: contiguous writes, but reads with the block's stride (a sector each)
        if (M <= Q) {
            const double copy = (double)s.n * s.N * (1.0 + 4.0 / 32);
            per[b].sectors_two += copy;
            per[b].model_two_us += std::max(kStepUs, copy * kSectorNs * 1e-3);
        }
        steps[b] = st.v[kStForward] + st.v[kStReverse] + st.v[kStRefine] + st.v[kStDijkstra];
    }
    double bar = 0, el = 0, so = 0, st2 = 0, tmax = 0, tmean = 0, smax = 0, smean = 0, t2max = 0;
    for (int b = 0; b < B; ++b) {
        bar += per[b].barriers; el += per[b].elems; so += per[b].sectors_orig; st2 += per[b].sectors_two;
        tmax = std::max(tmax, per[b].model_us); tmean += per[b].model_us / B;
        t2max = std::max(t2max, per[b].model_two_us);
        smax = std::max(smax, steps[b]); smean += steps[b] / B;
    }
    std::printf("| %s | %.1f / %.0f | %.0f | %.2f | %.1f | %.1f (%.1fx fewer) | %.0f | %.0f |\n", label, smean, smax,
                bar / B, el / 1e6, so * 32 / 1e6, st2 * 32 / 1e6, so / st2, tmax, t2max);
    (void)tmean;
}

}  // namespace

int main() {
    std::printf("model: a step costs max(%.1f us, sectors x %.2f ns) per block; blocks run concurrently (B <= SMs),"
                " so the launch takes about the slowest block\n", kStepUs, kSectorNs);
    std::printf("| size | steps mean / max | barriers per block | cost reads (M) | MB read, original | MB read, two layouts |"
                " modelled launch, original (us) | modelled launch, two layouts (us) |\n|---|---|---|---|---|---|---|---|\n");
    run("64x300x91x(1..100)", 64, 300, 91, 100, false, false);
    run("64x300x91x100", 64, 300, 91, 100, false, true);
    run("4x900x91x100", 4, 900, 91, 100, false, true);
    run("16x900x1x400 (dense)", 16, 900, 1, 400, true, true);
    return 0;
}

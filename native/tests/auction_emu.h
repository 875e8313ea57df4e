// hungarian4j tests — executors of the shared auction rounds (auction_rounds.h) on the CPU:
// the emulated CUDA block (scrambled loop orders, 32-lane scans, butterfly reductions) that the
// kernel's bit-identity claim is checked with, and a serial one like the CPU twin's. Used by
// test_auction (10,000 problems) and test_auction_robust (non-finite and extreme inputs).
#ifndef H4J_TESTS_AUCTION_EMU_H
#define H4J_TESTS_AUCTION_EMU_H

#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "hungarian4j/auction_rounds.h"
#include "hungarian4j/auction_serial.h"

namespace h4jtest {

// ------------------------------------------------------------------ a block executor emulated
// Runs the shared rounds the way the CUDA kernel distributes them (256 "threads" in 8 warps,
// strided loops visited in a scrambled order, per-person scans split over 32 lanes and
// combined in butterfly order, block reductions per thread then per warp, compaction in a
// scrambled order). The matching must equal the CPU twin's: this checks that nothing in the
// rounds depends on the order of the parallel loops.
struct EmuExec {
    static constexpr int T = 256;
    bool leader() const { return true; }
    void sync() const {}
    template <class F>
    void for_each(int count, F f) const {
        for (int t = T - 1; t >= 0; --t)
            for (int i = t; i < count; i += T) f(i);
    }
    template <class P, class Comb>
    static P butterfly(P* v, int nl, Comb comb) {
        for (int m = 16; m >= 1; m >>= 1) {
            P w[32];
            for (int l = 0; l < nl; ++l) w[l] = comb(v[l], v[l ^ m]);
            for (int l = 0; l < nl; ++l) v[l] = w[l];
        }
        return v[0];
    }
    template <class P, class Scan, class Comb, class Done>
    void for_each_warp(int count, P ident, Scan scan, Comb comb, Done done) const {
        for (int w = 7; w >= 0; --w)
            for (int k = w; k < count; k += 8) {
                P v[32];
                for (int l = 0; l < 32; ++l) v[l] = comb(ident, scan(k, l, 32));
                done(k, butterfly(v, 32, comb));
            }
    }
    template <class P, class Gen, class Comb>
    P reduce(int count, P ident, Gen gen, Comb comb) const {
        P th[T];
        for (int t = T - 1; t >= 0; --t) {
            P a = ident;
            for (int i = t; i < count; i += T) a = comb(a, gen(i));
            th[t] = a;
        }
        P wr[32];
        for (int w = 0; w < 8; ++w) wr[w] = butterfly(th + 32 * w, 32, comb);
        for (int w = 8; w < 32; ++w) wr[w] = ident;
        return butterfly(wr, 32, comb);
    }
    template <class Pred>
    int compact(int count, Pred pred, int* list) const {
        int c = 0;
        for (int t = T - 1; t >= 0; --t)
            for (int i = t; i < count; i += T)
                if (pred(i)) list[c++] = i;
        return c;
    }
    template <class F>
    int leader_int(F f) const { return f(); }
};

// solve with the emulated block executor; assign_q[Q], stats[8]
inline void emu_solve(int Q, int M, const float* C, int* assign_q, int* stats) {
    using namespace h4j::auction;
    for (int q = 0; q < Q; ++q) assign_q[q] = -1;
    State s;
    std::memset(&s, 0, sizeof s);
    orient(s, C, Q, M);
    const int n = s.n, N = s.N;
    static std::vector<std::uint64_t> ws;
    ws.assign(workspace_bytes(n, N) / 8 + 2, 0x5a5a5a5a5a5a5a5aull);  // garbage, like shared memory
    carve(s, ws.data(), n, N);
    static std::vector<float> pm;
    pm.assign((size_t)n * N + 1, std::numeric_limits<float>::quiet_NaN());   // NaN: a read before the copy would show
    orient(s, C, Q, M, pm.data());
    EmuExec x;
    Stats st = solve(x, s);
    for (int k = 0; k < kStatsLen; ++k) stats[k] = st.v[k];
    if (n == 0) return;
    if (M <= Q) {
        for (int i = 0; i < n; ++i)
            if (s.asg[i] >= 0) assign_q[s.asg[i]] = i;   // a refused problem keeps -1
    } else {
        for (int i = 0; i < n; ++i) assign_q[i] = s.asg[i];
    }
}

/// The CPU twin's executor (every parallel loop a plain loop), shared with native/src/auction_cpu.cpp.
using SerialExec = h4j::auction::SerialExec;

/// One problem with executor X, the workspace exactly workspace_bytes(n, N) long in its own
/// allocation (so that AddressSanitizer sees any access past it) and filled with garbage, as
/// shared memory would be. assign_q[Q]; stats[8]; *cost = the matching cost (NaN if refused).
template <class X>
void solve_exact_ws(int Q, int M, const float* C, int* assign_q, int* stats, double* cost) {
    using namespace h4j::auction;
    for (int q = 0; q < Q; ++q) assign_q[q] = -1;
    State s;
    std::memset(&s, 0, sizeof s);
    orient(s, C, Q, M);
    const int n = s.n, N = s.N;
    const size_t bytes = workspace_bytes(n, N);
    std::vector<unsigned char> ws(bytes, 0x5a);
    ws.shrink_to_fit();
    carve(s, ws.data(), n, N);
    std::vector<float> pm((size_t)n * N, std::numeric_limits<float>::quiet_NaN());   // exactly n * N: ASan sees any overrun
    pm.shrink_to_fit();
    orient(s, C, Q, M, pm.empty() ? nullptr : pm.data());
    X x;
    Stats st = solve(x, s);
    for (int k = 0; k < kStatsLen; ++k) stats[k] = st.v[k];
    *cost = n > 0 ? matching_cost(s) : 0.0;
    if (n == 0) return;
    if (M <= Q) {
        for (int i = 0; i < n; ++i)
            if (s.asg[i] >= 0) assign_q[s.asg[i]] = i;
    } else {
        for (int i = 0; i < n; ++i) assign_q[i] = s.asg[i];
    }
}

}  // namespace h4jtest

#endif

// hungarian4j — the CPU twin of the exact auction matcher.
//
// Runs the rounds of auction_rounds.h with the serial executor (auction_serial.h), so the result
// is the same matching the CUDA kernel (auction_kernel.cu) computes from the same costs.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include "hungarian4j/auction.h"
#include "hungarian4j/auction_rounds.h"
#include "hungarian4j/auction_serial.h"
#include "internal.h"

namespace h4j {
namespace auction {

namespace {

/// Per-thread workspace (grows only; no allocation in steady state).
std::vector<std::uint64_t>& cpu_workspace(std::size_t bytes) {
    thread_local std::vector<std::uint64_t> ws;
    const std::size_t words = (bytes + 7) / 8 + 2;
    if (ws.size() < words) ws.resize(words);
    return ws;
}

}  // namespace

/// One problem (Q x M block). assign_q[Q], stats[kStatsLen] (may be NULL).
void cpu_solve_block(int Q, int M, const float* block, int* assign_q, double* cost,
                     int* stats) {
    for (int q = 0; q < Q; ++q) assign_q[q] = -1;
    State s;
    std::memset(&s, 0, sizeof s);
    orient(s, block, Q, M);
    const int n = s.n, N = s.N;
    Stats st;
    if (n == 0) {
        for (int k = 0; k < kStatsLen; ++k) st.v[k] = 0;
        if (cost) *cost = 0.0;
    } else {
        std::vector<std::uint64_t>& ws = cpu_workspace(workspace_bytes(n, N));
        carve(s, ws.data(), n, N);
        // the person-major copy, as the kernel makes it (same values: same rounds, same matching)
        thread_local std::vector<float> pm;
        if (M <= Q && pm.size() < (std::size_t)n * N) pm.resize((std::size_t)n * N);
        orient(s, block, Q, M, M <= Q ? pm.data() : nullptr);
        SerialExec x;
        st = solve(x, s);
        if (cost) *cost = matching_cost(s);
        if (persons_are_targets(Q, M)) {   // a refused (non-finite) problem keeps asg at -1
            for (int i = 0; i < n; ++i)
                if (s.asg[i] >= 0 && s.asg[i] < Q) assign_q[s.asg[i]] = i;
        } else {
            for (int i = 0; i < n; ++i) assign_q[i] = s.asg[i];
        }
    }
    if (stats)
        for (int k = 0; k < kStatsLen; ++k) stats[k] = st.v[k];
}

}  // namespace auction
}  // namespace h4j

extern "C" int h4j_cpu_match_auction(int B, int Q, const int* offsets, const float* costs,
                                     int* assign_out, double* matching_cost_out, int* stats_out) {
    return h4j::guarded("h4j_cpu_match_auction", [&]() -> int {
        if (int rc = h4j::validate_sizes(B, Q)) return rc;
        long long T = 0;
        if (int rc = h4j::validate_offsets(B, offsets, &T)) return rc;
        if (int rc = h4j::require(assign_out, "assign_out")) return rc;
        if (int rc = h4j::validate_costs(B, Q, offsets, costs)) return rc;
        for (int b = 0; b < B; ++b) {
            const long long M = offsets[b + 1] - offsets[b];
            if ((long long)std::min<long long>(Q, M) * std::max<long long>(Q, M) >= 0x7fffffffLL)
                return h4j::set_error(H4J_ERR_INVALID_ARG,
                                      "image %d: Q * M = %d * %lld; must be < 2^31 for the auction", b, Q, M);
        }
        for (int b = 0; b < B; ++b) {
            const int M = offsets[b + 1] - offsets[b];
            const float* block = costs ? costs + (std::size_t)Q * (std::size_t)offsets[b] : nullptr;
            h4j::auction::cpu_solve_block(Q, M, block, assign_out + (std::size_t)b * Q,
                                          matching_cost_out ? matching_cost_out + b : nullptr,
                                          stats_out ? stats_out + (std::size_t)b * H4J_AUCTION_STATS_LEN
                                                    : nullptr);
        }
        return H4J_OK;
    });
}

/*
 * hungarian4j — the exact auction matcher (C API).
 *
 * Bertsekas' forward auction with ε-scaling, a reverse auction at every phase end (the
 * asymmetric fix), float64 price refinement, a duality-gap certificate and, when that fails,
 * a repair by shortest augmenting paths warm-started from the duals. The result is always a
 * minimum-cost matching of size min(Q, M_b) ("certified" or "repaired", never silently worse).
 *
 * The same rounds run two ways (native/include/hungarian4j/auction_rounds.h): serially on the
 * CPU (the "CPU twin") and as one CUDA thread block per problem. Given the same costs both
 * return the same matching.
 *
 * Layout as in hungarian4j.h: offsets[B+1] CSR, M_b = offsets[b+1] - offsets[b]; the cost
 * block of problem b is Q x M_b row-major float32 at costs[Q*offsets[b] + q*M_b + j];
 * assign[b*Q + q] = local target in [0, M_b) or -1. matching_cost[b] = double sum of the float
 * costs of the matching (0 when M_b = 0).
 */
#ifndef HUNGARIAN4J_AUCTION_H
#define HUNGARIAN4J_AUCTION_H

#include "hungarian4j/hungarian4j.h"

#ifdef __cplusplus
extern "C" {
#endif

/* per-problem outcome codes (stats[0]) */
enum {
    H4J_AUCTION_TRIVIAL = 0,         /* M_b = 0 or min(Q, M_b) = 1 */
    H4J_AUCTION_CERTIFIED = 1,       /* auction result proven optimal by the duality gap */
    H4J_AUCTION_REPAIRED = 2,        /* certificate failed at the final ε (or |c| > 1e18): repaired */
    H4J_AUCTION_CAPPED_REPAIRED = 3, /* round cap hit: repaired */
    H4J_AUCTION_NON_FINITE = 4       /* device APIs: a cost is NaN or inf; refused (assign -1, cost NaN) */
};

/* stats per problem: H4J_AUCTION_STATS_LEN ints */
enum {
    H4J_AUCTION_STAT_OUTCOME = 0,
    H4J_AUCTION_STAT_FORWARD_ROUNDS = 1,
    H4J_AUCTION_STAT_REVERSE_ROUNDS = 2,
    H4J_AUCTION_STAT_REFINE_ROUNDS = 3,
    H4J_AUCTION_STAT_PHASES = 4,
    H4J_AUCTION_STAT_AUGMENTATIONS = 5,
    H4J_AUCTION_STAT_DIJKSTRA_STEPS = 6,
    H4J_AUCTION_STAT_RELEASED = 7,
    H4J_AUCTION_STATS_LEN = 8
};

/** CPU twin. Host arrays. assign_out[B*Q]; matching_cost_out[B] and stats_out[B*8] may be NULL.
 *  Errors: H4J_ERR_INVALID_ARG (dims, offsets, NULL), H4J_ERR_NON_FINITE (names the index). */
int h4j_cpu_match_auction(int B, int Q, const int* offsets, const float* costs, int* assign_out,
                          double* matching_cost_out, int* stats_out);

/** CUDA kernel, one thread block per problem. All arrays are DEVICE pointers; stream is a
 *  cudaStream_t (NULL = default stream); matching_cost_dev and stats_dev may be NULL.
 *  Reads offsets[B+1] back to the host once (a small synchronous copy on `stream`) to size the
 *  per-problem workspace; use h4j_cuda_match_auction_bounded to avoid that sync.
 *  The kernel checks the costs: a problem with a NaN or infinite cost is refused (assign all
 *  -1, matching cost NaN, outcome H4J_AUCTION_NON_FINITE) and reads nothing out of bounds;
 *  the host variant validates and returns H4J_ERR_NON_FINITE instead. */
int h4j_cuda_match_auction(int B, int Q, const int* offsets_dev, const float* costs_dev,
                           int* assign_dev, double* matching_cost_dev, int* stats_dev, void* stream);

/** Same, asynchronous: the caller promises M_b <= max_m for every b (a problem that breaks the
 *  promise gets assign = -1 and outcome -1 in stats). No host sync. */
int h4j_cuda_match_auction_bounded(int B, int Q, int max_m, const int* offsets_dev,
                                   const float* costs_dev, int* assign_dev,
                                   double* matching_cost_dev, int* stats_dev, void* stream);

/** Host convenience: validates like the CPU twin, copies in, runs, copies out (synchronous). */
int h4j_cuda_match_auction_host(int B, int Q, const int* offsets, const float* costs,
                                int* assign_out, double* matching_cost_out, int* stats_out);

#ifdef __cplusplus
}
#endif

#endif /* HUNGARIAN4J_AUCTION_H */

/*
 * hungarian4j — launch-size arithmetic of the auction kernel (host code, no CUDA needed).
 *
 * The kernel (auction_kernel.cu) runs one block of kThreads threads per problem. Its static
 * shared memory is one BlockShared object; the per-problem workspace (workspace_bytes(n, N))
 * goes to dynamic shared memory when it fits, else to a global-memory workspace.
 *
 * CUDA's rule: a launch may use static + dynamic shared memory up to 48 KB by default; above
 * that the kernel needs cudaFuncAttributeMaxDynamicSharedMemorySize >= dynamic, and that
 * attribute may be at most (the device's per-block opt-in limit) - static. The launcher sets
 * the attribute once per device to that maximum (max_dynamic_smem below), so every launch
 * this plan puts in shared memory is legal, whatever its size, and no thread ever changes the
 * attribute under another thread's launch.
 *
 * Kept free of CUDA types so that a plain C++ test (test_auction_launch) checks the plan over
 * the whole (Q, M) grid against the limits of the architectures we build for.
 */
#ifndef HUNGARIAN4J_AUCTION_LAUNCH_H
#define HUNGARIAN4J_AUCTION_LAUNCH_H

#include <stddef.h>

#include "hungarian4j/auction_blocks.h"

namespace h4j {
namespace auction {

enum {
    kThreads = 256,
    kWarps = kThreads / 32,
    kScratchPerWarp = 32   /* bytes; the largest reduction partial is 16 bytes */
};

/* The kernel's only static __shared__ object: its size is the kernel's static shared memory
 * (native/tools/check_auction_smem.sh compares it with ptxas' "bytes smem"). */
struct BlockShared {
    alignas(16) unsigned char scratch[kWarps * kScratchPerWarp];
    int counter;
    State s;
};

/* Shared memory a block may use without the opt-in attribute (every architecture). */
constexpr size_t kDefaultSmemPerBlock = 48u * 1024u;

/* The value the launcher gives cudaFuncAttributeMaxDynamicSharedMemorySize (once per device):
 * everything the opt-in limit leaves beside the static part. 0 when even that does not fit. */
inline size_t max_dynamic_smem(size_t static_bytes, size_t optin_per_block) {
    return optin_per_block > static_bytes ? optin_per_block - static_bytes : 0;
}

/* The dynamic limit without the attribute: the default 48 KB less the static part. */
inline size_t default_dynamic_smem(size_t static_bytes) {
    return kDefaultSmemPerBlock > static_bytes ? kDefaultSmemPerBlock - static_bytes : 0;
}

struct LaunchPlan {
    int ok;               /* 0: the problem is too large for the auction (n * N >= 2^31) */
    int n, N;             /* persons, objects of the largest problem (max_m targets) */
    size_t ws_bytes;      /* per-problem workspace */
    int in_shared;        /* 1: workspace in dynamic shared memory; 0: global workspace */
    size_t dynamic_bytes; /* the launch's dynamic shared memory (ws_bytes or 0) */
};

/* Where the workspace of a launch for problems of Q predictions and at most max_m targets
 * goes, given the dynamic shared memory limit in force: the attribute max_dynamic_smem(...),
 * or default_dynamic_smem(...) when setting it failed. */
inline LaunchPlan plan_auction_launch(int Q, int max_m, size_t dynamic_limit) {
    LaunchPlan p;
    p.n = max_m < Q ? max_m : Q;
    p.N = max_m < Q ? Q : max_m;
    p.ok = (long long)p.n * (long long)p.N < 0x7fffffffLL;
    p.ws_bytes = workspace_bytes(p.n, p.N);
    p.in_shared = p.ws_bytes <= dynamic_limit;
    p.dynamic_bytes = p.in_shared ? p.ws_bytes : 0;
    return p;
}

}  // namespace auction
}  // namespace h4j

#endif

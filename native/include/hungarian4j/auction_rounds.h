/*
 * hungarian4j — the exact auction matcher, written once.
 *
 * The whole algorithm of one problem as a sequence of block-synchronous rounds over a
 * per-problem state (AUCTION.md beside the shared docs is the design). This header is the
 * driver (the ε phases, solve<X>) and includes the pieces, in the order building blocks →
 * rounds: auction_blocks.h (state, partials, executor contract), auction_bid.h (bid and offer
 * rounds), auction_certify.h (price refinement, certificate), auction_repair.h (exact repair,
 * phase tails). The kernel and its launcher (auction_kernel.cu, auction_launch.h) come last.
 *
 *   forward auction (Jacobi rounds, ε-scaling; each phase's tail, once <= n/40 persons are
 *   left or the count stalls for 8 rounds, is finished by shortest augmenting paths on the
 *   ε-shifted reduced costs instead of a one-bid-per-round price war)  →  reverse auction at
 *   every phase end (asymmetric fix, N > n)  →  float64 price refinement (Bellman-Ford with a
 *   merged node Λ for the free objects)  →  certificate (every person's slack ≤ a rounding
 *   tolerance)  →  otherwise repair: refinement with release of persons on predecessor cycles,
 *   a tightness cascade that makes the duals exact, then shortest augmenting paths warm-started
 *   from those duals.
 *
 * Shortest augmenting paths (sap_bf_all) are searched block-parallel: a multi-source
 * label-correcting (Bellman-Ford) search from all free persons, one round per hop of the
 * shortest-path tree, pruned at the best free-object distance δ, then the Dijkstra dual update
 * (raise by δ − d for everything closer than δ) and one augmentation per search. A round is
 * one block step, like an auction round; the stat "Dijkstra steps" counts these rounds (plus
 * one row-minimum scan per call). Exactness never rests on the tails: it rests on the
 * certificate, or on the repair's exact duals.
 *
 * The driver `h4j::auction::solve<X>` is a template over an executor X:
 *   - the CPU twin (auction_cpu.cpp) runs every parallel loop serially,
 *   - the CUDA kernel (auction_kernel.cu) runs one thread block per problem; loops over
 *     persons/objects are spread over threads, per-person scans over the 32 lanes of a warp.
 * Every value that decides the control flow is computed by an order-independent reduction
 * (min, max, integer count, or a lexicographic key with a unique winner), and every
 * floating-point operation is the same sequence of IEEE adds in both executions, so the
 * CPU twin and the kernel produce the same matching, bit for bit, for the same costs.
 *
 * Terms: persons are the smaller side (n = min(Q, M)), objects the larger side (N).
 * A person pays c_ij + p_j (minimisation). When M <= Q the persons are the targets.
 */
#ifndef HUNGARIAN4J_AUCTION_ROUNDS_H
#define HUNGARIAN4J_AUCTION_ROUNDS_H

#include "hungarian4j/auction_blocks.h"
#include "hungarian4j/auction_bid.h"
#include "hungarian4j/auction_certify.h"
#include "hungarian4j/auction_repair.h"

namespace h4j {
namespace auction {

/* ---- functors of the driver's loops */
struct FnResetAll {
    const State* s;
    H4J_HD void operator()(int j) const { s->price[j] = 0.0f; s->owner[j] = -1; s->slot[j] = 0ull; }
};
struct FnResetPersons {
    const State* s;
    H4J_HD void operator()(int i) const { s->asg[i] = -1; s->snap_asg[i] = -1; s->pslot[i] = ~0ull; s->pred[i] = -1; }
};
struct FnUnownObj { const State* s; H4J_HD void operator()(int j) const { s->owner[j] = -1; } };
struct FnUnasgPer { const State* s; H4J_HD void operator()(int i) const { s->asg[i] = -1; } };
struct GenCostMM {
    const State* s;
    H4J_HD MinMaxF operator()(int k) const {
        int i = k / s->N, j = k - i * s->N; float c = (*s).K(i, j);
        MinMaxF m = mmf_ident();
        if (non_finite32(c)) m.bad = 1; else { m.lo = c; m.hi = c; }
        return m;
    }
};
struct GenArgRow0 {
    const State* s;
    H4J_HD ArgD operator()(int j) const { ArgD a; a.v = (double)s->K(0, j); a.k = 0; a.j = j; return a; }
};
struct FnSnapObj { const State* s; H4J_HD void operator()(int j) const { s->snap_price[j] = s->price[j]; } };
struct FnSnapPer { const State* s; H4J_HD void operator()(int i) const { s->snap_asg[i] = s->asg[i]; } };
struct FnRestoreObj { const State* s; H4J_HD void operator()(int j) const { s->price[j] = s->snap_price[j]; s->owner[j] = -1; } };
struct FnRestorePer {
    const State* s;
    H4J_HD void operator()(int i) const { int j = s->snap_asg[i]; s->asg[i] = j; if (j >= 0) s->owner[j] = i; }
};

/* The whole problem. On return asg[] holds the matching (person -> object) and stats the report. */
H4J_EXEC_CHECK_DISABLE
template <class X>
H4J_AUCTION_DRIVER Stats solve(X& x, const State& s) {
    Ctx<X> c{x, s, Stats(), 0.0};
    for (int k = 0; k < kStatsLen; ++k) c.st.v[k] = 0;
    const int n = s.n, N = s.N;
    c.st.v[kStOutcome] = kTrivial;
    if (n <= 0) return c.st;
    if (s.pm) x.for_each(n * N, FnPersonMajor{&s});   /* before any person scan (synced below) */
    x.for_each(N, FnResetAll{&s});
    x.for_each(n, FnResetPersons{&s});
    x.sync();
    /* n * N < 2^31: the launchers refuse larger problems (plan_auction_launch / the CPU twin) */
    MinMaxF mm = x.reduce(n * N, mmf_ident(), GenCostMM{&s}, MMFComb{});
    if (mm.bad > 0) {   /* a diverged step or an overflowing cost: refuse, match nothing */
        c.st.v[kStOutcome] = kNonFinite;
        return c.st;
    }
    if (n == 1) {
        ArgD a = x.reduce(N, argd_ident(), GenArgRow0{&s}, ArgDComb{});
        if (x.leader()) { s.asg[0] = a.j; s.owner[a.j] = 0; }
        x.sync();
        return c.st;
    }
    const float maxabs = fmax2(-mm.lo, mm.hi);
    c.Mc = (double)maxabs;
    if (!(maxabs <= H4J_AUCTION_MAX_ABS)) {
        /* float32 prices could overflow: straight to the float64 shortest augmenting path */
        repair(c, 0);
        c.st.v[kStOutcome] = kRepaired;
        return c.st;
    }
    const float R = mm.hi - mm.lo;
    /* one schedule for every shape: with the phase tails finished by shortest augmenting paths,
     * ε0 = 0.002R, θ = 1/8 beat the former square schedule (0.015R, 1/4) on square, near-square
     * and DETR problems alike (bench/AUCTION_ROUNDS.md) */
    const float eps0 = mul_rn(0.002f, R);
    const float theta = 0.125f;
    const float eps_min = fmax2(mul_rn(1e-6f, R), mul_rn(8.0f, ulp32(maxabs + R)));
    float eps = fmax2(eps0, eps_min);
    int rounds = 0;
    bool capped = false, have_snap = false;
    for (int phase = 0;; ++phase) {
        if (phase >= kPhaseCap) { capped = true; break; }
        c.st.v[kStPhases]++;
        x.for_each(N, FnUnownObj{&s});
        x.for_each(n, FnUnasgPer{&s});
        x.sync();
        /* forward auction */
        int best_cnt = n + 1, since = 0, prounds = 0;
        for (;;) {
            int cnt = x.compact(n, PredUnassigned{&s}, s.list);
            if (cnt == 0) break;
            if (rounds >= kRoundCap) { capped = true; break; }
            /* phase tail: few persons left (<= n/kTailDiv) or no progress for kStallRounds rounds */
            if (cnt < best_cnt) { best_cnt = cnt; since = 0; } else ++since;
            if (prounds >= 1 && (cnt * kTailDiv <= n || since >= kStallRounds)) {
                /* a tail counts as a round; one that seats nobody ends the auction (repair) */
                ++rounds;
                if (sap_tail(c) >= cnt) { capped = true; break; }
                continue;
            }
            ++prounds;
            x.for_each_warp(cnt, bid_ident(), ScanBid{&s}, BidComb{}, DoneBid{&s, eps});
            x.sync();
            x.for_each(N, FnResolve{&s});
            x.sync();
            ++rounds; c.st.v[kStForward]++;
        }
        /* reverse auction: unassigned objects priced above λ */
        if (!capped && N > n) {
            for (;;) {
                float lam = x.reduce(n, H4J_INF32, GenAsgPrice{&s}, FMin{});
                x.for_each(n, FnPersonG{&s});
                int cnt = x.compact(N, PredRevActive{&s, lam}, s.list);
                if (cnt == 0) break;
                if (rounds >= kRoundCap) { capped = true; break; }
                x.for_each_warp(cnt, rev_ident(), ScanRev{&s}, RevComb{}, DoneRev{&s, lam, eps});
                x.sync();
                x.for_each(n, FnRevAccept{&s});
                x.sync();
                ++rounds; c.st.v[kStReverse]++;
            }
        }
        if (capped) break;
        x.for_each(N, FnSnapObj{&s});
        x.for_each(n, FnSnapPer{&s});
        x.sync();
        have_snap = true;
        if (certify(c)) { c.st.v[kStOutcome] = kCertified; return c.st; }
        if (eps <= eps_min) break;
        eps = fmax2(mul_rn(eps, theta), eps_min);
    }
    if (capped) {
        int unassigned = x.reduce(n, 0, PredUnassignedCount{&s}, IntSum{});
        if (have_snap && unassigned * 10 > n) {
            x.for_each(N, FnRestoreObj{&s});
            x.sync();
            x.for_each(n, FnRestorePer{&s});
            x.sync();
        }
    }
    repair(c, 1);
    c.st.v[kStOutcome] = capped ? kCappedRepaired : kRepaired;
    return c.st;
}

/* Matching cost in person order (the same summation order in both executions) and the
 * assignment in the caller's orientation: assign_q[q] = local target or -1 (Q entries). */
H4J_HD double matching_cost(const State& s) {
    double acc = 0.0;
    for (int i = 0; i < s.n; ++i) {
        const int j = s.asg[i];
        if (j < 0 || j >= s.N) return __builtin_nan("");   /* refused (non-finite) problem */
        acc += (double)s.K(i, j);
    }
    return acc;
}
H4J_HD bool persons_are_targets(int Q, int M) { return M <= Q; }

}  // namespace auction
}  // namespace h4j

#endif

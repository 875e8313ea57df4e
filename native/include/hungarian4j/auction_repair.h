/*
 * hungarian4j — exact repair and the phase tails: shortest augmenting paths (host and device).
 *
 * sap_bf_all searches block-parallel: a multi-source label-correcting (Bellman-Ford) search
 * from all free persons, one round per hop, pruned at the best free-object distance δ, then
 * the Dijkstra dual update and one augmentation per search. The repair makes the duals exact
 * (refinement with release, a tightness cascade) and seats the freed persons; the tail seats
 * a phase's last persons on the ε-shifted costs. Every loop has a counted bound.
 */
#ifndef HUNGARIAN4J_AUCTION_REPAIR_H
#define HUNGARIAN4J_AUCTION_REPAIR_H

#include "hungarian4j/auction_blocks.h"
#include "hungarian4j/auction_certify.h"

namespace h4j {
namespace auction {

/* ---- functors of the repair loops */
struct FnMarkSlack {   /* mark[i] = 1 when person i's arc is not exactly tight */
    const State* s;
    H4J_HD void operator()(int i) const { s->mark[i] = (s->asg[i] >= 0 && s->t[i] > 0.0) ? 1 : 0; }
};
struct FnSapObjInit {
    const State* s; double lam;
    H4J_HD void operator()(int j) const { if (s->owner[j] < 0 && s->rect) s->pd[j] = lam; }
};
struct FnSapU {
    const State* s;
    H4J_HD void operator()(int i) const { int a = s->asg[i]; s->u[i] = a >= 0 ? (double)s->K(i, a) + s->pd[a] : 0.0; }
};
struct ScanRowMinP {   /* min_j c_ij + pd_j (every object at its own price) */
    const State* s;
    H4J_HD ArgD operator()(int i, int lane, int nl) const {
        ArgD a = argd_ident();
        for (int j = lane; j < s->N; j += nl) { ArgD b; b.v = (double)s->K(i, j) + s->pd[j]; b.k = 0; b.j = j; a = argd_comb(a, b); }
        return a;
    }
};
struct DoneUFree { const State* s; H4J_HD void operator()(int i, ArgD m) const { if (s->asg[i] < 0) s->u[i] = m.v; } };
struct DoneU { const State* s; H4J_HD void operator()(int i, ArgD m) const { s->u[i] = m.v; } };
struct FnPriceFromPd { const State* s; H4J_HD void operator()(int j) const { s->price[j] = (float)s->pd[j]; } };

/* ---- multi-source label-correcting shortest augmenting path (one path per search)
 * Rows: free persons are sources at label 0 (relative to their own u); an assigned person's label
 * is the distance of its object. Each round, every column pulls the best (label_i + reduced cost,
 * i) over the persons activated in the previous round (order-independent: lexicographic min);
 * a person is activated when its object's distance strictly dropped below the best free-object
 * distance δ found so far. It ends when no person is active; then the duals are raised as in
 * Dijkstra (objects and persons with distance < δ) and the path to the nearest free object
 * (smallest index on ties) is augmented. */
struct FnBfObjInit { const State* s; H4J_HD void operator()(int j) const { s->spc[j] = H4J_INF64; s->path[j] = -1; s->sc[j] = 0; } };
struct FnBfPerInit {
    const State* s;
    H4J_HD void operator()(int i) const { int f = s->asg[i] < 0; s->sr[i] = (unsigned char)f; s->t[i] = 0.0; }
};
struct PredActive { const State* s; H4J_HD bool operator()(int i) const { return s->sr[i] != 0; } };
struct GenBfRelax {   /* column j pulls from the active persons targ[0..cnt) */
    const State* s; int cnt;
    H4J_HD ArgD operator()(int j) const {
        double best = H4J_INF64; int bi = 0x7fffffff;
        const double pj = s->pd[j];
        for (int k = 0; k < cnt; ++k) {
            const int i = s->targ[k];
            double v = s->t[i] + dmax2(((double)s->K(i, j) + pj) - s->u[i], 0.0);
            if (v < best || (v == best && i < bi)) { best = v; bi = i; }
        }
        if (best < s->spc[j]) { s->spc[j] = best; s->path[j] = bi; s->sc[j] = 1; } else s->sc[j] = 0;
        if (s->owner[j] >= 0) return argd_ident();
        ArgD a; a.v = s->spc[j]; a.k = 0; a.j = j; return a;
    }
};
struct FnBfActivate {
    const State* s; double delta;
    H4J_HD void operator()(int i) const {
        int a = s->asg[i];
        if (a >= 0 && s->sc[a] && s->spc[a] < delta) { s->sr[i] = 1; s->t[i] = s->spc[a]; } else s->sr[i] = 0;
    }
};
struct FnBfDualObj {
    const State* s; double delta;
    H4J_HD void operator()(int j) const { if (s->spc[j] < delta) s->pd[j] += delta - s->spc[j]; }
};
struct FnBfDualPer {
    const State* s; double delta;
    H4J_HD void operator()(int i) const {
        int a = s->asg[i];
        if (a < 0) s->u[i] += delta;
        else if (s->spc[a] < delta) s->u[i] += delta - s->spc[a];
    }
};

/* Returns the number of persons still free: 0 unless some distance is not finite (which the
 * non-finite check before the auction rules out; the bounds keep every loop counted anyway).
 * Bounds: at most n augmentations (each seats one free person); a search has at most n + 2
 * rounds, since labels are monotone along predecessor edges (non-negative reduced costs) so
 * every shortest path is simple and has at most n person hops; a path flip at most n steps. */
H4J_EXEC_CHECK_DISABLE
template <class X>
H4J_AUCTION_DRIVER int sap_bf_all(Ctx<X>& c, int all_rows) {
    X& x = c.x; const State& s = c.s; const int n = s.n, N = s.N;
    /* every source starts with reduced costs >= 0: u_i = min_j c_ij + pd_j for the free persons
     * (all_rows: for every person, which shifts each matched arc by its slack, at most ε) */
    if (all_rows) x.for_each_warp(n, argd_ident(), ScanRowMinP{&s}, ArgDComb{}, DoneU{&s});
    else x.for_each_warp(n, argd_ident(), ScanRowMinP{&s}, ArgDComb{}, DoneUFree{&s});
    x.sync();
    c.st.v[kStDijkstra]++;
    for (int aug = 0; aug <= n; ++aug) {
        x.for_each(N, FnBfObjInit{&s});
        x.for_each(n, FnBfPerInit{&s});
        x.sync();
        ArgD best = argd_ident();
        int any = 0;
        for (int round = 0; round < n + 2; ++round) {
            int cnt = x.compact(n, PredActive{&s}, s.targ);
            if (cnt == 0) break;
            any = 1;
            best = x.reduce(N, argd_ident(), GenBfRelax{&s, cnt}, ArgDComb{});
            c.st.v[kStDijkstra]++;
            x.for_each(n, FnBfActivate{&s, best.v});
            x.sync();
        }
        if (!any) return 0;   /* no free person */
        /* no free object reached at a finite distance: give up, never index with best.j */
        if (!(best.v < H4J_INF64) || best.j < 0 || best.j >= N) break;
        const double delta = best.v;
        x.for_each(N, FnBfDualObj{&s, delta});
        x.for_each(n, FnBfDualPer{&s, delta});
        x.sync();
        if (x.leader()) {
            int j = best.j;
            for (int step = 0; step < n; ++step) {   /* a path visits each person once */
                int pi = s.path[j];
                if (pi < 0 || pi >= n) break;          /* no predecessor: leave the path as it is */
                int nj = s.asg[pi];
                s.owner[j] = pi; s.asg[pi] = j;
                if (nj < 0) break;
                j = nj;
            }
        }
        x.sync();
        c.st.v[kStAug]++;
    }
    return x.reduce(n, 0, PredUnassignedCount{&s}, IntSum{});
}

/* repair: from the current (possibly partial) assignment and float prices to an exact optimum */
/* Returns the number of persons left free (0 for finite costs). */
H4J_EXEC_CHECK_DISABLE
template <class X>
H4J_AUCTION_DRIVER int repair(Ctx<X>& c, int do_refine) {
    X& x = c.x; const State& s = c.s; const int n = s.n, N = s.N;
    x.for_each(N, FnPdInit{&s});
    x.sync();
    double lam, M;
    if (do_refine) {
        refine(c, lam, M, 2 * n + 32, 1, n / 2);
    }
    /* Λ <= every assigned price (refine keeps it so; recompute for the other paths) */
    {
        MinMaxD om = x.reduce(N, mmd_ident(), GenOwnedPd{&s}, MMDComb{});
        if (do_refine) lam = dmin2(lam, om.lo);
        else lam = om.lo < H4J_INF64 ? om.lo : 0.0;
    }
    /* tightness cascade: free every person whose arc is not exactly the minimum (each pass
     * frees at least one person or stops, so n + 1 passes bound it) */
    for (int pass = 0; pass <= n; ++pass) {
        max_slack(c, lam);
        x.for_each(n, FnMarkSlack{&s});
        x.sync();
        int rel = x.reduce(n, 0, GenRelease{&s, 1}, IntSum{});
        if (rel == 0) break;
        c.st.v[kStReleased] += rel;
    }
    /* shortest augmenting paths, duals: pd (objects, free ones at Λ), u (persons) */
    x.for_each(N, FnSapObjInit{&s, lam});
    x.sync();
    x.for_each(n, FnSapU{&s});
    x.sync();
    return sap_bf_all(c, 0);
}

/* ε-phase tail: the persons still unassigned get shortest augmenting paths on the ε-shifted costs
 * (u_i = row minimum under the current prices, matched arcs taken as tight). The prices that come
 * out satisfy ε-CS for the complete assignment; exactness is still decided by the certificate. */
H4J_EXEC_CHECK_DISABLE
template <class X>
H4J_AUCTION_DRIVER int sap_tail(Ctx<X>& c) {
    X& x = c.x; const State& s = c.s; const int N = s.N;
    x.for_each(N, FnPdInit{&s});
    x.sync();
    const int left = sap_bf_all(c, 1);
    x.for_each(N, FnPriceFromPd{&s});
    x.sync();
    return left;
}

}  // namespace auction
}  // namespace h4j

#endif

/*
 * hungarian4j — float64 price refinement and the optimality certificate (host and device code).
 *
 * Refinement: Jacobi Bellman-Ford on p_σ(i) ≤ c_ij − c_iσ(i) + p'_j with the free objects merged
 * into one node Λ ≤ every assigned price; predecessor cycles (checked every kCycleEvery rounds)
 * prove non-optimality, or, in the repair, release the persons on them. Certificate: after
 * refinement, every person's slack is within a rounding tolerance (the duality gap P − D is 0
 * up to rounding).
 */
#ifndef HUNGARIAN4J_AUCTION_CERTIFY_H
#define HUNGARIAN4J_AUCTION_CERTIFY_H

#include "hungarian4j/auction_blocks.h"

namespace h4j {
namespace auction {

/* ---- float64 scans with p' (free objects at Λ) */
/* Square problems (N == n) have no asymmetric constraint: a free object keeps its own price. */
H4J_HD double pprime(const State& s, int j, double lam) { return (s.owner[j] < 0 && s.rect) ? lam : s.pd[j]; }

/* min over j (j != skip) of c_ij + p'_j with argmin (smallest j on ties) */
H4J_HD ArgD min_scan(const State& s, int i, int skip, double lam, int lane, int nl) {
    ArgD a = argd_ident();
    for (int j = lane; j < s.N; j += nl) {
        if (j == skip) continue;
        ArgD b; b.v = (double)s.K(i, j) + pprime(s, j, lam); b.k = 0; b.j = j;
        a = argd_comb(a, b);
    }
    return a;
}

/* Refinement status */
enum { kRefConverged = 0, kRefCycle = 1, kRefCap = 2 };

/* Predecessor-cycle marking on the leader: mark[i] = -1 for persons on a cycle of pred. */
H4J_HD int mark_cycles(const State& s) {
    const int n = s.n;
    for (int i = 0; i < n; ++i) s.mark[i] = 0;
    int cnt = 0;
    for (int r = 0; r < n; ++r) {
        if (s.mark[r] != 0) continue;
        int k = r;
        while (k >= 0 && s.mark[k] == 0) { s.mark[k] = r + 1; k = s.pred[k]; }
        if (k >= 0 && s.mark[k] == r + 1) {
            int m = k;
            for (int step = 0; step < n && m >= 0; ++step) {   /* a cycle has at most n persons */
                s.mark[m] = -1; ++cnt; m = s.pred[m];
                if (m == k) break;
            }
        }
    }
    return cnt;
}

/* ---- functors of the refinement and slack loops */
struct FnPdInit {
    const State* s;
    H4J_HD void operator()(int j) const { s->pd[j] = (double)s->price[j]; }
};
struct GenOwnedPd {
    const State* s;
    H4J_HD MinMaxD operator()(int j) const {
        MinMaxD m = mmd_ident();
        if (s->owner[j] >= 0) { m.lo = s->pd[j]; m.hi = dabs(s->pd[j]); }
        return m;
    }
};
struct GenOwnedArg {
    const State* s;
    H4J_HD ArgD operator()(int j) const {
        if (s->owner[j] < 0) return argd_ident();
        ArgD a; a.v = s->pd[j]; a.k = 0; a.j = j; return a;
    }
};
struct FnPredReset { const State* s; H4J_HD void operator()(int i) const { s->pred[i] = -1; } };
/* refinement scan of assigned person (over all n persons; free ones give the identity) */
struct ScanRefine {
    const State* s; double lam;
    H4J_HD ArgD operator()(int i, int lane, int nl) const {
        int a = s->asg[i];
        if (a < 0) return argd_ident();
        return min_scan(*s, i, a, lam, lane, nl);
    }
};
struct DoneRefine {
    const State* s;
    H4J_HD void operator()(int i, ArgD m) const {
        int a = s->asg[i];
        if (a < 0) return;
        s->t[i] = m.v - (double)s->K(i, a);
        s->targ[i] = m.j;
    }
};
struct GenRefineApply {
    const State* s; double tau; int lam_pred;
    H4J_HD int operator()(int i) const {
        int a = s->asg[i];
        if (a < 0) return 0;
        if (s->t[i] < s->pd[a] - tau) {
            s->pd[a] = s->t[i];
            int tj = s->targ[i];
            int o = (tj >= 0 && tj < s->N) ? s->owner[tj] : -1;
            s->pred[i] = (o < 0 && s->rect) ? lam_pred : o;   /* via Λ: the owner of the min price */
            return 1;
        }
        return 0;
    }
};
struct GenRelease {   /* release persons with mark == flag; count them */
    const State* s; int flag;
    H4J_HD int operator()(int i) const {
        if (s->mark[i] != flag || s->asg[i] < 0) return 0;
        s->owner[s->asg[i]] = -1; s->asg[i] = -1; return 1;
    }
};
struct LeaderCycles { const State* s; H4J_HD int operator()() const { return mark_cycles(*s); } };
/* slack scan: min over all j of c_ij + p'_j */
struct ScanSlack {
    const State* s; double lam;
    H4J_HD ArgD operator()(int i, int lane, int nl) const {
        if (s->asg[i] < 0) return argd_ident();
        return min_scan(*s, i, -1, lam, lane, nl);
    }
};
/* t[i] = slack of person i (0 for free persons) */
struct DoneSlack {
    const State* s; double lam;
    H4J_HD void operator()(int i, ArgD m) const {
        int a = s->asg[i];
        if (a < 0) { s->t[i] = 0.0; return; }
        s->t[i] = ((double)s->K(i, a) + s->pd[a]) - m.v;
    }
};
struct GenMaxT { const State* s; H4J_HD MinMaxD operator()(int i) const { MinMaxD m = mmd_ident(); m.hi = s->t[i]; return m; } };

/* ---------------- refinement (float64): lowers pd on assigned objects, Λ tracks min.
 * On entry pd[] must hold the prices to start from. Returns kRefConverged / kRefCycle / kRefCap.
 * With release != 0, persons on predecessor cycles are released (their objects join Λ) and the
 * loop continues; it stops (kRefCap) when more than release_limit persons were released. */
H4J_EXEC_CHECK_DISABLE
template <class X>
H4J_AUCTION_DRIVER int refine(Ctx<X>& c, double& lam, double& M, int max_rounds, int release, int release_limit) {
    X& x = c.x; const State& s = c.s; const int n = s.n, N = s.N;
    MinMaxD om = x.reduce(N, mmd_ident(), GenOwnedPd{&s}, MMDComb{});
    ArgD la = x.reduce(N, argd_ident(), GenOwnedArg{&s}, ArgDComb{});
    lam = la.v < H4J_INF64 ? la.v : 0.0;
    int lam_pred = la.v < H4J_INF64 ? s.owner[la.j] : -1;   /* Λ's predecessor: the owner of the min */
    M = c.Mc + om.hi;
    const double tau = mul_rn(2.0 * H4J_EPS64, M);
    x.for_each(n, FnPredReset{&s});
    x.sync();
    int released = 0;
    for (int r = 0; r < max_rounds; ++r) {
        x.for_each_warp(n, argd_ident(), ScanRefine{&s, lam}, ArgDComb{}, DoneRefine{&s});
        x.sync();
        int changed = x.reduce(n, 0, GenRefineApply{&s, tau, lam_pred}, IntSum{});
        c.st.v[kStRefine]++;
        if (changed == 0) return kRefConverged;
        ArgD m2 = x.reduce(N, argd_ident(), GenOwnedArg{&s}, ArgDComb{});
        if (m2.v < lam) { lam = m2.v; lam_pred = s.owner[m2.j]; }
        if ((r + 1) % kCycleEvery == 0) {
            int cyc = x.leader_int(LeaderCycles{&s});
            if (cyc > 0) {
                if (!release) return kRefCycle;
                int rel = x.reduce(n, 0, GenRelease{&s, -1}, IntSum{});
                released += rel;
                c.st.v[kStReleased] += rel;
                x.for_each(n, FnPredReset{&s});
                x.sync();
                lam_pred = -1;
                if (released > release_limit) return kRefCap;
            }
        }
    }
    return kRefCap;
}

/* max slack over assigned persons under (pd, Λ); leaves slack_i in t[] */
H4J_EXEC_CHECK_DISABLE
template <class X>
H4J_AUCTION_DRIVER double max_slack(Ctx<X>& c, double lam) {
    X& x = c.x; const State& s = c.s;
    x.for_each_warp(s.n, argd_ident(), ScanSlack{&s, lam}, ArgDComb{}, DoneSlack{&s, lam});
    x.sync();
    return x.reduce(s.n, mmd_ident(), GenMaxT{&s}, MMDComb{}).hi;
}

/* certificate of the current complete assignment (prices from the auction) */
H4J_EXEC_CHECK_DISABLE
template <class X>
H4J_AUCTION_DRIVER bool certify(Ctx<X>& c) {
    X& x = c.x; const State& s = c.s;
    x.for_each(s.N, FnPdInit{&s});
    x.sync();
    double lam, M;
    int r = refine(c, lam, M, kRefineCap, 0, 0);
    if (r != kRefConverged) return false;
    MinMaxD om = x.reduce(s.N, mmd_ident(), GenOwnedPd{&s}, MMDComb{});
    double M2 = dmax2(M, c.Mc + om.hi);
    double tolp = mul_rn(4.0 * H4J_EPS64, M2);
    return max_slack(c, lam) <= tolp;
}

}  // namespace auction
}  // namespace h4j

#endif

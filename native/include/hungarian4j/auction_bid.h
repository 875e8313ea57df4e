/*
 * hungarian4j — the auction's bid and offer rounds (host and device code).
 *
 * Forward round (Jacobi): each unassigned person scans c_ij + p_j over the objects (a warp's
 * lanes stride over j, the rotation spreads tied bidders), places its bid with a 64-bit atomic
 * max on the object's slot; each object then takes its best bid. Reverse round (asymmetric fix,
 * N > n): each unassigned object priced above λ offers itself to its best person through a
 * per-person atomic min. A scan that found no value (a row without a finite cost) returns the
 * empty marker; neither round indexes with it.
 */
#ifndef HUNGARIAN4J_AUCTION_BID_H
#define HUNGARIAN4J_AUCTION_BID_H

#include "hungarian4j/auction_blocks.h"

namespace h4j {
namespace auction {

/* ------------------------------------------------------------------ per-item round bodies */
/* The executors call these; each touches only its own person/object (or uses atomics). */

/* ---- forward round */
H4J_HD int rot_base(int i, int N, int n) { return (int)(((long long)i * N) / n); }

H4J_HD BidP bid_scan(const State& s, int i, int lane, int nl) {
    const int N = s.N, base = rot_base(i, N, s.n);
    BidP p = bid_ident();
    for (int j = lane; j < N; j += nl) {
        float v = s.K(i, j) + s.price[j];
        int r = j - base; if (r < 0) r += N;
        BidP q; q.w1 = v; q.r1 = r; q.w2 = H4J_INF32;
        p = bid_comb(p, q);
    }
    return p;
}
H4J_HD void bid_place(const State& s, int i, BidP p, float eps) {
    const int N = s.N;
    /* the scan's empty marker (no value compared below +inf): no bid, never an index */
    if (p.r1 < 0 || p.r1 >= N || !(p.w1 < H4J_INF32)) return;
    int j1 = p.r1 + rot_base(i, N, s.n); if (j1 >= N) j1 -= N;
    float pj = s.price[j1];
    float bid = (p.w2 - s.K(i, j1)) + eps;
    if (!(bid > pj)) bid = nextup(pj);
    unsigned long long key = ((unsigned long long)orderable(bid) << 32) | (unsigned)i;
    atomic_max_u64(&s.slot[j1], key);
}
/* object j takes its best bid; returns 1 if it was assigned a (new) person */
H4J_HD void bid_resolve(const State& s, int j) {
    unsigned long long key = s.slot[j];
    if (key == 0ull) return;
    int i = (int)(unsigned)(key & 0xffffffffull);
    float bid = unorderable((uint32_t)(key >> 32));
    int old = s.owner[j];
    if (old >= 0) s.asg[old] = -1;
    s.owner[j] = i; s.asg[i] = j; s.price[j] = bid; s.slot[j] = 0ull;
}

/* ---- reverse round (object j is unassigned and priced above λ) */
H4J_HD BidP rev_scan(const State& s, int j, int lane, int nl) {
    const int n = s.n, base = rot_base(j, n, s.N);
    BidP p = rev_ident();
    for (int i = lane; i < n; i += nl) {
        float b = s.g[i] - s.KO(i, j);   /* lanes over persons: the object-major view */
        int r = i - base; if (r < 0) r += n;
        BidP q; q.w1 = b; q.r1 = r; q.w2 = -H4J_INF32;
        p = rev_comb(p, q);
    }
    return p;
}
H4J_HD void rev_offer(const State& s, int j, BidP p, float lam, float eps) {
    const int n = s.n;
    if (p.r1 < 0 || p.r1 >= n || !(p.w1 > -H4J_INF32)) return;   /* empty marker: no offer */
    if (p.w1 - eps <= lam) { s.price[j] = lam; return; }
    float q = fmax2(lam, p.w2 - eps);
    int i1 = p.r1 + rot_base(j, n, s.N); if (i1 >= n) i1 -= n;
    s.offer_q[j] = q;
    unsigned long long key = ((unsigned long long)orderable(s.K(i1, j) + q) << 32) | (unsigned)j;
    atomic_min_u64(&s.pslot[i1], key);
}
H4J_HD void rev_accept(const State& s, int i) {
    unsigned long long key = s.pslot[i];
    if (key == ~0ull) return;
    int j = (int)(unsigned)(key & 0xffffffffull);
    if (j >= s.N) return;
    int old = s.asg[i];
    if (old >= 0) s.owner[old] = -1;
    s.asg[i] = j; s.owner[j] = i; s.price[j] = s.offer_q[j]; s.pslot[i] = ~0ull;
}

/* ---- functors of the bid and offer loops (structs rather than lambdas, host+device) */
struct ScanBid { const State* s; H4J_HD BidP operator()(int k, int lane, int nl) const { return bid_scan(*s, s->list[k], lane, nl); } };
struct DoneBid { const State* s; float eps; H4J_HD void operator()(int k, BidP p) const { bid_place(*s, s->list[k], p, eps); } };
struct FnResolve { const State* s; H4J_HD void operator()(int j) const { bid_resolve(*s, j); } };
struct GenAsgPrice { const State* s; H4J_HD float operator()(int i) const { return s->price[s->asg[i]]; } };
struct FnPersonG {
    const State* s;
    H4J_HD void operator()(int i) const { int j = s->asg[i]; s->g[i] = s->K(i, j) + s->price[j]; }
};
struct PredRevActive {
    const State* s; float lam;
    H4J_HD bool operator()(int j) const { return s->owner[j] < 0 && s->price[j] > lam; }
};
struct ScanRev { const State* s; H4J_HD BidP operator()(int k, int lane, int nl) const { return rev_scan(*s, s->list[k], lane, nl); } };
struct DoneRev { const State* s; float lam, eps; H4J_HD void operator()(int k, BidP p) const { rev_offer(*s, s->list[k], p, lam, eps); } };
struct FnRevAccept { const State* s; H4J_HD void operator()(int i) const { rev_accept(*s, i); } };

}  // namespace auction
}  // namespace h4j

#endif

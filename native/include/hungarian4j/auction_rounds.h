/*
 * hungarian4j — the exact auction matcher, written once.
 *
 * This header holds the whole algorithm of one problem as a sequence of block-synchronous
 * rounds over a per-problem state (AUCTION.md beside the shared docs is the design):
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

#include <stdint.h>
#include <stddef.h>
#include <string.h>
#include <math.h>

#ifndef H4J_HD
#  ifdef __CUDACC__
#    define H4J_HD __host__ __device__ inline
#  else
#    define H4J_HD inline
#  endif
#endif

/* The driver template calls executor methods that are __device__-only in the CUDA executor. */
#ifdef __CUDACC__
#  define H4J_AUCTION_DRIVER __host__ __device__ inline
#  define H4J_EXEC_CHECK_DISABLE _Pragma("nv_exec_check_disable")
#else
#  define H4J_AUCTION_DRIVER inline
#  define H4J_EXEC_CHECK_DISABLE
#endif

namespace h4j {
namespace auction {

/* ------------------------------------------------------------------ parameters */
enum {
    kRoundCap = 512,        /* forward + reverse rounds over all phases */
    kRefineCap = 32,        /* refinement rounds per certificate attempt */
    kCycleEvery = 2,        /* predecessor-cycle check period (refinement rounds) */
    kTailDiv = 40,          /* a phase's forward rounds stop once <= n/kTailDiv persons are unassigned */
    kStallRounds = 8,       /* ... or when the unassigned count has not dropped for this many rounds */
    kPhaseCap = 64,         /* ε phases (ε shrinks by θ = 1/8 each: a handful in practice) */
    kStatsLen = 8
};
/* kNonFinite: some cost is NaN or ±inf; nothing is matched (asg all -1), nothing is indexed
 * with a value derived from such a cost. */
enum { kTrivial = 0, kCertified = 1, kRepaired = 2, kCappedRepaired = 3, kNonFinite = 4 };
enum { kStOutcome = 0, kStForward, kStReverse, kStRefine, kStPhases, kStAug, kStDijkstra, kStReleased };

#define H4J_EPS64 2.220446049250313080847e-16
#define H4J_INF64 (__builtin_huge_val())
#define H4J_INF32 (__builtin_huge_valf())

/* Problems whose |cost| exceeds this skip the float32 auction (c + p could overflow) and go
 * straight to the float64 shortest augmenting path. */
#define H4J_AUCTION_MAX_ABS 1.0e18f

/* ------------------------------------------------------------------ float helpers */
H4J_HD uint32_t f2u(float f) {
#ifdef __CUDA_ARCH__
    return __float_as_uint(f);
#else
    uint32_t u; memcpy(&u, &f, 4); return u;
#endif
}
H4J_HD float u2f(uint32_t u) {
#ifdef __CUDA_ARCH__
    return __uint_as_float(u);
#else
    float f; memcpy(&f, &u, 4); return f;
#endif
}
/* Monotone map float -> uint32 (negative values sort below positive ones). Never 0 for a
 * finite float, so 0 can mean "empty slot". */
H4J_HD uint32_t orderable(float f) {
    uint32_t u = f2u(f);
    return (u & 0x80000000u) ? ~u : (u | 0x80000000u);
}
H4J_HD float unorderable(uint32_t o) {
    return u2f((o & 0x80000000u) ? (o & 0x7fffffffu) : ~o);
}
/* Smallest float above a finite f. */
H4J_HD float nextup(float f) {
    if (f == 0.0f) return u2f(1u);
    uint32_t u = f2u(f);
    return u2f((u & 0x80000000u) ? u - 1u : u + 1u);
}
/* NaN or ±inf (exponent bits all ones): a bit test, so no compiler flag can fold it away. */
H4J_HD bool non_finite32(float f) { return (f2u(f) & 0x7f800000u) == 0x7f800000u; }
/* ulp of a finite x >= 0 (exact). */
H4J_HD float ulp32(float x) { return nextup(x) - x; }
/* Products that must round exactly as on the other side: never contracted into an FMA with a
 * following add (device: the _rn intrinsics are never contracted; host: an out-of-line call). */
#ifdef __CUDA_ARCH__
__device__ inline float mul_rn(float a, float b) { return __fmul_rn(a, b); }
__device__ inline double mul_rn(double a, double b) { return __dmul_rn(a, b); }
#else
#  if defined(__GNUC__)
__attribute__((noinline, unused))
#  endif
static float mul_rn_f(float a, float b) { volatile float r = a * b; return r; }
#  if defined(__GNUC__)
__attribute__((noinline, unused))
#  endif
static double mul_rn_d(double a, double b) { volatile double r = a * b; return r; }
#  ifdef __CUDACC__
__host__ inline float mul_rn(float a, float b) { return mul_rn_f(a, b); }
__host__ inline double mul_rn(double a, double b) { return mul_rn_d(a, b); }
#  else
inline float mul_rn(float a, float b) { return mul_rn_f(a, b); }
inline double mul_rn(double a, double b) { return mul_rn_d(a, b); }
#  endif
#endif
H4J_HD float fmin2(float a, float b) { return b < a ? b : a; }
H4J_HD float fmax2(float a, float b) { return b > a ? b : a; }
H4J_HD double dmin2(double a, double b) { return b < a ? b : a; }
H4J_HD double dmax2(double a, double b) { return b > a ? b : a; }
H4J_HD double dabs(double a) { return a < 0 ? -a : a; }

/* ------------------------------------------------------------------ state */
/* Cost of person i for object j: c[i*si + j*sj] (persons are rows or columns of the block). */
struct Costs {
    const float* c;
    int si, sj;
    H4J_HD float operator()(int i, int j) const { return c[(ptrdiff_t)i * si + (ptrdiff_t)j * sj]; }
};

struct State {
    Costs K;
    int n, N;                       /* persons, objects (n <= N) */
    int rect;                       /* N > n: free objects are priced at the merged node Λ */
    /* objects [N] */
    float* price; int* owner; unsigned long long* slot; float* snap_price; float* offer_q;
    double* pd; double* spc; int* path; int* list; unsigned char* sc;
    /* persons [n] */
    int* asg; int* snap_asg; float* g; unsigned long long* pslot; double* t; int* targ;
    int* pred; int* mark; double* u; unsigned char* sr;
};

H4J_HD size_t align_up(size_t x) { return (x + 15u) & ~(size_t)15u; }

/* Bytes of per-problem workspace for n persons and N objects (n <= N). */
H4J_HD size_t workspace_bytes(int n, int N) {
    size_t b = 0, NN = (size_t)(N > 0 ? N : 1), nn = (size_t)(n > 0 ? n : 1);
    b += align_up(NN * 8) * 3;          /* slot, pd, spc */
    b += align_up(NN * 4) * 6;          /* price, owner, snap_price, offer_q, path, list */
    b += align_up(NN);                  /* sc */
    b += align_up(nn * 8) * 3;          /* pslot, t, u */
    b += align_up(nn * 4) * 6;          /* asg, snap_asg, g, targ, pred, mark */
    b += align_up(nn);                  /* sr */
    return b;
}

/* Carve the workspace (16-byte aligned base) into the state arrays. */
H4J_HD void carve(State& s, void* base, int n, int N) {
    unsigned char* p = (unsigned char*)base;
    size_t NN = (size_t)(N > 0 ? N : 1), nn = (size_t)(n > 0 ? n : 1);
#define H4J_TAKE(field, T, cnt) do { s.field = (T*)p; p += align_up((cnt) * sizeof(T)); } while (0)
    H4J_TAKE(slot, unsigned long long, NN); H4J_TAKE(pd, double, NN); H4J_TAKE(spc, double, NN);
    H4J_TAKE(price, float, NN); H4J_TAKE(owner, int, NN); H4J_TAKE(snap_price, float, NN);
    H4J_TAKE(offer_q, float, NN); H4J_TAKE(path, int, NN); H4J_TAKE(list, int, NN);
    H4J_TAKE(sc, unsigned char, NN);
    H4J_TAKE(pslot, unsigned long long, nn); H4J_TAKE(t, double, nn); H4J_TAKE(u, double, nn);
    H4J_TAKE(asg, int, nn); H4J_TAKE(snap_asg, int, nn); H4J_TAKE(g, float, nn);
    H4J_TAKE(targ, int, nn); H4J_TAKE(pred, int, nn); H4J_TAKE(mark, int, nn);
    H4J_TAKE(sr, unsigned char, nn);
#undef H4J_TAKE
    s.n = n; s.N = N; s.rect = N > n;
}

/* Orientation of problem block (Q x M, row-major): persons are the smaller side. */
H4J_HD void orient(State& s, const float* block, int Q, int M) {
    if (M <= Q) { s.K.c = block; s.K.si = 1; s.K.sj = M; s.n = M; s.N = Q; }   /* persons = targets */
    else        { s.K.c = block; s.K.si = M; s.K.sj = 1; s.n = Q; s.N = M; }   /* persons = predictions */
    s.rect = s.N > s.n;
}

struct Stats { int v[kStatsLen]; };

/* ------------------------------------------------------------------ atomics (shared with the kernel) */
H4J_HD void atomic_max_u64(unsigned long long* a, unsigned long long v) {
#ifdef __CUDA_ARCH__
    atomicMax(a, v);
#else
    if (v > *a) *a = v;
#endif
}
H4J_HD void atomic_min_u64(unsigned long long* a, unsigned long long v) {
#ifdef __CUDA_ARCH__
    atomicMin(a, v);
#else
    if (v < *a) *a = v;
#endif
}

/* ------------------------------------------------------------------ reduction partials */
/* forward bid scan: best (value, rotated index) and the second-best value */
struct BidP { float w1; int r1; float w2; };
H4J_HD BidP bid_ident() { BidP p; p.w1 = H4J_INF32; p.r1 = 0x7fffffff; p.w2 = H4J_INF32; return p; }
H4J_HD BidP bid_comb(BidP a, BidP b) {
    BidP r;
    if (b.w1 < a.w1 || (b.w1 == a.w1 && b.r1 < a.r1)) { r.w1 = b.w1; r.r1 = b.r1; r.w2 = fmin2(a.w1, b.w2); }
    else { r.w1 = a.w1; r.r1 = a.r1; r.w2 = fmin2(a.w2, b.w1); }
    return r;
}
/* reverse scan: best (β, rotated index) and second-best β (maximisation) */
H4J_HD BidP rev_ident() { BidP p; p.w1 = -H4J_INF32; p.r1 = 0x7fffffff; p.w2 = -H4J_INF32; return p; }
H4J_HD BidP rev_comb(BidP a, BidP b) {
    BidP r;
    if (b.w1 > a.w1 || (b.w1 == a.w1 && b.r1 < a.r1)) { r.w1 = b.w1; r.r1 = b.r1; r.w2 = fmax2(a.w1, b.w2); }
    else { r.w1 = a.w1; r.r1 = a.r1; r.w2 = fmax2(a.w2, b.w1); }
    return r;
}
/* double argmin with a secondary integer key (smaller wins) and index (smaller wins) */
struct ArgD { double v; int k; int j; };
H4J_HD ArgD argd_ident() { ArgD a; a.v = H4J_INF64; a.k = 0x7fffffff; a.j = 0x7fffffff; return a; }
H4J_HD ArgD argd_comb(ArgD a, ArgD b) {
    if (b.v < a.v) return b;
    if (a.v < b.v) return a;
    if (b.k < a.k) return b;
    if (a.k < b.k) return a;
    return b.j < a.j ? b : a;
}
/* range of the finite costs and the number of non-finite ones */
struct MinMaxF { float lo, hi; int bad; };
H4J_HD MinMaxF mmf_ident() { MinMaxF m; m.lo = H4J_INF32; m.hi = -H4J_INF32; m.bad = 0; return m; }
H4J_HD MinMaxF mmf_comb(MinMaxF a, MinMaxF b) {
    MinMaxF m; m.lo = fmin2(a.lo, b.lo); m.hi = fmax2(a.hi, b.hi); m.bad = a.bad + b.bad; return m;
}
struct MinMaxD { double lo, hi; };
H4J_HD MinMaxD mmd_ident() { MinMaxD m; m.lo = H4J_INF64; m.hi = 0.0; return m; }
H4J_HD MinMaxD mmd_comb(MinMaxD a, MinMaxD b) { MinMaxD m; m.lo = dmin2(a.lo, b.lo); m.hi = dmax2(a.hi, b.hi); return m; }

/* Functors (plain structs: usable from host and device code without extended lambdas). */
struct BidComb { H4J_HD BidP operator()(BidP a, BidP b) const { return bid_comb(a, b); } };
struct RevComb { H4J_HD BidP operator()(BidP a, BidP b) const { return rev_comb(a, b); } };
struct ArgDComb { H4J_HD ArgD operator()(ArgD a, ArgD b) const { return argd_comb(a, b); } };
struct MMFComb { H4J_HD MinMaxF operator()(MinMaxF a, MinMaxF b) const { return mmf_comb(a, b); } };
struct MMDComb { H4J_HD MinMaxD operator()(MinMaxD a, MinMaxD b) const { return mmd_comb(a, b); } };
struct IntSum { H4J_HD int operator()(int a, int b) const { return a + b; } };
struct FMin { H4J_HD float operator()(float a, float b) const { return fmin2(a, b); } };

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
        float b = s.g[i] - s.K(i, j);
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

/* ------------------------------------------------------------------ the driver */
/* X must provide (all threads of a block call every method uniformly):
 *   bool leader();  void sync();
 *   template<F> void for_each(int count, F f);                  f(item) on distinct threads
 *   template<P, Scan, Done, Comb> void for_each_warp(int count, P ident, Scan scan, Comb comb, Done done);
 *        P part = scan(item, lane, nlanes); combined over lanes; done(item, P) by one thread
 *   template<P, Gen, Comb> P reduce(int count, P ident, Gen gen, Comb comb);  result to all threads
 *   template<Pred> int compact(int count, Pred pred, int* list);  count to all threads
 *   template<F> int leader_int(F f);   f() on the leader, its int result to all threads
 */

template <class X>
struct Ctx {
    X& x;
    const State& s;
    Stats st;
    double Mc;          /* max |c| */
};

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

/* ---- functors of the driver's loops (structs rather than lambdas, host+device) */
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
struct PredUnassigned { const State* s; H4J_HD bool operator()(int i) const { return s->asg[i] < 0; } };
struct PredUnassignedCount { const State* s; H4J_HD int operator()(int i) const { return s->asg[i] < 0 ? 1 : 0; } };
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
struct FnSnapObj { const State* s; H4J_HD void operator()(int j) const { s->snap_price[j] = s->price[j]; } };
struct FnSnapPer { const State* s; H4J_HD void operator()(int i) const { s->snap_asg[i] = s->asg[i]; } };
struct FnRestoreObj { const State* s; H4J_HD void operator()(int j) const { s->price[j] = s->snap_price[j]; s->owner[j] = -1; } };
struct FnRestorePer {
    const State* s;
    H4J_HD void operator()(int i) const { int j = s->snap_asg[i]; s->asg[i] = j; if (j >= 0) s->owner[j] = i; }
};
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
struct FnMarkSlack {   /* mark[i] = 1 when person i's arc is not exactly tight */
    const State* s;
    H4J_HD void operator()(int i) const { s->mark[i] = (s->asg[i] >= 0 && s->t[i] > 0.0) ? 1 : 0; }
};
/* SAP */
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

/* The whole problem. On return asg[] holds the matching (person -> object) and stats the report. */
H4J_EXEC_CHECK_DISABLE
template <class X>
H4J_AUCTION_DRIVER Stats solve(X& x, const State& s) {
    Ctx<X> c{x, s, Stats(), 0.0};
    for (int k = 0; k < kStatsLen; ++k) c.st.v[k] = 0;
    const int n = s.n, N = s.N;
    c.st.v[kStOutcome] = kTrivial;
    if (n <= 0) return c.st;
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

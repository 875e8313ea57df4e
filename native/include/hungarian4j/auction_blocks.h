/*
 * hungarian4j — the exact auction matcher's building blocks (host and device code).
 *
 * Parameters, the per-problem state and its workspace layout, float helpers that round the
 * same on both sides, the atomics and the reduction partials every round combines, and the
 * executor contract (Ctx) that the rounds are written against. The rounds built from these:
 * auction_bid.h (bid and offer rounds), auction_certify.h (price refinement and certificate),
 * auction_repair.h (exact repair and phase tails), auction_rounds.h (the ε phases: the driver).
 */
#ifndef HUNGARIAN4J_AUCTION_BLOCKS_H
#define HUNGARIAN4J_AUCTION_BLOCKS_H


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
    Costs K;                        /* person scans (a person-major copy when pm is set) */
    Costs KO;                       /* object scans: the block as written (object-major when M <= Q) */
    float* pm;                      /* person-major copy of the costs [n * N] or NULL (see orient) */
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
/* With M <= Q the persons are the targets and a person's costs are a column of the block: a
 * warp scanning them reads with a stride of M floats. Given pm (n * N floats), person scans read
 * a person-major copy there instead (copy_person_major, the first step of solve) and object
 * scans keep the block, so every warp load is contiguous (bench/README.md, "Modelled device
 * time"). The values are the same, so the rounds and the matching are too. */
H4J_HD void orient(State& s, const float* block, int Q, int M, float* pm = 0) {
    if (M <= Q) { s.KO.c = block; s.KO.si = 1; s.KO.sj = M; s.n = M; s.N = Q; }   /* persons = targets */
    else        { s.KO.c = block; s.KO.si = M; s.KO.sj = 1; s.n = Q; s.N = M; }   /* persons = predictions */
    s.rect = s.N > s.n;
    s.K = s.KO;
    s.pm = (pm && s.KO.sj != 1) ? pm : 0;
    if (s.pm) { s.K.c = s.pm; s.K.si = s.N; s.K.sj = 1; }
}
/* pm[i * N + j] = c_ij for k = i * N + j: one pass, contiguous writes (run by the executor) */
struct FnPersonMajor {
    const State* s;
    H4J_HD void operator()(int k) const { const int i = k / s->N, j = k - i * s->N; s->pm[k] = s->KO(i, j); }
};

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

/* ------------------------------------------------------------------ the executor contract */
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

/* persons still unassigned (the forward rounds' work list, the repair's leftovers) */
struct PredUnassigned { const State* s; H4J_HD bool operator()(int i) const { return s->asg[i] < 0; } };
struct PredUnassignedCount { const State* s; H4J_HD int operator()(int i) const { return s->asg[i] < 0 ? 1 : 0; } };

}  // namespace auction
}  // namespace h4j

#endif

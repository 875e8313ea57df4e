// hungarian4j — exact linear sum assignment per image.
//
// Shortest augmenting path for rectangular problems (D. F. Crouse, "On implementing 2D
// rectangular assignment algorithms", IEEE TAES 52(4), 2016, pp. 1685-1686), arranged so that
// every floating-point operation and every tie decision is the one scipy's
// linear_sum_assignment makes: a tall matrix (rows > cols) is transposed first, the costs are
// used in double, reduced costs are evaluated as ((minVal + c) - u[i]) - v[j], the unscanned
// columns are kept in a list filled in reverse order and removed by swapping in the last one,
// and among columns of equal reduced cost the scan keeps the first one of the list order unless
// a later one is unassigned (a free column ends the path). Hence identical indices on ties.
//
// The same decisions, computed in a vector-friendly form (bench/README.md, "Exact matcher pass"):
//  - The scan of a row runs over all columns in index order, 4 doubles at a time (AVX2, picked
//    at run time; else a scalar loop unrolled by 4 with the same lanes), with no index list and
//    no branch: the reduced cost r of a column is computed with the very operations above and
//    spc[j] = r < spc[j] ? r : spc[j] (the compare-and-store of the list scan). A
//    column already scanned in this search ("done") is removed from the scan by poisoning it:
//    its spc is parked aside and set to +inf, its v parked and set to -inf, so that its r is
//    +inf (or NaN): it is never lowered nor picked. Both are put back before the dual update.
//  - Each lane keeps its minimum, the column that reached it and whether a second column of the
//    lane tied with it. When exactly one column attains the overall minimum L that column is the
//    one the list scan picks, whatever the list order. Otherwise (ties) the list order decides:
//    the list (rem) and the inverse permutation (pos) are kept exactly as the list scan keeps
//    them, and the rule of the list scan applied to the tied columns is: the unassigned one that
//    comes last in the list if there is one, else the one that comes first.
//  - path[j] (the row that last lowered spc[j]) is not stored in the scan: for the few columns
//    of the augmenting path it is recomputed afterwards by replaying the reduced costs of the
//    rows scanned before the column was picked, with the same operands (u and v are unchanged
//    during a search), so the same strict comparisons give the same row.
//  - The transposed cost block is not built up front: the first scan of row i (always the row
//    the search starts from) reads column i of the Q x M block strided and writes it out as a
//    contiguous row for the later scans, which only ever revisit rows already started.
//  - Arrays are padded to a multiple of 4 columns; pad columns have v = -inf (never picked).
//
// All buffers live in a thread_local workspace that only grows: steady-state calls do not
// allocate.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <utility>
#include <vector>

#include "cpu_kernels.h"
#include "internal.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

namespace h4j {
namespace {

struct LsapWork {
    std::vector<float> tr;  // nr rows of ncp floats: row i of the (transposed) problem
    std::vector<double> u, v, spc;
    std::vector<double> step_min, park_spc, park_v;      // per step of one search
    std::vector<int> col4row, row4col, rem, pos, step_of;  // rem/pos: the list scan's order
    std::vector<int> vis_rows, vis_cols, moved;
};

LsapWork& lsap_work() {
    thread_local LsapWork w;
    return w;
}

template <typename T>
T* grow(std::vector<T>& x, std::size_t n) {
    if (x.size() < n) x.resize(n);
    return x.data();
}

// ---- the scan of one row: the only O(columns) loop of a search step ---------------------------
//
// Over the columns j in [0, ncp) (4 per step), with c = cost of (row, j) and mv = minVal:
//   r = ((mv + (double)c) - ui) - v[j];  spc[j] = r < spc[j] ? r : spc[j]
// where the first scan of a search takes spc[j] = +inf (and reads c from the source, element j
// at src[j * cs], writing it to the contiguous row trow), the later ones read c from trow.
// Per lane l (the columns j = l mod 4) the result holds the lane's minimum of the new spc, the
// first column that reached it, and whether a later column of the lane equalled it.
struct Lanes {
    double mn[4];
    long long idx[4], multi[4];
};

typedef void (*FirstScanFn)(const float* src, std::size_t cs, int nc, int ncp, float* trow,
                            const double* v, double* spc, double mv, double ui, Lanes* out);
typedef void (*NextScanFn)(const float* trow, int ncp, const double* v, double* spc, double mv,
                           double ui, Lanes* out);

// Portable form: scalar, the four lanes kept in registers by unrolling by 4.
H4J_ALWAYS_INLINE void lane_step(double s, int j, double& mn, long long& idx, long long& multi) {
    if (s < mn) {
        mn = s;
        idx = j;
        multi = 0;
    } else if (s == mn) {
        multi = -1;
    }
}

struct LanesAcc {
    double m0, m1, m2, m3;
    long long i0 = 0, i1 = 0, i2 = 0, i3 = 0, u0 = 0, u1 = 0, u2 = 0, u3 = 0;
    explicit LanesAcc(double inf) : m0(inf), m1(inf), m2(inf), m3(inf) {}
    void out(Lanes* o) const {
        o->mn[0] = m0, o->mn[1] = m1, o->mn[2] = m2, o->mn[3] = m3;
        o->idx[0] = i0, o->idx[1] = i1, o->idx[2] = i2, o->idx[3] = i3;
        o->multi[0] = u0, o->multi[1] = u1, o->multi[2] = u2, o->multi[3] = u3;
    }
};

void first_scan_portable(const float* src, std::size_t cs, int nc, int ncp, float* trow,
                         const double* v, double* spc, double mv, double ui, Lanes* out) {
    const double inf = std::numeric_limits<double>::infinity();
    LanesAcc a(inf);
    auto one = [&](int j, float c) -> double {
        trow[j] = c;
        const double r = mv + (double)c - ui - v[j];
        const double s = r < inf ? r : inf;
        spc[j] = s;
        return s;
    };
    auto cost = [&](int j) { return j < nc ? src[(std::size_t)j * cs] : 0.0f; };
    for (int j = 0; j < ncp; j += 4) {
        lane_step(one(j, cost(j)), j, a.m0, a.i0, a.u0);
        lane_step(one(j + 1, cost(j + 1)), j + 1, a.m1, a.i1, a.u1);
        lane_step(one(j + 2, cost(j + 2)), j + 2, a.m2, a.i2, a.u2);
        lane_step(one(j + 3, cost(j + 3)), j + 3, a.m3, a.i3, a.u3);
    }
    a.out(out);
}

void next_scan_portable(const float* trow, int ncp, const double* v, double* spc, double mv,
                        double ui, Lanes* out) {
    const double inf = std::numeric_limits<double>::infinity();
    LanesAcc a(inf);
    auto one = [&](int j) -> double {
        const double r = mv + (double)trow[j] - ui - v[j];
        const double s = r < spc[j] ? r : spc[j];
        spc[j] = s;
        return s;
    };
    for (int j = 0; j < ncp; j += 4) {
        lane_step(one(j), j, a.m0, a.i0, a.u0);
        lane_step(one(j + 1), j + 1, a.m1, a.i1, a.u1);
        lane_step(one(j + 2), j + 2, a.m2, a.i2, a.u2);
        lane_step(one(j + 3), j + 3, a.m3, a.i3, a.u3);
    }
    a.out(out);
}

#if defined(__x86_64__) && defined(__GNUC__) && !defined(H4J_NO_CLONES)
#define H4J_LSAP_AVX2 1
// AVX2 form: the same lane-wise operations with intrinsics (GCC 12 splits the generic
// float->double vector conversion in two; the intrinsic is one vcvtps2pd). _mm256_min_pd(s, m)
// is s < m ? s : m, as in track().
#define H4J_AVX2 __attribute__((target("avx2")))

struct TrackAvx2 {
    __m256d mn;
    __m256i idx, multi, jv;
};

H4J_AVX2 inline __attribute__((always_inline)) void step_avx2(TrackAvx2& t, const __m256d sj) {
    const __m256d lt = _mm256_cmp_pd(sj, t.mn, _CMP_LT_OQ);
    const __m256d eq = _mm256_cmp_pd(sj, t.mn, _CMP_EQ_OQ);
    t.mn = _mm256_min_pd(sj, t.mn);
    t.idx = _mm256_castpd_si256(
        _mm256_blendv_pd(_mm256_castsi256_pd(t.idx), _mm256_castsi256_pd(t.jv), lt));
    t.multi = _mm256_castpd_si256(
        _mm256_andnot_pd(lt, _mm256_or_pd(_mm256_castsi256_pd(t.multi), eq)));
    t.jv = _mm256_add_epi64(t.jv, _mm256_set1_epi64x(4));
}

H4J_AVX2 inline __attribute__((always_inline)) void out_avx2(const TrackAvx2& t, Lanes* out) {
    _mm256_storeu_pd(out->mn, t.mn);
    _mm256_storeu_si256((__m256i*)out->idx, t.idx);
    _mm256_storeu_si256((__m256i*)out->multi, t.multi);
}

// r < +inf ? r : +inf, spc stored, tracked
H4J_AVX2 inline __attribute__((always_inline)) void first_body_avx2(
    TrackAvx2& t, __m128 c4, float* trow, const double* v, double* spc, __m256d mv4, __m256d ui4,
    __m256d inf4) {
    _mm_storeu_ps(trow, c4);
    const __m256d r = _mm256_sub_pd(_mm256_sub_pd(_mm256_add_pd(mv4, _mm256_cvtps_pd(c4)), ui4),
                                    _mm256_loadu_pd(v));
    const __m256d sj = _mm256_blendv_pd(inf4, r, _mm256_cmp_pd(r, inf4, _CMP_LT_OQ));
    _mm256_storeu_pd(spc, sj);
    step_avx2(t, sj);
}

H4J_AVX2 void first_scan_avx2(const float* src, std::size_t cs, int nc, int ncp, float* trow,
                              const double* v, double* spc, double mv, double ui, Lanes* out) {
    const __m256d mv4 = _mm256_set1_pd(mv), ui4 = _mm256_set1_pd(ui);
    const __m256d inf4 = _mm256_set1_pd(std::numeric_limits<double>::infinity());
    TrackAvx2 t = {inf4, _mm256_setzero_si256(), _mm256_setzero_si256(),
                   _mm256_setr_epi64x(0, 1, 2, 3)};
    const int full = nc & ~3;
    int j0 = 0;
    if (cs == 1) {
        for (; j0 < full; j0 += 4)
            first_body_avx2(t, _mm_loadu_ps(src + j0), trow + j0, v + j0, spc + j0, mv4, ui4, inf4);
    } else {
        const float* p = src;
        const std::size_t step = 4 * cs;
        for (; j0 < full; j0 += 4, p += step) {
            __m128 c4 = _mm_load_ss(p);
            c4 = _mm_insert_ps(c4, _mm_load_ss(p + cs), 0x10);
            c4 = _mm_insert_ps(c4, _mm_load_ss(p + 2 * cs), 0x20);
            c4 = _mm_insert_ps(c4, _mm_load_ss(p + 3 * cs), 0x30);
            first_body_avx2(t, c4, trow + j0, v + j0, spc + j0, mv4, ui4, inf4);
        }
    }
    if (j0 < ncp) {  // the partial last group: pad columns cost 0 (their v is -inf)
        float c[4];
        for (int l = 0; l < 4; ++l) c[l] = j0 + l < nc ? src[(std::size_t)(j0 + l) * cs] : 0.0f;
        first_body_avx2(t, _mm_loadu_ps(c), trow + j0, v + j0, spc + j0, mv4, ui4, inf4);
    }
    out_avx2(t, out);
}

H4J_AVX2 void next_scan_avx2(const float* trow, int ncp, const double* v, double* spc, double mv,
                             double ui, Lanes* out) {
    const __m256d mv4 = _mm256_set1_pd(mv), ui4 = _mm256_set1_pd(ui);
    const __m256d inf4 = _mm256_set1_pd(std::numeric_limits<double>::infinity());
    TrackAvx2 t = {inf4, _mm256_setzero_si256(), _mm256_setzero_si256(),
                   _mm256_setr_epi64x(0, 1, 2, 3)};
    for (int j0 = 0; j0 < ncp; j0 += 4) {
        const __m256d r = _mm256_sub_pd(
            _mm256_sub_pd(_mm256_add_pd(mv4, _mm256_cvtps_pd(_mm_loadu_ps(trow + j0))), ui4),
            _mm256_loadu_pd(v + j0));
        const __m256d s0 = _mm256_loadu_pd(spc + j0);
        const __m256d sj = _mm256_blendv_pd(s0, r, _mm256_cmp_pd(r, s0, _CMP_LT_OQ));
        _mm256_storeu_pd(spc + j0, sj);
        step_avx2(t, sj);
    }
    out_avx2(t, out);
}
#endif

// Solves the nr x nc problem (nr <= nc) whose element (i, j) is src[i * rs + j * cs]; on
// success w.col4row[0..nr) holds the column of every row.
int solve(int nr, int nc, const float* src, std::size_t rs, std::size_t cs, LsapWork& w) {
    const double inf = std::numeric_limits<double>::infinity();
    const int ncp = (nc + 3) & ~3;
    float* tr = grow(w.tr, (std::size_t)nr * ncp);
    double* u = grow(w.u, nr);
    double* v = grow(w.v, ncp);
    double* spc = grow(w.spc, ncp);
    double* step_min = grow(w.step_min, nr);
    double* park_spc = grow(w.park_spc, nr);
    double* park_v = grow(w.park_v, nr);
    int* col4row = grow(w.col4row, nr);
    int* row4col = grow(w.row4col, nc);
    int* rem = grow(w.rem, nc);
    int* pos = grow(w.pos, nc);
    int* step_of = grow(w.step_of, nc);
    int* vis_rows = grow(w.vis_rows, nr);
    int* vis_cols = grow(w.vis_cols, nr);
    int* moved = grow(w.moved, 2 * nr);
    std::fill(u, u + nr, 0.0);
    std::fill(v, v + nc, 0.0);
    std::fill(v + nc, v + ncp, -inf);
    std::fill(spc, spc + ncp, inf);
    std::fill(col4row, col4row + nr, -1);
    std::fill(row4col, row4col + nc, -1);
#if H4J_LSAP_AVX2
    const bool avx2 = __builtin_cpu_supports("avx2");
    const FirstScanFn first_scan = avx2 ? first_scan_avx2 : first_scan_portable;
    const NextScanFn next_scan = avx2 ? next_scan_avx2 : next_scan_portable;
#else
    const FirstScanFn first_scan = first_scan_portable;
    const NextScanFn next_scan = next_scan_portable;
#endif
    for (int j = 0; j < nc; ++j) {
        rem[j] = nc - 1 - j;  // reverse order: identity on constant matrices
        pos[nc - 1 - j] = j;
    }

    for (int cur = 0; cur < nr; ++cur) {
        // ---- shortest augmenting path from row `cur`
        double minVal = 0.0;
        int num_remaining = nc;
        int nvr = 0, nvc = 0, nmoved = 0;
        int i = cur;
        int sink = -1;
        while (sink == -1) {
            vis_rows[nvr] = i;
            step_min[nvr] = minVal;
            ++nvr;
            Lanes t;
            float* trow = tr + (std::size_t)i * ncp;
            if (nvr == 1)
                first_scan(src + (std::size_t)i * rs, cs, nc, ncp, trow, v, spc, minVal, u[i], &t);
            else
                next_scan(trow, ncp, v, spc, minVal, u[i], &t);
            // ---- the column the list scan picks
            double lowest = t.mn[0];
            for (int l = 1; l < 4; ++l) lowest = t.mn[l] < lowest ? t.mn[l] : lowest;
            if (lowest == inf || std::isnan(lowest))
                return set_error(H4J_ERR_INFEASIBLE,
                                 "assignment problem of %d x %d is infeasible", nr, nc);
            int nl = 0, j = -1;
            bool multi = false;
            for (int l = 0; l < 4; ++l)
                if (t.mn[l] == lowest) {
                    ++nl;
                    j = (int)t.idx[l];
                    multi = multi || t.multi[l] != 0;
                }
            if (nl != 1 || multi) {
                // ties: first in list order, or the last unassigned one in list order
                int first = -1, last_free = -1;
                for (int c = 0; c < nc; ++c) {
                    if (spc[c] != lowest) continue;
                    if (first < 0 || pos[c] < pos[first]) first = c;
                    if (row4col[c] == -1 && (last_free < 0 || pos[c] > pos[last_free]))
                        last_free = c;
                }
                j = last_free >= 0 ? last_free : first;
            }
            minVal = spc[j];
            // ---- j leaves the scan: remove it from the list, park and poison its spc and v
            const int p = pos[j];
            const int last = rem[--num_remaining];
            rem[p] = last;
            pos[last] = p;
            moved[nmoved++] = p;
            moved[nmoved++] = last;
            step_of[j] = nvc;
            vis_cols[nvc] = j;
            park_spc[nvc] = spc[j];
            park_v[nvc] = v[j];
            ++nvc;
            spc[j] = inf;
            v[j] = -inf;
            if (row4col[j] == -1)
                sink = j;
            else
                i = row4col[j];
        }

        // ---- un-poison, restore the list
        for (int k = 0; k < nvc; ++k) {
            spc[vis_cols[k]] = park_spc[k];
            v[vis_cols[k]] = park_v[k];
        }
        for (int k = 0; k < nmoved; k += 2) {
            rem[moved[k]] = nc - 1 - moved[k];
            pos[moved[k + 1]] = nc - 1 - moved[k + 1];
        }

        // ---- augment along the path (u, v still those of the search: replay path[j])
        int j = sink;
        for (;;) {
            const int last_step = step_of[j];
            double best = inf;
            int r = -1;
            for (int k = 0; k <= last_step; ++k) {
                const int ik = vis_rows[k];
                const double rk =
                    step_min[k] + (double)tr[(std::size_t)ik * ncp + j] - u[ik] - v[j];
                if (rk < best) {
                    best = rk;
                    r = ik;
                }
            }
            row4col[j] = r;
            std::swap(col4row[r], j);
            if (r == cur) break;
        }

        // ---- dual update (spc of the column each visited row was reached through)
        u[cur] += minVal;
        for (int k = 1; k < nvr; ++k) {
            const int r = vis_rows[k];
            u[r] += minVal - park_spc[k - 1];
        }
        for (int k = 0; k < nvc; ++k) {
            const int c = vis_cols[k];
            v[c] -= minVal - park_spc[k];
        }
    }
    return H4J_OK;
}

}  // namespace

int lsap_block(int Q, int M, const float* block, int* assign_q, double* match_cost) {
    *match_cost = 0.0;
    if (M == 0) {
        std::fill(assign_q, assign_q + Q, -1);
        return H4J_OK;
    }
    LsapWork& w = lsap_work();
    if (M >= Q) {
        if (int rc = solve(Q, M, block, (std::size_t)M, 1, w)) return rc;
        for (int q = 0; q < Q; ++q) assign_q[q] = w.col4row[q];
    } else {
        // tall: solve the transposed M x Q problem, as scipy does (read column-wise)
        if (int rc = solve(M, Q, block, 1, (std::size_t)M, w)) return rc;
        std::fill(assign_q, assign_q + Q, -1);
        for (int j = 0; j < M; ++j) assign_q[w.col4row[j]] = j;
    }
    double s = 0.0;
    for (int q = 0; q < Q; ++q)
        if (assign_q[q] >= 0) s += (double)block[(std::size_t)q * M + assign_q[q]];
    *match_cost = s;
    return H4J_OK;
}

}  // namespace h4j

extern "C" int h4j_cpu_match_exact(int B, int Q, const int* offsets, const float* costs,
                                   int* assign_out, double* matching_cost_out) {
    using namespace h4j;
    return guarded("h4j_cpu_match_exact", [&]() -> int {
        long long T = 0;
        if (int rc = validate_sizes(B, Q)) return rc;
        if (int rc = validate_offsets(B, offsets, &T)) return rc;
        if (int rc = require(assign_out, "assign_out")) return rc;
        if (int rc = validate_costs(B, Q, offsets, costs)) return rc;
        Problem p;
        p.B = B;
        p.Q = Q;
        p.C = 0;
        p.offsets = offsets;
        return for_each_image(
            "h4j_cpu_match_exact", B, estimate_work(p, false, true, false), [&](int b) {
                double mc = 0.0;
                const int M = offsets[b + 1] - offsets[b];
                const int rc = lsap_block(Q, M, costs + (std::size_t)Q * offsets[b],
                                          assign_out + (std::size_t)b * Q, &mc);
                if (matching_cost_out) matching_cost_out[b] = mc;
                return rc;
            });
    });
}

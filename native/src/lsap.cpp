// hungarian4j — exact linear sum assignment per image.
//
// Shortest augmenting path for rectangular problems (D. F. Crouse, "On implementing 2D
// rectangular assignment algorithms", IEEE TAES 52(4), 2016, pp. 1685-1686), arranged so that
// every floating-point operation and every tie decision is the one scipy's
// linear_sum_assignment makes: a tall matrix (rows > cols) is transposed first, the costs are
// used in double, reduced costs are evaluated as ((minVal + c) - u[i]) - v[j], the unscanned
// columns are kept in a list filled in reverse order and removed by swapping in the last one,
// and among columns of equal reduced cost the scan prefers the last one of the list order unless
// an earlier one is unassigned (a free column ends the path). Hence identical indices on ties.
//
// All buffers live in a thread_local workspace that only grows: steady-state calls do not
// allocate.
#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>
#include <vector>

#include "internal.h"

namespace h4j {
namespace {

struct LsapWork {
    std::vector<float> tr;  // transposed block when Q > M
    std::vector<double> u, v, spc;
    std::vector<int> path, col4row, row4col, remaining, vis_rows, vis_cols;
};

LsapWork& lsap_work() {
    thread_local LsapWork w;
    return w;
}

// Solves the nr x nc problem (nr <= nc) on the row-major float matrix `cost`; on success
// w.col4row[0..nr) holds the column of every row.
int solve(int nr, int nc, const float* cost, LsapWork& w) {
    const double inf = std::numeric_limits<double>::infinity();
    w.u.assign(nr, 0.0);
    w.v.assign(nc, 0.0);
    w.spc.resize(nc);
    w.path.assign(nc, -1);
    w.col4row.assign(nr, -1);
    w.row4col.assign(nc, -1);
    w.remaining.resize(nc);
    w.vis_rows.resize(nr);
    w.vis_cols.resize(nc);
    double* u = w.u.data();
    double* v = w.v.data();
    double* spc = w.spc.data();
    int* path = w.path.data();
    int* col4row = w.col4row.data();
    int* row4col = w.row4col.data();
    int* remaining = w.remaining.data();
    int* vis_rows = w.vis_rows.data();
    int* vis_cols = w.vis_cols.data();

    for (int cur = 0; cur < nr; ++cur) {
        // ---- shortest augmenting path from row `cur`
        double minVal = 0.0;
        int num_remaining = nc;
        for (int it = 0; it < nc; ++it) {
            remaining[it] = nc - 1 - it;  // reverse order: identity on constant matrices
            spc[it] = inf;
        }
        int nvr = 0, nvc = 0;
        int i = cur;
        int sink = -1;
        while (sink == -1) {
            int index = -1;
            double lowest = inf;
            vis_rows[nvr++] = i;
            const float* crow = cost + (std::size_t)i * nc;
            const double ui = u[i];
            for (int it = 0; it < num_remaining; ++it) {
                const int j = remaining[it];
                const double r = minVal + (double)crow[j] - ui - v[j];
                if (r < spc[j]) {
                    path[j] = i;
                    spc[j] = r;
                }
                // among equal minima prefer a column that ends the path (an unassigned one)
                if (spc[j] < lowest || (spc[j] == lowest && row4col[j] == -1)) {
                    lowest = spc[j];
                    index = it;
                }
            }
            minVal = lowest;
            if (minVal == inf || index < 0)
                return set_error(H4J_ERR_INFEASIBLE,
                                 "assignment problem of %d x %d is infeasible", nr, nc);
            const int j = remaining[index];
            if (row4col[j] == -1)
                sink = j;
            else
                i = row4col[j];
            vis_cols[nvc++] = j;
            remaining[index] = remaining[--num_remaining];
        }

        // ---- dual update
        u[cur] += minVal;
        for (int k = 1; k < nvr; ++k) {
            const int r = vis_rows[k];
            u[r] += minVal - spc[col4row[r]];
        }
        for (int k = 0; k < nvc; ++k) {
            const int c = vis_cols[k];
            v[c] -= minVal - spc[c];
        }

        // ---- augment along the path
        int j = sink;
        for (;;) {
            const int r = path[j];
            row4col[j] = r;
            std::swap(col4row[r], j);
            if (r == cur) break;
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
        if (int rc = solve(Q, M, block, w)) return rc;
        for (int q = 0; q < Q; ++q) assign_q[q] = w.col4row[q];
    } else {
        // tall: solve the transposed M x Q problem, as scipy does
        const std::size_t n = (std::size_t)Q * M;
        if (w.tr.size() < n) w.tr.resize(n);
        float* tr = w.tr.data();
        for (int q = 0; q < Q; ++q) {
            const float* row = block + (std::size_t)q * M;
            for (int j = 0; j < M; ++j) tr[(std::size_t)j * Q + q] = row[j];
        }
        if (int rc = solve(M, Q, tr, w)) return rc;
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
        if (int rc = validate_dims(B, Q, -1)) return rc;
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

// hungarian4j — pairwise matching costs (CPU: softmax in float with double sums, box terms in
// double, float storage).
// Value-preserving: lets GCC if-convert (and so vectorize) the branch-free selects of the
// kernels, which it otherwise keeps as branches in case a floating-point exception could trap.
// Rounding and results are unchanged; FP exceptions are never unmasked in this library.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("no-trapping-math")
#endif
#include <cmath>
#include <cstring>

#include "cpu_kernels.h"
#include "hungarian4j/hd_math.h"
#include "internal.h"

namespace h4j {

void ImageWork::ensure(int Q, int C, int M, std::size_t cost_len, bool keep_rows) {
    const std::size_t rows = keep_rows ? (std::size_t)Q : 0;
    if (mx.size() < rows) {
        mx.resize(rows);
        inv_s.resize(rows);
        lse.resize(rows);
    }
    const std::size_t ex_len = (keep_rows ? (std::size_t)Q : 1) * (std::size_t)C;
    if (ex.size() < ex_len) ex.resize(ex_len);
    if (tsoa.size() < (std::size_t)M * 9) tsoa.resize((std::size_t)M * 9);
    if (cc.size() < (std::size_t)M) cc.resize(M);
    if (cost.size() < cost_len) cost.resize(cost_len);
}

ImageWork& image_work() {
    thread_local ImageWork w;
    return w;
}

// Per prediction row: the softmax of its C logits once (float exp, double sum), the class cost
// of each of the M labels gathered from it, then the box part of the M pairs in double on the
// targets laid out as a struct of arrays, branch-free so that the loop over targets vectorizes.
H4J_CPU_CLONES
bool image_cost(const Problem& p, int b, ImageWork& w, float* out, bool keep_rows) {
    const int Q = p.Q, C = p.C, M = p.M(b);
    const float* L = p.logits_of(b);
    const float* P = p.boxes_of(b);
    const int* lab = p.labels + p.first(b);
    const float* T = p.tboxes + (std::size_t)p.first(b) * 4;
    const double wc = p.cfg.cost_class, wb = p.cfg.cost_bbox, wg = p.cfg.cost_giou;
    const bool log_prob = p.cfg.log_prob;
    const bool focal = p.cfg.focal;
    const double fa = p.cfg.focal_alpha, fg = p.cfg.focal_gamma;
    double* H4J_RESTRICT tcx = w.tsoa.data();
    double* H4J_RESTRICT tcy = tcx + M;
    double* H4J_RESTRICT tw = tcy + M;
    double* H4J_RESTRICT th = tw + M;
    double* H4J_RESTRICT tx0 = th + M;
    double* H4J_RESTRICT ty0 = tx0 + M;
    double* H4J_RESTRICT tx1 = ty0 + M;
    double* H4J_RESTRICT ty1 = tx1 + M;
    double* H4J_RESTRICT tar = ty1 + M;
    for (int j = 0; j < M; ++j) {
        const float* tb = T + (std::size_t)j * 4;
        const hd::Corners<double> c = hd::to_corners<double>(tb);
        tcx[j] = tb[0];
        tcy[j] = tb[1];
        tw[j] = tb[2];
        th[j] = tb[3];
        tx0[j] = c.x0;
        ty0[j] = c.y0;
        tx1[j] = c.x1;
        ty1[j] = c.y1;
        tar[j] = hd::area<double>(c);
    }
    double* H4J_RESTRICT cc = w.cc.data();
    const double eps = hd::giou_eps<double>();
    bool finite = true;  // every softmax row's logits
    for (int q = 0; q < Q; ++q) {
        const float* row = L + (std::size_t)q * C;
        if (focal) {  // sigmoid per class: no softmax row to keep
            for (int j = 0; j < M; ++j) cc[j] = hd::focal_cost<double>(row[lab[j]], fa, fg);
        } else {
            float* e = keep_rows ? w.ex.data() + (std::size_t)q * C : w.ex.data();
            double s;
            bool row_finite;
            const float m = kern::row_softmax(row, C, e, &s, &row_finite);
            finite = finite && row_finite;
            const double inv_s = 1.0 / s;
            if (keep_rows || log_prob) {
                const double lse = (double)m + std::log(s);
                if (keep_rows) {
                    w.mx[q] = m;
                    w.inv_s[q] = inv_s;
                    w.lse[q] = lse;
                }
                if (log_prob)
                    for (int j = 0; j < M; ++j) cc[j] = lse - (double)row[lab[j]];
            }
            if (!log_prob)
                for (int j = 0; j < M; ++j) cc[j] = -((double)e[lab[j]] * inv_s);
        }

        const float* pb = P + (std::size_t)q * 4;
        const hd::Corners<double> pc = hd::to_corners<double>(pb);
        const double px0 = pc.x0, py0 = pc.y0, px1 = pc.x1, py1 = pc.y1;
        const double parea = hd::area<double>(pc);
        const double p0 = pb[0], p1 = pb[1], p2 = pb[2], p3 = pb[3];
        float* H4J_RESTRICT o = out + (std::size_t)q * M;
        for (int j = 0; j < M; ++j) {
            // hd::giou_corners(pred, target), operation for operation
            const double ix1 = px1 < tx1[j] ? px1 : tx1[j];
            const double ix0 = px0 > tx0[j] ? px0 : tx0[j];
            const double iy1 = py1 < ty1[j] ? py1 : ty1[j];
            const double iy0 = py0 > ty0[j] ? py0 : ty0[j];
            const double iwr = ix1 - ix0, ihr = iy1 - iy0;
            const double iw = iwr > 0.0 ? iwr : 0.0;
            const double ih = ihr > 0.0 ? ihr : 0.0;
            const double inter = iw * ih;
            const double uni = parea + tar[j] - inter;
            const double iou = inter / (uni > eps ? uni : eps);
            const double ex1 = px1 > tx1[j] ? px1 : tx1[j];
            const double ex0 = px0 < tx0[j] ? px0 : tx0[j];
            const double ey1 = py1 > ty1[j] ? py1 : ty1[j];
            const double ey0 = py0 < ty0[j] ? py0 : ty0[j];
            const double ewr = ex1 - ex0, ehr = ey1 - ey0;
            const double ew = ewr > 0.0 ? ewr : 0.0;
            const double eh = ehr > 0.0 ? ehr : 0.0;
            const double encl = ew * eh;
            const double g = iou - (encl - uni) / (encl > eps ? encl : eps);
            const double l1 = std::fabs(p0 - tcx[j]) + std::fabs(p1 - tcy[j]) +
                              std::fabs(p2 - tw[j]) + std::fabs(p3 - th[j]);
            o[j] = (float)(wc * cc[j] + wb * l1 + wg * (-g));
        }
    }
    return finite;
}

// Calibrated single-threaded on the development machine (AVX2 clone, bench_cpu.cpp at the four
// DETR sizes): a prediction row's softmax (cost or loss) ~0.9 ns per logit, a cost pair ~1.5 ns;
// the exact matching of a DETR-like Q x M block ~2 ns * Q * M (short augmenting paths), plus a
// cubic term for harder blocks.
double estimate_work(const Problem& p, bool cost, bool match, bool loss) {
    double T = 0;  // targets summed over the items
    for (int b = 0; b < p.B; ++b) T += p.M(b);
    const double BQ = (double)p.B * p.Q;
    double w = 0;
    if (cost) w += BQ * (0.9 * p.C + 10.0) + (double)p.Q * T * 1.5;
    if (loss) w += BQ * (0.9 * p.C + 10.0);
    if (match) {
        for (int b = 0; b < p.B; ++b) {
            const double M = p.M(b);
            const double lo = M < p.Q ? M : p.Q, hi = M < p.Q ? p.Q : M;
            w += lo * hi * (2.5 + 0.002 * lo);
        }
    }
    return w;
}

}  // namespace h4j

extern "C" int h4j_cpu_cost_blocks(int B, int Q, int C, const float* logits, const float* boxes,
                                   const int* offsets, const int* labels, const float* tboxes,
                                   const double* cfg, float* cost_out) {
    using namespace h4j;
    return guarded("h4j_cpu_cost_blocks", [&]() -> int {
        Problem p;
        long long T = 0;
        if (int rc = setup_problem(B, Q, C, logits, boxes, offsets, labels, tboxes, cfg, &p, &T))
            return rc;
        if (T == 0) return H4J_OK;
        if (int rc = require(cost_out, "cost_out")) return rc;
        std::vector<long long>& overflow = overflow_scratch(B);
        const int rc = for_each_image(
            "h4j_cpu_cost_blocks", B, estimate_work(p, true, false, false), [&](int b) -> int {
                const int M = p.M(b);
                if (M == 0) return H4J_OK;
                ImageWork& w = image_work();
                w.ensure(Q, C, M, 0, false);
                float* block = cost_out + (std::size_t)Q * offsets[b];
                (void)image_cost(p, b, w, block, false);  // the logits were checked up front
                return check_block(b, Q, M, block, overflow);
            });
        return rc ? report_overflow(B, offsets, Q, overflow, rc) : H4J_OK;
    });
}

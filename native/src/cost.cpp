// hungarian4j — pairwise matching costs (CPU, double math, float storage).
#include <cmath>
#include <cstring>

#include "hungarian4j/hd_math.h"
#include "internal.h"

namespace h4j {

void ImageWork::ensure(int Q, int C, int M, std::size_t cost_len) {
    if (lse.size() < (std::size_t)Q) {
        lse.resize(Q);
        mx.resize(Q);
        inv_s.resize(Q);
    }
    if (ex.size() < (std::size_t)Q * C) ex.resize((std::size_t)Q * C);
    if (tc.size() < (std::size_t)M) {
        tc.resize(M);
        tarea.resize(M);
    }
    if (cost.size() < cost_len) cost.resize(cost_len);
}

ImageWork& image_work() {
    thread_local ImageWork w;
    return w;
}

void image_softmax(const Problem& p, int b, ImageWork& w) {
    const int Q = p.Q, C = p.C;
    const float* L = p.logits_of(b);
    for (int q = 0; q < Q; ++q) {
        const float* row = L + (std::size_t)q * C;
        float mf = row[0];
        for (int c = 1; c < C; ++c) mf = row[c] > mf ? row[c] : mf;
        const double m = mf;
        double* e = w.ex.data() + (std::size_t)q * C;
        for (int c = 0; c < C; ++c) e[c] = std::exp((double)row[c] - m);
        double s = 0.0;
        for (int c = 0; c < C; ++c) s += e[c];
        w.mx[q] = m;
        w.inv_s[q] = 1.0 / s;
        w.lse[q] = m + std::log(s);
    }
}

void image_cost(const Problem& p, int b, ImageWork& w, float* out) {
    const int Q = p.Q, C = p.C, M = p.M(b);
    if (M == 0) return;
    const float* L = p.logits_of(b);
    const float* P = p.boxes_of(b);
    const int* lab = p.labels + p.offsets[b];
    const float* T = p.tboxes + (std::size_t)p.offsets[b] * 4;
    const double wc = p.cfg.cost_class, wb = p.cfg.cost_bbox, wg = p.cfg.cost_giou;
    const bool log_prob = p.cfg.log_prob;
    hd::Corners<double>* tc = w.tc.data();
    double* tarea = w.tarea.data();
    for (int j = 0; j < M; ++j) {
        tc[j] = hd::to_corners<double>(T + (std::size_t)j * 4);
        tarea[j] = hd::area<double>(tc[j]);
    }
    for (int q = 0; q < Q; ++q) {
        const float* row = L + (std::size_t)q * C;
        const double* e = w.ex.data() + (std::size_t)q * C;
        const float* pb = P + (std::size_t)q * 4;
        const hd::Corners<double> pc = hd::to_corners<double>(pb);
        const double parea = hd::area<double>(pc);
        const double inv_s = w.inv_s[q], lse = w.lse[q];
        const double p0 = pb[0], p1 = pb[1], p2 = pb[2], p3 = pb[3];
        float* o = out + (std::size_t)q * M;
        for (int j = 0; j < M; ++j) {
            const int lj = lab[j];
            const double cc = log_prob ? lse - (double)row[lj] : -(e[lj] * inv_s);
            const float* tb = T + (std::size_t)j * 4;
            const double l1 = std::fabs(p0 - (double)tb[0]) + std::fabs(p1 - (double)tb[1]) +
                              std::fabs(p2 - (double)tb[2]) + std::fabs(p3 - (double)tb[3]);
            const double g = hd::giou_corners<double>(pc, parea, tc[j], tarea[j]);
            o[j] = (float)(wc * cc + wb * l1 + wg * (-g));
        }
    }
}

double estimate_work(const Problem& p, bool cost, bool match, bool loss) {
    const double T = (double)p.offsets[p.B];
    const double BQ = (double)p.B * p.Q;
    double w = 0;
    if (cost || loss) w += BQ * p.C * 20.0;  // exp per logit
    if (cost) w += (double)p.Q * T * 60.0;
    if (loss) w += BQ * 40.0;
    if (match) {
        for (int b = 0; b < p.B; ++b) {
            const double M = p.offsets[b + 1] - p.offsets[b];
            const double lo = M < p.Q ? M : p.Q, hi = M < p.Q ? p.Q : M;
            w += lo * lo * hi * 3.0;
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
        if (int rc = validate_dims(B, Q, C)) return rc;
        if (int rc = parse_config(cfg, &p.cfg)) return rc;
        if (int rc = validate_offsets(B, offsets, &T)) return rc;
        if (int rc = validate_targets(T, C, labels, tboxes)) return rc;
        if (int rc = validate_predictions(B, Q, C, logits, boxes)) return rc;
        if (T > 0)
            if (int rc = require(cost_out, "cost_out")) return rc;
        p.B = B; p.Q = Q; p.C = C;
        p.logits = logits; p.boxes = boxes; p.offsets = offsets; p.labels = labels;
        p.tboxes = tboxes;
        if (T == 0) return H4J_OK;
        FirstFailure fail;
        auto body = [&](int b) {
            if (p.M(b) == 0) return;
            try {
                ImageWork& w = image_work();
                w.ensure(Q, C, p.M(b), 0);
                image_softmax(p, b, w);
                image_cost(p, b, w, cost_out + (std::size_t)Q * offsets[b]);
            } catch (...) {
                fail.mark(b, H4J_ERR_OUT_OF_MEMORY);
            }
        };
        parallel_for(B, estimate_work(p, true, false, false), body);
        if (fail.any())
            return set_error(fail.status, "h4j_cpu_cost_blocks: image %d failed (%s)",
                             fail.first, h4j_status_string(fail.status));
        return H4J_OK;
    });
}

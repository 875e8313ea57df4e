// hungarian4j — the per-element math shared by the C++ CPU kernels and the CUDA kernels.
//
// Everything here is a header-only inline function, callable from host code and (when compiled
// by nvcc) from device code, templated on the compute type T (float on the GPU, double on the
// CPU and in the finite-difference tests). Conventions are those of contract.md section 1:
//   boxes are (cx, cy, w, h); GIoU is computed on corners (x0, y0, x1, y1) with
//   iou = inter / max(union, 1e-12), giou = iou - (encl - union) / max(encl, 1e-12);
//   softmax / log-softmax subtract the row maximum.
// No function allocates, throws or calls the C library except exp/log/fabs.
#ifndef HUNGARIAN4J_HD_MATH_H
#define HUNGARIAN4J_HD_MATH_H

#ifdef __CUDACC__
#define H4J_HD __host__ __device__ inline
#else
#define H4J_HD inline
#endif

#include <math.h>

namespace h4j {
namespace hd {

/// The floor of contract.md applied to union and enclosing area.
template <typename T>
H4J_HD T giou_eps() { return T(1e-12); }

template <typename T>
H4J_HD T tmax(T a, T b) { return a > b ? a : b; }
template <typename T>
H4J_HD T tmin(T a, T b) { return a < b ? a : b; }

H4J_HD float t_exp(float x) { return expf(x); }
H4J_HD double t_exp(double x) { return exp(x); }
H4J_HD float t_log(float x) { return logf(x); }
H4J_HD double t_log(double x) { return log(x); }
H4J_HD float t_abs(float x) { return fabsf(x); }
H4J_HD double t_abs(double x) { return fabs(x); }
H4J_HD float t_log1p(float x) { return log1pf(x); }
H4J_HD double t_log1p(double x) { return log1p(x); }
H4J_HD float t_pow(float x, float y) { return powf(x, y); }
H4J_HD double t_pow(double x, double y) { return pow(x, y); }

/// sign with sign(0) = 0 (the subgradient PyTorch's |x| uses).
template <typename T>
H4J_HD T sign0(T x) { return x > T(0) ? T(1) : (x < T(0) ? T(-1) : T(0)); }

/// Corner form of one (cx, cy, w, h) box.
template <typename T>
struct Corners {
    T x0, y0, x1, y1;
};

template <typename T, typename In>
H4J_HD Corners<T> to_corners(const In* b) {
    const T cx = T(b[0]), cy = T(b[1]), w = T(b[2]), h = T(b[3]);
    const T hw = T(0.5) * w, hh = T(0.5) * h;
    Corners<T> c;
    c.x0 = cx - hw;
    c.y0 = cy - hh;
    c.x1 = cx + hw;
    c.y1 = cy + hh;
    return c;
}

/// (cx, cy, w, h) -> (x0, y0, x1, y1).
template <typename T, typename In>
H4J_HD void cxcywh_to_xyxy(const In* b, T* out) {
    const Corners<T> c = to_corners<T>(b);
    out[0] = c.x0;
    out[1] = c.y0;
    out[2] = c.x1;
    out[3] = c.y1;
}

/// (x0, y0, x1, y1) -> (cx, cy, w, h).
template <typename T, typename In>
H4J_HD void xyxy_to_cxcywh(const In* b, T* out) {
    const T x0 = T(b[0]), y0 = T(b[1]), x1 = T(b[2]), y1 = T(b[3]);
    out[0] = T(0.5) * (x0 + x1);
    out[1] = T(0.5) * (y0 + y1);
    out[2] = x1 - x0;
    out[3] = y1 - y0;
}

/// Area of a corner box (computed from the corners, as DETR's box_area does).
template <typename T>
H4J_HD T area(const Corners<T>& c) { return (c.x1 - c.x0) * (c.y1 - c.y0); }

/// Generalized IoU of two corner boxes with precomputed areas (the hot loop of the cost
/// kernels converts every box once and calls this per pair).
template <typename T>
H4J_HD T giou_corners(const Corners<T>& a, T area_a, const Corners<T>& b, T area_b) {
    const T iw = tmax(tmin(a.x1, b.x1) - tmax(a.x0, b.x0), T(0));
    const T ih = tmax(tmin(a.y1, b.y1) - tmax(a.y0, b.y0), T(0));
    const T inter = iw * ih;
    const T uni = area_a + area_b - inter;
    const T iou = inter / tmax(uni, giou_eps<T>());
    const T ew = tmax(tmax(a.x1, b.x1) - tmin(a.x0, b.x0), T(0));
    const T eh = tmax(tmax(a.y1, b.y1) - tmin(a.y0, b.y0), T(0));
    const T encl = ew * eh;
    return iou - (encl - uni) / tmax(encl, giou_eps<T>());
}

/// Generalized IoU of a predicted and a target box, both (cx, cy, w, h). In [-1, 1]; finite for
/// zero-area boxes (their iou is 0).
template <typename T, typename InP, typename InT>
H4J_HD T giou(const InP* p, const InT* t) {
    const Corners<T> a = to_corners<T>(p);
    const Corners<T> b = to_corners<T>(t);
    return giou_corners<T>(a, area<T>(a), b, area<T>(b));
}

/// GIoU and its gradient with respect to the predicted box (cx, cy, w, h), written to dp[4]
/// (overwritten). At kinks (tied corners, clamps at 0, the floors) one subgradient is chosen:
/// a tied min/max sends the gradient to neither box side, a clamp at 0 passes none.
template <typename T, typename InP, typename InT>
H4J_HD T giou_grad(const InP* p, const InT* t, T* dp) {
    const Corners<T> a = to_corners<T>(p);
    const Corners<T> b = to_corners<T>(t);
    const T aw = a.x1 - a.x0, ah = a.y1 - a.y0;
    const T area_a = aw * ah;
    const T area_b = (b.x1 - b.x0) * (b.y1 - b.y0);
    const T iw_raw = tmin(a.x1, b.x1) - tmax(a.x0, b.x0);
    const T ih_raw = tmin(a.y1, b.y1) - tmax(a.y0, b.y0);
    const T iw = tmax(iw_raw, T(0));
    const T ih = tmax(ih_raw, T(0));
    const T inter = iw * ih;
    const T uni = area_a + area_b - inter;
    const T eps = giou_eps<T>();
    const bool uni_ok = uni > eps;
    const T U = uni_ok ? uni : eps;
    const T iou = inter / U;
    const T ew_raw = tmax(a.x1, b.x1) - tmin(a.x0, b.x0);
    const T eh_raw = tmax(a.y1, b.y1) - tmin(a.y0, b.y0);
    const T ew = tmax(ew_raw, T(0));
    const T eh = tmax(eh_raw, T(0));
    const T encl = ew * eh;
    const bool encl_ok = encl > eps;
    const T E = encl_ok ? encl : eps;
    const T g = iou - (encl - uni) / E;

    // giou = inter/U - (encl - uni)/E with U = max(uni, eps), E = max(encl, eps).
    const T d_uni = (uni_ok ? -inter / (U * U) : T(0)) + T(1) / E;
    const T d_encl = encl_ok ? -uni / (E * E) : -T(1) / E;
    // uni = area_a + area_b - inter
    const T d_inter = T(1) / U - d_uni;
    const T d_area_a = d_uni;

    T dx0 = T(0), dy0 = T(0), dx1 = T(0), dy1 = T(0);
    // area_a = (x1 - x0) * (y1 - y0)
    dx1 += d_area_a * ah;
    dx0 -= d_area_a * ah;
    dy1 += d_area_a * aw;
    dy0 -= d_area_a * aw;
    // inter = iw * ih, iw = max(min(x1, bx1) - max(x0, bx0), 0)
    if (iw_raw > T(0)) {
        const T d_iw = d_inter * ih;
        if (a.x1 < b.x1) dx1 += d_iw;
        if (a.x0 > b.x0) dx0 -= d_iw;
    }
    if (ih_raw > T(0)) {
        const T d_ih = d_inter * iw;
        if (a.y1 < b.y1) dy1 += d_ih;
        if (a.y0 > b.y0) dy0 -= d_ih;
    }
    // encl = ew * eh, ew = max(max(x1, bx1) - min(x0, bx0), 0)
    if (ew_raw > T(0)) {
        const T d_ew = d_encl * eh;
        if (a.x1 > b.x1) dx1 += d_ew;
        if (a.x0 < b.x0) dx0 -= d_ew;
    }
    if (eh_raw > T(0)) {
        const T d_eh = d_encl * ew;
        if (a.y1 > b.y1) dy1 += d_eh;
        if (a.y0 < b.y0) dy0 -= d_eh;
    }
    // x0 = cx - w/2, x1 = cx + w/2
    dp[0] = dx0 + dx1;
    dp[1] = dy0 + dy1;
    dp[2] = T(0.5) * (dx1 - dx0);
    dp[3] = T(0.5) * (dy1 - dy0);
    return g;
}

/// || p - t ||_1 over (cx, cy, w, h).
template <typename T, typename InP, typename InT>
H4J_HD T l1(const InP* p, const InT* t) {
    return t_abs(T(p[0]) - T(t[0])) + t_abs(T(p[1]) - T(t[1])) + t_abs(T(p[2]) - T(t[2])) +
           t_abs(T(p[3]) - T(t[3]));
}

/// L1 distance and its gradient sign(p - t) (sign(0) = 0) with respect to p, written to dp[4].
template <typename T, typename InP, typename InT>
H4J_HD T l1_grad(const InP* p, const InT* t, T* dp) {
    T s = T(0);
    for (int k = 0; k < 4; ++k) {
        const T d = T(p[k]) - T(t[k]);
        s += t_abs(d);
        dp[k] = sign0(d);
    }
    return s;
}

/// Softmax statistics of one row of n logits: the maximum m and s = sum exp(l - m) (s >= 1).
template <typename T, typename In>
H4J_HD void softmax_stats(const In* logits, int n, T* m_out, T* s_out) {
    T m = T(logits[0]);
    for (int c = 1; c < n; ++c) {
        const T l = T(logits[c]);
        m = l > m ? l : m;
    }
    T s = T(0);
    for (int c = 0; c < n; ++c) s += t_exp(T(logits[c]) - m);
    *m_out = m;
    *s_out = s;
}

/// log-sum-exp of one row of n logits.
template <typename T, typename In>
H4J_HD T log_sum_exp(const In* logits, int n) {
    T m, s;
    softmax_stats<T>(logits, n, &m, &s);
    return m + t_log(s);
}

/// Class cost of a prediction for a label, given the row's softmax statistics (m, s) and the
/// label's logit: -softmax[label] (log_prob == false, DETR's default) or -log_softmax[label].
template <typename T>
H4J_HD T class_cost(T logit_label, T m, T s, bool log_prob) {
    return log_prob ? (m + t_log(s) - logit_label) : -(t_exp(logit_label - m) / s);
}

/// Class cost from the raw row of n logits.
template <typename T, typename In>
H4J_HD T class_cost_row(const In* logits, int n, int label, bool log_prob) {
    T m, s;
    softmax_stats<T>(logits, n, &m, &s);
    return class_cost<T>(T(logits[label]), m, s, log_prob);
}

/// Cross-entropy -log_softmax(logits)[t] of one prediction.
template <typename T, typename In>
H4J_HD T ce_value(const In* logits, int n, int t) {
    return log_sum_exp<T>(logits, n) - T(logits[t]);
}

/// Cross-entropy of one prediction and its gradient times `scale`:
/// g[c] = scale * (softmax(logits)[c] - [c == t]) (overwritten). Returns the unscaled value.
template <typename T, typename In, typename Out>
H4J_HD T ce_grad(const In* logits, int n, int t, T scale, Out* g) {
    T m, s;
    softmax_stats<T>(logits, n, &m, &s);
    const T inv = T(1) / s;
    for (int c = 0; c < n; ++c) {
        const T p = t_exp(T(logits[c]) - m) * inv;
        g[c] = Out(scale * (p - (c == t ? T(1) : T(0))));
    }
    return m + t_log(s) - T(logits[t]);
}

/// The matching cost of contract.md: cost_class * class_cost + cost_bbox * L1 + cost_giou * (-GIoU).
template <typename T, typename InP, typename InT>
H4J_HD T pair_cost(T class_c, const InP* p, const InT* t, T w_class, T w_bbox, T w_giou) {
    return w_class * class_c + w_bbox * l1<T>(p, t) + w_giou * (-giou<T>(p, t));
}

// ---- sigmoid focal loss (contract.md section 3: Deformable DETR, DINO, RT-DETR) ----------------
// Every form below is written with log-sigmoid / softplus so that no log(0) or exp overflow occurs:
// for |x| up to 80 (and beyond) every value and derivative is finite in float and double.

/// softplus(x) = log(1 + e^x) = -log(sigmoid(-x)), as max(x, 0) + log1p(e^-|x|).
template <typename T>
H4J_HD T softplus(T x) { return tmax(x, T(0)) + t_log1p(t_exp(-t_abs(x))); }

/// sigmoid(x) without overflow: e^-|x| is at most 1.
template <typename T>
H4J_HD T sigmoid(T x) {
    const T e = t_exp(-t_abs(x));
    return x >= T(0) ? T(1) / (T(1) + e) : e / (T(1) + e);
}

/// u^g for u in [0, 1] and g >= 0, with 0^0 = 1 (torch's pow), so gamma = 0 is plain BCE; the
/// default gamma = 2 is one multiplication instead of a pow call.
template <typename T>
H4J_HD T focal_pow(T u, T g) { return g == T(2) ? u * u : g == T(0) ? T(1) : t_pow(u, g); }

/// The pieces every focal form needs, from ONE exp and ONE log1p: p = sigmoid(x), r = 1 - p =
/// sigmoid(-x) (computed directly, never as 1 - p), softplus(x) and softplus(-x).
template <typename T>
struct SigmoidParts {
    T p, r, sp_pos, sp_neg;  // sp_pos = softplus(x) = -log(1-p), sp_neg = softplus(-x) = -log(p)
};
template <typename T>
H4J_HD SigmoidParts<T> sigmoid_parts(T x) {
    const T e = t_exp(-t_abs(x));  // in (0, 1]: no overflow
    const T inv = T(1) / (T(1) + e);
    const T l = t_log1p(e);
    SigmoidParts<T> s;
    s.p = x >= T(0) ? inv : e * inv;
    s.r = x >= T(0) ? e * inv : inv;
    s.sp_pos = tmax(x, T(0)) + l;
    s.sp_neg = tmax(-x, T(0)) + l;
    return s;
}

/// Focal class cost of a label's logit x (DINO's matcher): with p = sigmoid(x),
/// alpha (1-p)^g (-log p) - (1-alpha) p^g (-log(1-p)).
template <typename T>
H4J_HD T focal_cost(T x, T alpha, T g) {
    const SigmoidParts<T> s = sigmoid_parts(x);
    return alpha * focal_pow(s.r, g) * s.sp_neg - (T(1) - alpha) * focal_pow(s.p, g) * s.sp_pos;
}

/// Sigmoid focal loss FL(x, y) of one logit (torchvision's sigmoid_focal_loss, unreduced), y = 1
/// for the matched label, 0 elsewhere; *dx receives dFL/dx:
///   y = 1: alpha r^g softplus(-x),     dFL/dx = -alpha r^g (g p softplus(-x) + r)
///   y = 0: (1-alpha) p^g softplus(x),  dFL/dx = (1-alpha) p^g (g r softplus(x) + p)
/// with p = sigmoid(x), r = 1 - p = sigmoid(-x).
template <typename T>
H4J_HD T focal_loss_grad(T x, bool positive, T alpha, T g, T* dx) {
    const SigmoidParts<T> s = sigmoid_parts(x);
    if (positive) {
        const T w = alpha * focal_pow(s.r, g);
        *dx = -w * (g * s.p * s.sp_neg + s.r);
        return w * s.sp_neg;
    }
    const T w = (T(1) - alpha) * focal_pow(s.p, g);
    *dx = w * (g * s.r * s.sp_pos + s.p);
    return w * s.sp_pos;
}

}  // namespace hd
}  // namespace h4j

#endif  // HUNGARIAN4J_HD_MATH_H

// hungarian4j — the vectorizable building blocks of the CPU kernels (C++ only; never seen by nvcc).
//
// The hot per-image functions (image_cost, image_loss) are compiled twice through
// H4J_CPU_CLONES: once for baseline x86-64 (SSE2) and once for AVX2, picked at load time by the
// CPU (GCC/Clang function multiversioning, an ifunc). The helpers below are always inlined into
// them, so the loops vectorize with the clone's ISA. No clone enables FMA, and no loop relies on
// the compiler reassociating a reduction (every reduction is written with a fixed lane order), so
// both clones compute bit-identical results: the numbers never depend on the machine's ISA, nor
// on the number of threads.
#ifndef HUNGARIAN4J_CPU_KERNELS_H
#define HUNGARIAN4J_CPU_KERNELS_H

#include <cstdint>
#include <cstring>

#if defined(__GNUC__)
#define H4J_ALWAYS_INLINE inline __attribute__((always_inline))
#define H4J_RESTRICT __restrict__
#else
#define H4J_ALWAYS_INLINE inline
#define H4J_RESTRICT
#endif

#if defined(__x86_64__) && defined(__has_attribute) && !defined(H4J_NO_CLONES)
#if __has_attribute(target_clones) && defined(__ELF__)
#define H4J_CPU_CLONES __attribute__((target_clones("avx2", "default")))
#endif
#endif
#ifndef H4J_CPU_CLONES
#define H4J_CPU_CLONES
#endif

namespace h4j {
namespace kern {

/// exp(x) in float for x <= 0 (x may be -inf), branch-free so that loops over it vectorize.
/// Range reduction x = n ln2 + r (|r| <= ln2/2 + rounding, Cody-Waite split of ln2) and the
/// degree-7 Taylor polynomial of exp(r) (truncation error below 3e-9 relative), scaled by 2^n
/// built in the exponent bits. Maximum error ~2 ulp against the correctly rounded result
/// (test_math checks it over [-87, 0]). Results below e^-87 (~1.6e-38, under a float's normal
/// range) are flushed to 0: next to the row's maximum term exp(0) = 1 they are invisible. A NaN
/// gives 0 too (never an undefined float-to-int conversion; row_softmax flags NaN rows itself).
H4J_ALWAYS_INLINE float exp_le0(float x) {
    const float lo = -87.0f;
    const bool under = !(x >= lo);
    x = under ? lo : x;
    const float shifter = 12582912.0f;  // 1.5 * 2^23: adding it rounds to an integer
    const float t = x * 1.44269504088896341f + shifter;
    const float n = t - shifter;  // round(x / ln2), in [-126, 0]
    float r = x - n * 0.693359375f;  // ln2 high part: 9 bits, n * hi is exact
    r = r - n * -2.12194440e-4f;     // ln2 low part
    float p = 1.0f / 5040.0f;
    p = p * r + 1.0f / 720.0f;
    p = p * r + 1.0f / 120.0f;
    p = p * r + 1.0f / 24.0f;
    p = p * r + 1.0f / 6.0f;
    p = p * r + 0.5f;
    p = p * r + 1.0f;
    p = p * r + 1.0f;
    const std::int32_t e = ((std::int32_t)n + 127) << 23;  // 2^n, n + 127 in [1, 127]
    float scale;
    std::memcpy(&scale, &e, sizeof scale);
    const float y = p * scale;
    return under ? 0.0f : y;
}

// GCC/Clang generic vectors: 8 floats, 4 doubles. Each clone lowers them to its own ISA (two SSE
// registers in the baseline clone, one AVX register in the AVX2 clone); lane-wise semantics and
// hence the results are the same in both.
typedef float v8f __attribute__((vector_size(32), aligned(4)));
typedef float v4f __attribute__((vector_size(16), aligned(4)));
typedef double v4d __attribute__((vector_size(32)));


/// Softmax statistics of one row of n >= 1 logits: returns the row maximum m, writes
/// e[c] = exp(row[c] - m) (float) and *s_out = sum_c e[c] accumulated in double over 8 lanes in
/// a fixed order (s >= 1: the maximum contributes exp(0) = 1). *finite_out: whether every logit
/// is finite, found in the maximum's loop (x - x is 0, or NaN for a NaN or an infinity), so that
/// checking the logits takes no pass of its own; m, e and s are meaningless when it is false.
H4J_ALWAYS_INLINE float row_softmax(const float* H4J_RESTRICT row, int n, float* H4J_RESTRICT e,
                                    double* s_out, bool* finite_out) {
    int c = 0;
    float m = row[0], z = 0.0f;
    if (n >= 8) {
        v8f mx, zv = {0, 0, 0, 0, 0, 0, 0, 0};
        std::memcpy(&mx, row, sizeof mx);
        zv += mx - mx;
        for (c = 8; c + 8 <= n; c += 8) {
            v8f x;
            std::memcpy(&x, row + c, sizeof x);
            mx = x > mx ? x : mx;
            zv += x - x;
        }
        for (int k = 0; k < 8; ++k) {
            m = mx[k] > m ? mx[k] : m;
            z += zv[k];
        }
    }
    for (; c < n; ++c) {
        m = row[c] > m ? row[c] : m;
        z += row[c] - row[c];
    }
    for (c = 0; c < n; ++c) e[c] = exp_le0(row[c] - m);
    v4d s0 = {0, 0, 0, 0}, s1 = {0, 0, 0, 0};
    c = 0;
    for (; c + 8 <= n; c += 8) {
        v4f lo, hi;
        std::memcpy(&lo, e + c, sizeof lo);
        std::memcpy(&hi, e + c + 4, sizeof hi);
        s0 += __builtin_convertvector(lo, v4d);
        s1 += __builtin_convertvector(hi, v4d);
    }
    double s = ((s0[0] + s1[0]) + (s0[1] + s1[1])) + ((s0[2] + s1[2]) + (s0[3] + s1[3]));
    for (; c < n; ++c) s += (double)e[c];
    *s_out = s;
    *finite_out = z == 0.0f;
    return m;
}

}  // namespace kern
}  // namespace h4j

#endif  // HUNGARIAN4J_CPU_KERNELS_H

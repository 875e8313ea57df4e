// hungarian4j — micro-benchmark driver of the native CPU pipeline (not a test). Built by CMake as
// h4j_cpu_bench (bin/ of the build directory; java/core/target/cmake/bin after mvn install).
//
// Generates DETR-like batches like SyntheticBatch.java (same shape of data, own RNG) and times the
// four CPU entry points: cost (h4j_cpu_cost_blocks), match (h4j_cpu_match_exact on those costs),
// loss (h4j_cpu_loss with gradients, given the matching) and total (h4j_cpu_forward with
// gradients). Prints the median and p90 µs per batch, and a checksum of the outputs.
//
// Run:   java/core/target/cmake/bin/h4j_cpu_bench [--sizes 8x100x91x10,...] [--iterations N] [--warmup N] [--threads N]
//                       [--stage cost|match|loss|total|all] [--log-prob]
//                       [--layers L [--groups G] [--focal]] [--gap-us N]
// With --layers (contract.md section 3) it times instead, interleaved call by call so that all
// see the same machine: the one-layer call (h4j_cpu_forward of layer 0; once after the L-layer
// calls, once repeated on its now cache-hot data) against one h4j_cpu_forward_layers call of all
// L layers (contiguous), one h4j_cpu_forward_layers_v call (one pointer per layer), one
// h4j_cpu_forward_layers_io call (memcpy callbacks) and L one-layer calls on the L layers, and
// prints the L-layer medians over L times the one-layer medians.
// --gap-us N: the calling thread sleeps N µs before each timed call (with --layers: before each
// of the interleaved calls, so "cache-hot" then only means the same data as the call before), as
// a training loop leaves the library idle between steps: the pool's workers have gone to sleep
// and each call finds them asleep, where back-to-back calls find them polling.
// For instruction counts: valgrind --tool=callgrind h4j_cpu_bench --iterations 1 --warmup 0
//   --threads 1 (callgrind serializes threads anyway; --threads 1 keeps the count repeatable).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "hungarian4j/hungarian4j.h"

namespace {

struct Rng {
    std::uint64_t s;
    explicit Rng(std::uint64_t seed) : s(seed) {}
    std::uint64_t next() {  // splitmix64
        std::uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    double uniform() { return (double)(next() >> 11) * (1.0 / 9007199254740992.0); }
    int below(int n) { return (int)(uniform() * n); }
};

struct Batch {
    int B, Q, K, C;
    std::vector<float> logits, boxes, tboxes;
    std::vector<int> offsets, labels;
};

void random_box(Rng& r, float* o) {
    o[0] = (float)(0.1 + 0.8 * r.uniform());
    o[1] = (float)(0.1 + 0.8 * r.uniform());
    o[2] = (float)(0.02 + 0.4 * r.uniform());
    o[3] = (float)(0.02 + 0.4 * r.uniform());
}

Batch generate(std::uint64_t seed, int B, int Q, int K, int M) {
    Rng r(seed);
    Batch b{B, Q, K, K + 1, {}, {}, {}, {}, {}};
    const int C = K + 1;
    b.offsets.resize(B + 1);
    for (int i = 0; i <= B; ++i) b.offsets[i] = i * M;
    const int T = B * M;
    b.labels.resize(T);
    b.tboxes.resize((std::size_t)T * 4);
    for (int t = 0; t < T; ++t) {
        b.labels[t] = r.below(K);
        random_box(r, &b.tboxes[(std::size_t)t * 4]);
    }
    b.logits.resize((std::size_t)B * Q * C);
    b.boxes.resize((std::size_t)B * Q * 4);
    for (int i = 0; i < B; ++i)
        for (int q = 0; q < Q; ++q) {
            const std::size_t row = (std::size_t)i * Q + q;
            float* l = &b.logits[row * C];
            for (int k = 0; k < C; ++k) l[k] = (float)(r.uniform() * 2 - 1);
            if (M > 0 && r.uniform() < 0.3) {
                const int t = i * M + r.below(M);
                for (int k = 0; k < 4; ++k) {
                    const float v = b.tboxes[(std::size_t)t * 4 + k] + (float)((r.uniform() - 0.5) * 0.05);
                    b.boxes[row * 4 + k] = k >= 2 ? std::max(0.01f, v) : v;
                }
                l[b.labels[t]] += 4.0f;
            } else {
                random_box(r, &b.boxes[row * 4]);
                l[K] += 3.0f;
            }
        }
    return b;
}

double now_us() {
    return std::chrono::duration<double, std::micro>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// Layers 1..L-1 of a decoder: layer 0 perturbed (its logits and box centres), as refining
// decoder layers differ from each other; laid out contiguously after layer 0.
std::vector<float> perturbed_layers(Rng& r, const std::vector<float>& base, int L, float scale,
                                    bool boxes) {
    std::vector<float> out(base.size() * L);
    std::copy(base.begin(), base.end(), out.begin());
    for (int l = 1; l < L; ++l)
        for (std::size_t i = 0; i < base.size(); ++i) {
            float v = base[i] + (float)((r.uniform() - 0.5) * scale);
            if (boxes && i % 4 >= 2) v = std::max(0.01f, v);
            out[l * base.size() + i] = v;
        }
    return out;
}

int g_gap_us = 0;  // --gap-us

// The idle time before a timed call (--gap-us).
void gap() {
    if (g_gap_us > 0) std::this_thread::sleep_for(std::chrono::microseconds(g_gap_us));
}

template <typename F>
void time_stage(const char* size, const char* name, int warmup, int iters, F&& f) {
    for (int i = 0; i < warmup; ++i) {
        gap();
        f();
    }
    std::vector<double> t(iters);
    for (int i = 0; i < iters; ++i) {
        gap();
        const double t0 = now_us();
        f();
        t[i] = now_us() - t0;
    }
    std::sort(t.begin(), t.end());
    const double med = t[iters / 2];
    const double p90 = t[std::min(iters - 1, (int)(iters * 0.9))];
    std::printf("%-16s %-6s median %10.1f us   p90 %10.1f us\n", size, name, med, p90);
}

void check(int rc, const char* what) {
    if (rc != H4J_OK) {
        std::fprintf(stderr, "%s failed: %s\n", what, h4j_last_error());
        std::exit(1);
    }
}

// Each h4j_layer_io callback of the _io timing: memcpy between the layers' arrays and the scratch.
struct MemcpyIo {
    const std::vector<const float*>& logits;
    const std::vector<const float*>& boxes;
    const std::vector<float*>& grad_logits;
    const std::vector<float*>& grad_boxes;
    int C;

    static int load(void* ctx, int l, int row, int rows, float* logits_dst, float* boxes_dst) {
        const auto* io = static_cast<const MemcpyIo*>(ctx);
        std::memcpy(logits_dst, io->logits[l] + (std::size_t)row * io->C, sizeof(float) * rows * io->C);
        std::memcpy(boxes_dst, io->boxes[l] + (std::size_t)row * 4, sizeof(float) * rows * 4);
        return H4J_OK;
    }
    static int store(void* ctx, int l, int row, int rows, const float* grad_logits,
                     const float* grad_boxes) {
        const auto* io = static_cast<const MemcpyIo*>(ctx);
        std::memcpy(io->grad_logits[l] + (std::size_t)row * io->C, grad_logits,
                    sizeof(float) * rows * io->C);
        std::memcpy(io->grad_boxes[l] + (std::size_t)row * 4, grad_boxes, sizeof(float) * rows * 4);
        return H4J_OK;
    }
};

// One-layer call vs L-layer calls, interleaved call by call; medians and their ratios.
void time_layers(const char* size, const Batch& b, int L, bool focal, const double* cfg, int warmup,
                 int iters) {
    const int B = b.B, Q = b.Q;
    // focal: K sigmoid logits per query (drop the no-object column of the generated batch)
    const int C = focal ? b.K : b.C;
    std::vector<float> l0((std::size_t)B * Q * C);
    for (std::size_t row = 0; row < (std::size_t)B * Q; ++row)
        std::copy_n(&b.logits[row * b.C], C, &l0[row * C]);
    Rng r(7);
    const std::vector<float> logits = perturbed_layers(r, l0, L, 0.6f, false);
    const std::vector<float> boxes = perturbed_layers(r, b.boxes, L, 0.04f, true);
    const std::size_t nl = l0.size(), nb = b.boxes.size();
    std::vector<const float*> lp(L), bp(L);
    std::vector<float*> glp(L), gbp(L);
    std::vector<float> gl(nl * L), gb(nb * L);
    for (int l = 0; l < L; ++l) {
        lp[l] = &logits[l * nl];
        bp[l] = &boxes[l * nb];
        glp[l] = &gl[l * nl];
        gbp[l] = &gb[l * nb];
    }
    std::vector<int> assign((std::size_t)L * B * Q);
    std::vector<double> mc((std::size_t)L * B), terms((std::size_t)L * H4J_TERMS_LEN);
    MemcpyIo ctx{lp, bp, glp, gbp, C};
    const h4j_layer_io io{&ctx, &MemcpyIo::load, &MemcpyIo::store};
    // The one-layer call on layer 0; timed twice per round: first after the L-layer calls have
    // gone through all layers ("one"), then right again on the same data ("hot"), as a one-layer
    // benchmark repeating one call sees it (one layer's arrays then stay in the caches).
    auto one = [&] {
        check(h4j_cpu_forward(B, Q, C, logits.data(), boxes.data(), b.offsets.data(), b.labels.data(),
                              b.tboxes.data(), cfg, assign.data(), mc.data(), terms.data(), gl.data(),
                              gb.data()),
              "forward");
    };
    auto all = [&] {
        check(h4j_cpu_forward_layers(L, B, Q, C, logits.data(), boxes.data(), b.offsets.data(),
                                     b.labels.data(), b.tboxes.data(), cfg, assign.data(), mc.data(),
                                     terms.data(), gl.data(), gb.data()),
              "forward_layers");
    };
    auto vec = [&] {
        check(h4j_cpu_forward_layers_v(L, B, Q, C, lp.data(), bp.data(), b.offsets.data(),
                                       b.labels.data(), b.tboxes.data(), cfg, assign.data(),
                                       mc.data(), terms.data(), glp.data(), gbp.data()),
              "forward_layers_v");
    };
    // the io entry point (h4j_cpu_forward_layers_io): every item copied in and out by callbacks,
    // as the JDK 17-21 JNI glue does with array regions
    auto viaio = [&] {
        check(h4j_cpu_forward_layers_io(L, B, Q, C, &io, b.offsets.data(), b.labels.data(),
                                        b.tboxes.data(), cfg, assign.data(), mc.data(),
                                        terms.data(), 1),
              "forward_layers_io");
    };
    // the batched call's baseline: L one-layer calls, each on its own layer's arrays (the same
    // working set)
    auto each = [&] {
        for (int l = 0; l < L; ++l)
            check(h4j_cpu_forward(B, Q, C, lp[l], bp[l], b.offsets.data(), b.labels.data(),
                                  b.tboxes.data(), cfg, assign.data() + (std::size_t)l * B * Q,
                                  mc.data() + (std::size_t)l * B,
                                  terms.data() + (std::size_t)l * H4J_TERMS_LEN, glp[l], gbp[l]),
                  "forward");
    };
    enum { ONE, HOT, ALL, VEC, IO, EACH, N };
    const std::function<void()> calls[N] = {one, one, all, vec, viaio, each};
    for (int i = 0; i < warmup; ++i)
        for (const auto& c : calls) c();
    std::vector<double> t[N];
    for (auto& v : t) v.resize(iters);
    for (int i = 0; i < iters; ++i)
        for (int k = 0; k < N; ++k) {
            gap();
            const double t0 = now_us();
            calls[k]();
            t[k][i] = now_us() - t0;
        }
    double m[N];
    for (int k = 0; k < N; ++k) {
        std::sort(t[k].begin(), t[k].end());
        m[k] = t[k][iters / 2];
    }
    std::printf("%-16s L%d one layer %9.1f us after the L layers, %9.1f us repeated (cache-hot)\n",
                size, L, m[ONE], m[HOT]);
    std::printf("%-16s L%d L layers  %9.1f us (%.2fx one layer, %.2fx cache-hot), _v %9.1f us, "
                "_io %9.1f us (memcpy callbacks, %.2fx); L one-layer calls %9.1f us "
                "(L layers / them %.2fx)\n",
                size, L, m[ALL], m[ALL] / m[ONE], m[ALL] / m[HOT], m[VEC], m[IO], m[IO] / m[ONE],
                m[EACH], m[ALL] / m[EACH]);
    double total_sum = 0;
    for (int l = 0; l < L; ++l) total_sum += terms[(std::size_t)l * H4J_TERMS_LEN + H4J_TERM_TOTAL];
    std::printf("%-16s check  total_all_layers %.12g\n", size, total_sum);
}

}  // namespace

int main(int argc, char** argv) {
    std::string sizes = "8x100x91x10,64x100x91x20,16x300x91x50,4x900x91x100";
    std::string stage = "all";
    int iters = 50, warmup = 10, threads = 0, layers = 0, groups = 1;
    bool log_prob = false, focal = false;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto val = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "%s needs a value\n", a.c_str());
                std::exit(2);
            }
            return argv[++i];
        };
        if (a == "--sizes") sizes = val();
        else if (a == "--iterations") iters = std::max(1, std::atoi(val().c_str()));
        else if (a == "--warmup") warmup = std::max(0, std::atoi(val().c_str()));
        else if (a == "--threads") threads = std::atoi(val().c_str());
        else if (a == "--stage") stage = val();
        else if (a == "--log-prob") log_prob = true;
        else if (a == "--layers") layers = std::max(1, std::atoi(val().c_str()));
        else if (a == "--groups") groups = std::max(1, std::atoi(val().c_str()));
        else if (a == "--focal") focal = true;
        else if (a == "--gap-us") g_gap_us = std::max(0, std::atoi(val().c_str()));
        else {
            std::fprintf(stderr, "unknown argument %s\n", a.c_str());
            return 2;
        }
    }
    h4j_set_max_threads(threads);
    double cfg[H4J_CFG_LEN] = {1, 5, 2, log_prob ? 1.0 : 0.0, 1, 5, 2, 0.1, 0};
    cfg[H4J_CFG_GROUPS] = groups;
    if (focal) {
        cfg[H4J_CFG_CLASS_COST] = H4J_CLASS_COST_FOCAL;
        cfg[H4J_CFG_LOSS_CLASS] = H4J_LOSS_CLASS_FOCAL;
        cfg[H4J_CFG_FOCAL_ALPHA] = 0.25;
        cfg[H4J_CFG_FOCAL_GAMMA] = 2;
    }
    const bool all = stage == "all";
    std::size_t pos = 0;
    while (pos < sizes.size()) {
        std::size_t end = sizes.find(',', pos);
        if (end == std::string::npos) end = sizes.size();
        const std::string sz = sizes.substr(pos, end - pos);
        pos = end + 1;
        int B, Q, K, M;
        if (std::sscanf(sz.c_str(), "%dx%dx%dx%d", &B, &Q, &K, &M) != 4) {
            std::fprintf(stderr, "bad size %s\n", sz.c_str());
            return 2;
        }
        const Batch b = generate(42, B, Q, K, M);
        if (layers > 0) {
            time_layers(sz.c_str(), b, layers, focal, cfg, warmup, iters);
            continue;
        }
        const int C = b.C;
        const int T = b.offsets[B];
        std::vector<float> costs((std::size_t)Q * T);
        std::vector<int> assign((std::size_t)B * Q);
        std::vector<double> mc(B), terms(H4J_TERMS_LEN);
        std::vector<float> gl((std::size_t)B * Q * C), gb((std::size_t)B * Q * 4);
        auto cost = [&] {
            check(h4j_cpu_cost_blocks(B, Q, C, b.logits.data(), b.boxes.data(), b.offsets.data(),
                                      b.labels.data(), b.tboxes.data(), cfg, costs.data()),
                  "cost");
        };
        auto match = [&] {
            check(h4j_cpu_match_exact(B, Q, b.offsets.data(), costs.data(), assign.data(),
                                      mc.data()),
                  "match");
        };
        auto loss = [&] {
            check(h4j_cpu_loss(B, Q, C, b.logits.data(), b.boxes.data(), b.offsets.data(),
                               b.labels.data(), b.tboxes.data(), cfg, assign.data(),
                               terms.data(), gl.data(), gb.data()),
                  "loss");
        };
        auto total = [&] {
            check(h4j_cpu_forward(B, Q, C, b.logits.data(), b.boxes.data(), b.offsets.data(),
                                  b.labels.data(), b.tboxes.data(), cfg, assign.data(), mc.data(),
                                  terms.data(), gl.data(), gb.data()),
                  "forward");
        };
        cost();
        match();
        if (all || stage == "cost") time_stage(sz.c_str(), "cost", warmup, iters, cost);
        if (all || stage == "match") time_stage(sz.c_str(), "match", warmup, iters, match);
        if (all || stage == "loss") time_stage(sz.c_str(), "loss", warmup, iters, loss);
        if (all || stage == "total") time_stage(sz.c_str(), "total", warmup, iters, total);
        // checksums (so before/after builds can be compared for equal results)
        double cs = 0, msum = 0, gsum = 0;
        for (float c : costs) cs += c;
        for (double v : mc) msum += v;
        for (float g : gl) gsum += std::fabs(g);
        for (float g : gb) gsum += std::fabs(g);
        std::printf("%-16s check  costs %.9g  matching %.9g  total %.12g  |grad| %.9g\n",
                    sz.c_str(), cs, msum, terms[H4J_TERM_TOTAL], gsum);
    }
    return 0;
}

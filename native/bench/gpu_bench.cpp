// hungarian4j — GPU timings of the device-resident API, with cudaEvents on one stream.
//
// For each size (B, Q, C, M): cost (h4j_cuda_cost_blocks), match (h4j_cuda_match_auction_bounded
// on precomputed costs), loss (h4j_cuda_loss with gradients, given the matching) and forward
// (one whole h4j_cuda_forward with gradients, caller workspace). Median and p90 over N
// iterations (default 200) after warm-up, each iteration timed alone (event pair around the
// call). Prints a table, the auction's outcome and round counts, then one JSON line.
//
// usage: h4j_gpu_bench [--iterations N] [--sizes B,Q,C,M;B,Q,C,M...]
#include <cuda_runtime.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "../tests/gpu_common.h"
#include "hungarian4j/auction.h"
#include "hungarian4j/hungarian4j.h"

namespace {

#define CU(call)                                                                             \
    do {                                                                                     \
        const cudaError_t e_ = (call);                                                       \
        if (e_ != cudaSuccess) {                                                             \
            std::fprintf(stderr, "FATAL %s:%d: %s: %s\n", __FILE__, __LINE__, #call,        \
                         cudaGetErrorString(e_));                                            \
            std::exit(1);                                                                    \
        }                                                                                    \
    } while (0)
#define H4(call)                                                                             \
    do {                                                                                     \
        const int rc_ = (call);                                                              \
        if (rc_ != H4J_OK) {                                                                 \
            std::fprintf(stderr, "FATAL %s:%d: %s returned %d: %s\n", __FILE__, __LINE__,  \
                         #call, rc_, h4j_last_error());                                      \
            std::exit(1);                                                                    \
        }                                                                                    \
    } while (0)

template <class T>
T* dev_copy(const std::vector<T>& v) {
    T* p = nullptr;
    CU(cudaMalloc((void**)&p, sizeof(T) * std::max<size_t>(v.size(), 1)));
    if (!v.empty()) CU(cudaMemcpy(p, v.data(), sizeof(T) * v.size(), cudaMemcpyHostToDevice));
    return p;
}
template <class T>
T* dev_alloc(size_t n) {
    T* p = nullptr;
    CU(cudaMalloc((void**)&p, sizeof(T) * std::max<size_t>(n, 1)));
    return p;
}

struct Size {
    int B, Q, C, M;
    bool vary = false;  // M_b uniform in [0, M] (seeded) instead of M for every image
};

struct Stat {
    double median_us, p90_us;
};

template <class F>
Stat time_it(int iters, cudaStream_t st, F f) {
    cudaEvent_t a, b;
    CU(cudaEventCreate(&a));
    CU(cudaEventCreate(&b));
    for (int i = 0; i < 10; ++i) f();  // warm-up
    CU(cudaStreamSynchronize(st));
    std::vector<double> us(iters);
    for (int i = 0; i < iters; ++i) {
        CU(cudaEventRecord(a, st));
        f();
        CU(cudaEventRecord(b, st));
        CU(cudaEventSynchronize(b));
        float ms = 0;
        CU(cudaEventElapsedTime(&ms, a, b));
        us[i] = 1000.0 * ms;
    }
    CU(cudaEventDestroy(a));
    CU(cudaEventDestroy(b));
    std::sort(us.begin(), us.end());
    return {us[us.size() / 2], us[std::min(us.size() - 1, us.size() * 9 / 10)]};
}

struct Row {
    Size s;
    Stat cost, match, loss, fwd;
    int outcomes[5];
    double mean_fwd_rounds, mean_rev_rounds, max_rounds;
};

Row run_size(const Size& sz, int iters, cudaStream_t st) {
    // M targets per image (M <= 100 for the B=64, Q=300 case: uniform in [0, M])
    std::vector<int> Ms(sz.B, sz.M);
    if (sz.vary) {
        unsigned x = 12345u;
        for (int& m : Ms) {
            x = x * 1103515245u + 12345u;
            m = (int)((x >> 8) % (unsigned)(sz.M + 1));
        }
    }
    const h4jgpu::Batch b = h4jgpu::make_batch(sz.B, sz.Q, sz.C, Ms, 2024u + sz.B + sz.Q);
    const size_t BQ = (size_t)b.B * b.Q, T = (size_t)b.T();
    float* logits = dev_copy(b.logits);
    float* boxes = dev_copy(b.boxes);
    float* tboxes = dev_copy(b.tboxes);
    int* offs = dev_copy(b.offsets);
    int* labels = dev_copy(b.labels);
    float* costs = dev_alloc<float>(BQ ? (size_t)b.Q * T : 1);
    int* assign = dev_alloc<int>(BQ);
    double* mcost = dev_alloc<double>(b.B);
    int* stats = dev_alloc<int>((size_t)b.B * H4J_AUCTION_STATS_LEN);
    double* terms = dev_alloc<double>(H4J_TERMS_LEN);
    float* gl = dev_alloc<float>(BQ * b.C);
    float* gb = dev_alloc<float>(BQ * 4);
    size_t ws_loss = 0, ws_fwd = 0;
    H4(h4j_cuda_loss_workspace_size(b.B, b.Q, b.C, &ws_loss));
    H4(h4j_cuda_forward_workspace_size(b.B, b.Q, b.C, (int)T, b.max_m(), &ws_fwd));
    void* wl = dev_alloc<unsigned char>(ws_loss);
    void* wf = dev_alloc<unsigned char>(ws_fwd);
    const int max_m = b.max_m();

    Row r;
    r.s = sz;
    r.cost = time_it(iters, st, [&] {
        H4(h4j_cuda_cost_blocks(b.B, b.Q, b.C, logits, boxes, offs, labels, tboxes, nullptr, costs, st));
    });
    r.match = time_it(iters, st, [&] {
        H4(h4j_cuda_match_auction_bounded(b.B, b.Q, max_m, offs, costs, assign, mcost, stats, st));
    });
    r.loss = time_it(iters, st, [&] {
        H4(h4j_cuda_loss(b.B, b.Q, b.C, logits, boxes, offs, labels, tboxes, nullptr, assign, wl, ws_loss,
                         terms, gl, gb, st));
    });
    r.fwd = time_it(iters, st, [&] {
        H4(h4j_cuda_forward(b.B, b.Q, b.C, max_m, logits, boxes, offs, labels, tboxes, nullptr, wf, ws_fwd,
                            assign, mcost, terms, gl, gb, stats, st));
    });
    CU(cudaStreamSynchronize(st));
    std::vector<int> hs((size_t)b.B * H4J_AUCTION_STATS_LEN);
    CU(cudaMemcpy(hs.data(), stats, sizeof(int) * hs.size(), cudaMemcpyDeviceToHost));
    std::memset(r.outcomes, 0, sizeof r.outcomes);
    double fr = 0, rr = 0, mx = 0;
    for (int i = 0; i < b.B; ++i) {
        const int* s = &hs[(size_t)i * H4J_AUCTION_STATS_LEN];
        const int o = s[H4J_AUCTION_STAT_OUTCOME];
        r.outcomes[(o >= 0 && o <= 3) ? o : 4]++;
        fr += s[H4J_AUCTION_STAT_FORWARD_ROUNDS];
        rr += s[H4J_AUCTION_STAT_REVERSE_ROUNDS];
        mx = std::max(mx, (double)(s[H4J_AUCTION_STAT_FORWARD_ROUNDS] + s[H4J_AUCTION_STAT_REVERSE_ROUNDS]));
    }
    r.mean_fwd_rounds = fr / b.B;
    r.mean_rev_rounds = rr / b.B;
    r.max_rounds = mx;
    double ht[H4J_TERMS_LEN];
    CU(cudaMemcpy(ht, terms, sizeof ht, cudaMemcpyDeviceToHost));
    std::printf("  (B=%d Q=%d C=%d M%s%d, T=%d) total loss %.6g, num_boxes %g\n", sz.B, sz.Q, sz.C, sz.vary ? "<=" : "=", sz.M,
                (int)T, ht[H4J_TERM_TOTAL], ht[H4J_TERM_NUM_BOXES]);
    for (void* p : {(void*)logits, (void*)boxes, (void*)tboxes, (void*)offs, (void*)labels, (void*)costs,
                    (void*)assign, (void*)mcost, (void*)stats, (void*)terms, (void*)gl, (void*)gb, wl, wf})
        CU(cudaFree(p));
    return r;
}

}  // namespace

int main(int argc, char** argv) {
    int iters = 200;
    std::vector<Size> sizes = {{8, 100, 92, 10}, {64, 100, 92, 20}, {16, 300, 92, 50}, {4, 900, 92, 100},
                               {64, 300, 92, 100, true}};
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--iterations") && i + 1 < argc) {
            iters = std::max(1, std::atoi(argv[++i]));
        } else if (!std::strcmp(argv[i], "--sizes") && i + 1 < argc) {
            sizes.clear();
            std::string s = argv[++i];
            size_t at = 0;
            while (at < s.size()) {
                size_t end = s.find(';', at);
                if (end == std::string::npos) end = s.size();
                Size z{};
                if (std::sscanf(s.substr(at, end - at).c_str(), "%d,%d,%d,%d", &z.B, &z.Q, &z.C, &z.M) == 4)
                    sizes.push_back(z);
                at = end + 1;
            }
        } else {
            std::fprintf(stderr, "usage: %s [--iterations N] [--sizes B,Q,C,M;...]\n", argv[0]);
            return 2;
        }
    }
    if (!h4j_cuda_available()) {
        int n = 0;
        h4j_cuda_device_count(&n);
        std::printf("SKIPPED: no CUDA device (%s)\n", h4j_last_error());
        return 77;
    }
    char name[256] = "";
    h4j_cuda_device_name(0, name, sizeof name);
    std::printf("device: %s, %d iterations per stage (median / p90 in microseconds, whole batch)\n", name, iters);
    cudaStream_t st;
    CU(cudaStreamCreateWithFlags(&st, cudaStreamNonBlocking));
    std::vector<Row> rows;
    for (const Size& s : sizes) rows.push_back(run_size(s, iters, st));
    CU(cudaStreamDestroy(st));

    std::printf("\n%4s %4s %4s %4s | %9s %9s %9s %9s | %s\n", "B", "Q", "C", "M", "cost", "match", "loss",
                "forward", "auction outcomes triv/cert/rep/cap/other, mean fwd+rev rounds, max rounds");
    for (const Row& r : rows)
        std::printf("%4d %4d %4d %s%3d | %9.1f %9.1f %9.1f %9.1f | %d/%d/%d/%d/%d, %.1f+%.1f, %.0f\n", r.s.B, r.s.Q,
                    r.s.C, r.s.vary ? "<=" : "  ", r.s.M, r.cost.median_us, r.match.median_us, r.loss.median_us, r.fwd.median_us,
                    r.outcomes[0], r.outcomes[1], r.outcomes[2], r.outcomes[3], r.outcomes[4], r.mean_fwd_rounds,
                    r.mean_rev_rounds, r.max_rounds);
    std::printf("\n{\"device\": \"%s\", \"iterations\": %d, \"results\": [", name, iters);
    for (size_t i = 0; i < rows.size(); ++i) {
        const Row& r = rows[i];
        std::printf("%s{\"batch\": %d, \"queries\": %d, \"classes\": %d, \"targets\": %d, \"targets_vary\": %s, "
                    "\"median_us\": {\"cost\": %.2f, \"match\": %.2f, \"loss\": %.2f, \"total\": %.2f}, "
                    "\"p90_us\": {\"cost\": %.2f, \"match\": %.2f, \"loss\": %.2f, \"total\": %.2f}, "
                    "\"auction\": {\"trivial\": %d, \"certified\": %d, \"repaired\": %d, \"capped_repaired\": %d, "
                    "\"other\": %d, \"mean_forward_rounds\": %.2f, \"mean_reverse_rounds\": %.2f, \"max_rounds\": %.0f}}",
                    i ? ", " : "", r.s.B, r.s.Q, r.s.C - 1, r.s.M, r.s.vary ? "true" : "false", r.cost.median_us, r.match.median_us,
                    r.loss.median_us, r.fwd.median_us, r.cost.p90_us, r.match.p90_us, r.loss.p90_us, r.fwd.p90_us,
                    r.outcomes[0], r.outcomes[1], r.outcomes[2], r.outcomes[3], r.outcomes[4], r.mean_fwd_rounds,
                    r.mean_rev_rounds, r.max_rounds);
    }
    std::printf("]}\n");
    return 0;
}

// hungarian4j — every C entry point under hostile arguments: negative, zero and overflowing sizes,
// NULL pointers, broken offsets. Each call must return a non-OK status with a message (or, for
// the CUDA functions of a machine without a device, H4J_ERR_NO_DEVICE) and never crash. Arrays
// are always at least as long as the sizes claim: a C function cannot detect a caller that lies
// about an array's length, so that is not a hostile argument but a broken contract.
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "harness.h"
#include "hungarian4j/auction.h"
#include "hungarian4j/hungarian4j.h"

namespace {

// A valid batch: B = 2, Q = 3, C = 4, targets {1, 2}.
struct Base {
    int B = 2, Q = 3, C = 4;
    std::vector<float> logits = std::vector<float>(2 * 3 * 4, 0.5f);
    std::vector<float> boxes = {0.5f, 0.5f, 0.2f, 0.2f, 0.4f, 0.4f, 0.1f, 0.3f, 0.6f, 0.5f, 0.2f, 0.1f,
                                0.5f, 0.5f, 0.2f, 0.2f, 0.4f, 0.4f, 0.1f, 0.3f, 0.6f, 0.5f, 0.2f, 0.1f};
    std::vector<int> offsets = {0, 1, 3};
    std::vector<int> labels = {0, 2, 1};
    std::vector<float> tboxes = {0.5f, 0.5f, 0.2f, 0.2f, 0.3f, 0.3f, 0.1f, 0.1f, 0.7f, 0.6f, 0.2f, 0.3f};
    std::vector<float> costs = std::vector<float>(3 * 3, 1.0f);
    std::vector<int> assign = std::vector<int>(6, -1);
    std::vector<double> mc = std::vector<double>(2, 0.0);
    std::vector<double> terms = std::vector<double>(H4J_TERMS_LEN, 0.0);
    std::vector<float> gl = std::vector<float>(2 * 3 * 4, 0.0f);
    std::vector<float> gb = std::vector<float>(2 * 3 * 4, 0.0f);
    std::vector<int> stats = std::vector<int>(2 * H4J_AUCTION_STATS_LEN, 0);
    std::vector<float> cost_out = std::vector<float>(3 * 3, 0.0f);
};

// Sizes that are bad on their own, or whose products overflow an int (B*Q >= 2^31).
struct Dims {
    int B, Q, C;
};
const Dims kBadDims[] = {
    {0, 3, 4},       {-1, 3, 4},       {INT_MIN, 3, 4}, {2, 0, 4},        {2, -1, 4},
    {2, INT_MIN, 4}, {2, 3, 1},        {2, 3, 0},       {2, 3, -1},       {2, 3, INT_MIN},
    {65536, 65536, 4}, {INT_MAX, INT_MAX, 4}, {INT_MAX, 2, 4},
};
// the matchers have no C
const Dims kBadSizes[] = {
    {0, 3, 0}, {-1, 3, 0}, {INT_MIN, 3, 0}, {2, 0, 0}, {2, -7, 0}, {2, INT_MIN, 0},
    {65536, 65536, 0}, {INT_MAX, INT_MAX, 0},
};

bool failed_with_message(int rc) {
    return rc != H4J_OK && h4j_last_error() != nullptr && std::strlen(h4j_last_error()) > 0;
}

// The CUDA functions report a missing device first; with a device, they report the argument.
bool cuda_refused(int rc) { return rc == H4J_ERR_NO_DEVICE || failed_with_message(rc); }

}  // namespace

TEST(base_batch_is_valid) {
    Base a;
    CHECK_EQ(h4j_cpu_forward(a.B, a.Q, a.C, a.logits.data(), a.boxes.data(), a.offsets.data(),
                             a.labels.data(), a.tboxes.data(), nullptr, a.assign.data(), a.mc.data(),
                             a.terms.data(), a.gl.data(), a.gb.data()),
             H4J_OK);
}

TEST(bad_dims_are_refused_by_every_cpu_function) {
    for (const Dims& d : kBadDims) {
        Base a;
        CHECK_MSG(failed_with_message(h4j_cpu_forward(d.B, d.Q, d.C, a.logits.data(), a.boxes.data(),
                                                      a.offsets.data(), a.labels.data(), a.tboxes.data(),
                                                      nullptr, a.assign.data(), a.mc.data(), a.terms.data(),
                                                      a.gl.data(), a.gb.data())),
                  "forward B=%d Q=%d C=%d", d.B, d.Q, d.C);
        CHECK_MSG(failed_with_message(h4j_cpu_cost_blocks(d.B, d.Q, d.C, a.logits.data(), a.boxes.data(),
                                                          a.offsets.data(), a.labels.data(),
                                                          a.tboxes.data(), nullptr, a.cost_out.data())),
                  "cost_blocks B=%d Q=%d C=%d", d.B, d.Q, d.C);
        CHECK_MSG(failed_with_message(h4j_cpu_loss(d.B, d.Q, d.C, a.logits.data(), a.boxes.data(),
                                                   a.offsets.data(), a.labels.data(), a.tboxes.data(),
                                                   nullptr, a.assign.data(), a.terms.data(), a.gl.data(),
                                                   a.gb.data())),
                  "loss B=%d Q=%d C=%d", d.B, d.Q, d.C);
        CHECK_MSG(cuda_refused(h4j_cuda_cost_blocks_host(d.B, d.Q, d.C, a.logits.data(), a.boxes.data(),
                                                         a.offsets.data(), a.labels.data(),
                                                         a.tboxes.data(), nullptr, a.cost_out.data())),
                  "cuda_cost_blocks_host B=%d Q=%d C=%d", d.B, d.Q, d.C);
        CHECK_MSG(cuda_refused(h4j_cuda_loss_host(d.B, d.Q, d.C, a.logits.data(), a.boxes.data(),
                                                  a.offsets.data(), a.labels.data(), a.tboxes.data(),
                                                  nullptr, a.assign.data(), a.terms.data(), a.gl.data(),
                                                  a.gb.data())),
                  "cuda_loss_host B=%d Q=%d C=%d", d.B, d.Q, d.C);
        CHECK_MSG(cuda_refused(h4j_cuda_forward_host(d.B, d.Q, d.C, a.logits.data(), a.boxes.data(),
                                                     a.offsets.data(), a.labels.data(), a.tboxes.data(),
                                                     nullptr, a.assign.data(), a.mc.data(), a.terms.data(),
                                                     a.gl.data(), a.gb.data(), a.stats.data())),
                  "cuda_forward_host B=%d Q=%d C=%d", d.B, d.Q, d.C);
        size_t bytes = 0;
        CHECK(cuda_refused(h4j_cuda_loss_workspace_size(d.B, d.Q, d.C, &bytes)));
        CHECK(cuda_refused(h4j_cuda_forward_workspace_size(d.B, d.Q, d.C, 3, 2, &bytes)));
    }
}

TEST(bad_sizes_are_refused_by_every_matcher) {
    for (const Dims& d : kBadSizes) {
        Base a;
        CHECK_MSG(failed_with_message(h4j_cpu_match_exact(d.B, d.Q, a.offsets.data(), a.costs.data(),
                                                          a.assign.data(), a.mc.data())),
                  "match_exact B=%d Q=%d", d.B, d.Q);
        CHECK_MSG(failed_with_message(h4j_cpu_match_auction(d.B, d.Q, a.offsets.data(), a.costs.data(),
                                                            a.assign.data(), a.mc.data(), a.stats.data())),
                  "match_auction B=%d Q=%d", d.B, d.Q);
        CHECK_MSG(cuda_refused(h4j_cuda_match_auction_host(d.B, d.Q, a.offsets.data(), a.costs.data(),
                                                           a.assign.data(), a.mc.data(), a.stats.data())),
                  "cuda_match_auction_host B=%d Q=%d", d.B, d.Q);
    }
}

TEST(null_pointers_are_refused) {
    Base a;
    // h4j_cpu_forward: every required pointer NULL in turn
    const float* L = a.logits.data();
    const float* X = a.boxes.data();
    const int* O = a.offsets.data();
    const int* Y = a.labels.data();
    const float* T = a.tboxes.data();
    int* A = a.assign.data();
    double* R = a.terms.data();
    CHECK(failed_with_message(h4j_cpu_forward(2, 3, 4, nullptr, X, O, Y, T, nullptr, A, nullptr, R, nullptr, nullptr)));
    CHECK(failed_with_message(h4j_cpu_forward(2, 3, 4, L, nullptr, O, Y, T, nullptr, A, nullptr, R, nullptr, nullptr)));
    CHECK(failed_with_message(h4j_cpu_forward(2, 3, 4, L, X, nullptr, Y, T, nullptr, A, nullptr, R, nullptr, nullptr)));
    CHECK(failed_with_message(h4j_cpu_forward(2, 3, 4, L, X, O, nullptr, T, nullptr, A, nullptr, R, nullptr, nullptr)));
    CHECK(failed_with_message(h4j_cpu_forward(2, 3, 4, L, X, O, Y, nullptr, nullptr, A, nullptr, R, nullptr, nullptr)));
    CHECK(failed_with_message(h4j_cpu_forward(2, 3, 4, L, X, O, Y, T, nullptr, nullptr, nullptr, R, nullptr, nullptr)));
    CHECK(failed_with_message(h4j_cpu_forward(2, 3, 4, L, X, O, Y, T, nullptr, A, nullptr, nullptr, nullptr, nullptr)));
    CHECK(failed_with_message(h4j_cpu_forward(2, 3, 4, L, X, O, Y, T, nullptr, A, nullptr, R, a.gl.data(), nullptr)));
    CHECK(failed_with_message(h4j_cpu_forward(2, 3, 4, L, X, O, Y, T, nullptr, A, nullptr, R, nullptr, a.gb.data())));
    // h4j_cpu_cost_blocks
    CHECK(failed_with_message(h4j_cpu_cost_blocks(2, 3, 4, nullptr, X, O, Y, T, nullptr, a.cost_out.data())));
    CHECK(failed_with_message(h4j_cpu_cost_blocks(2, 3, 4, L, X, nullptr, Y, T, nullptr, a.cost_out.data())));
    CHECK(failed_with_message(h4j_cpu_cost_blocks(2, 3, 4, L, X, O, Y, T, nullptr, nullptr)));
    // h4j_cpu_loss
    CHECK(failed_with_message(h4j_cpu_loss(2, 3, 4, L, X, O, Y, T, nullptr, nullptr, R, nullptr, nullptr)));
    CHECK(failed_with_message(h4j_cpu_loss(2, 3, 4, L, X, O, Y, T, nullptr, A, nullptr, nullptr, nullptr)));
    CHECK(failed_with_message(h4j_cpu_loss(2, 3, 4, L, nullptr, O, Y, T, nullptr, A, R, nullptr, nullptr)));
    // matchers
    CHECK(failed_with_message(h4j_cpu_match_exact(2, 3, nullptr, a.costs.data(), A, nullptr)));
    CHECK(failed_with_message(h4j_cpu_match_exact(2, 3, O, nullptr, A, nullptr)));
    CHECK(failed_with_message(h4j_cpu_match_exact(2, 3, O, a.costs.data(), nullptr, nullptr)));
    CHECK(failed_with_message(h4j_cpu_match_auction(2, 3, nullptr, a.costs.data(), A, nullptr, nullptr)));
    CHECK(failed_with_message(h4j_cpu_match_auction(2, 3, O, nullptr, A, nullptr, nullptr)));
    CHECK(failed_with_message(h4j_cpu_match_auction(2, 3, O, a.costs.data(), nullptr, nullptr, nullptr)));
    // the CUDA entry points (device pointers are never dereferenced on the host)
    CHECK(cuda_refused(h4j_cuda_forward_host(2, 3, 4, nullptr, X, O, Y, T, nullptr, A, nullptr, R, nullptr, nullptr, nullptr)));
    CHECK(cuda_refused(h4j_cuda_loss_host(2, 3, 4, L, X, nullptr, Y, T, nullptr, A, R, nullptr, nullptr)));
    CHECK(cuda_refused(h4j_cuda_cost_blocks_host(2, 3, 4, L, X, O, Y, T, nullptr, nullptr)));
    CHECK(cuda_refused(h4j_cuda_match_auction_host(2, 3, nullptr, a.costs.data(), A, nullptr, nullptr)));
    CHECK(cuda_refused(h4j_cuda_forward(2, 3, 4, 2, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr,
                                        nullptr, 0, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr)));
    CHECK(cuda_refused(h4j_cuda_loss(2, 3, 4, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr,
                                     nullptr, 0, nullptr, nullptr, nullptr, nullptr)));
    CHECK(cuda_refused(h4j_cuda_cost_blocks(2, 3, 4, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr,
                                            nullptr, nullptr)));
    CHECK(cuda_refused(h4j_cuda_match_auction(2, 3, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr)));
    CHECK(cuda_refused(h4j_cuda_match_auction_bounded(2, 3, -1, nullptr, nullptr, nullptr, nullptr, nullptr,
                                                      nullptr)));
    CHECK(cuda_refused(h4j_cuda_loss_workspace_size(2, 3, 4, nullptr)));
    CHECK(cuda_refused(h4j_cuda_forward_workspace_size(2, 3, 4, 3, 2, nullptr)));
    CHECK(cuda_refused(h4j_cuda_forward_workspace_size(2, 3, 4, -1, 2, nullptr)));
    CHECK(cuda_refused(h4j_cuda_device_count(nullptr)));
    CHECK(cuda_refused(h4j_cuda_device_name(0, nullptr, 16)));
    // pinned staging: a NULL out-pointer or 0 bytes is refused; a refusal leaves *ptr_out NULL
    CHECK(cuda_refused(h4j_cuda_host_alloc(64, nullptr)));
    void* pinned = reinterpret_cast<void*>(0x1);
    CHECK(cuda_refused(h4j_cuda_host_alloc(0, &pinned)));
    CHECK(pinned == nullptr);
    pinned = reinterpret_cast<void*>(0x1);
    CHECK(cuda_refused(h4j_cuda_host_alloc(SIZE_MAX, &pinned)));
    CHECK(pinned == nullptr);
    CHECK_EQ(h4j_cuda_host_free(nullptr), H4J_OK);
    char name[4];
    CHECK(cuda_refused(h4j_cuda_device_name(0, name, 0)));
    CHECK(cuda_refused(h4j_cuda_device_name(0, name, INT_MIN)));
    CHECK(cuda_refused(h4j_cuda_device_name(-1, name, 4)));
    CHECK(cuda_refused(h4j_cuda_device_name(INT_MAX, name, 4)));
}

TEST(broken_offsets_are_refused) {
    const std::vector<std::vector<int>> bad = {{1, 1, 3}, {-1, 1, 3}, {0, 2, 1}, {0, -5, 3}, {0, 1, INT_MIN},
                                               {INT_MIN, 0, 0}};
    for (const std::vector<int>& o : bad) {
        Base a;
        CHECK(failed_with_message(h4j_cpu_forward(2, 3, 4, a.logits.data(), a.boxes.data(), o.data(),
                                                  a.labels.data(), a.tboxes.data(), nullptr, a.assign.data(),
                                                  nullptr, a.terms.data(), nullptr, nullptr)));
        CHECK(failed_with_message(h4j_cpu_match_exact(2, 3, o.data(), a.costs.data(), a.assign.data(), nullptr)));
        CHECK(failed_with_message(
            h4j_cpu_match_auction(2, 3, o.data(), a.costs.data(), a.assign.data(), nullptr, nullptr)));
        CHECK(failed_with_message(h4j_cpu_loss(2, 3, 4, a.logits.data(), a.boxes.data(), o.data(),
                                               a.labels.data(), a.tboxes.data(), nullptr, a.assign.data(),
                                               a.terms.data(), nullptr, nullptr)));
    }
}

TEST(bad_assignments_and_config_are_refused) {
    Base a;
    const std::vector<std::vector<int>> bad = {{INT_MIN, -1, -1, -1, -1, -1}, {1, -1, -1, -1, -1, -1},
                                               {-1, -1, -1, INT_MAX, -1, -1}, {-1, -1, -1, 0, 0, -1}};
    for (const std::vector<int>& asg : bad)
        CHECK(failed_with_message(h4j_cpu_loss(2, 3, 4, a.logits.data(), a.boxes.data(), a.offsets.data(),
                                               a.labels.data(), a.tboxes.data(), nullptr, asg.data(),
                                               a.terms.data(), nullptr, nullptr)));
    std::vector<double> cfg(H4J_CFG_LEN, 0.0);
    cfg[H4J_CFG_COST_CLASS] = -1;
    CHECK(failed_with_message(h4j_cpu_forward(2, 3, 4, a.logits.data(), a.boxes.data(), a.offsets.data(),
                                              a.labels.data(), a.tboxes.data(), cfg.data(), a.assign.data(),
                                              nullptr, a.terms.data(), nullptr, nullptr)));
    cfg[H4J_CFG_COST_CLASS] = 1;
    cfg[H4J_CFG_CLASS_COST] = 1e300;
    CHECK(failed_with_message(h4j_cpu_forward(2, 3, 4, a.logits.data(), a.boxes.data(), a.offsets.data(),
                                              a.labels.data(), a.tboxes.data(), cfg.data(), a.assign.data(),
                                              nullptr, a.terms.data(), nullptr, nullptr)));
    cfg[H4J_CFG_CLASS_COST] = 0;
    cfg[H4J_CFG_REDUCTION] = -1e-300;
    CHECK(failed_with_message(h4j_cpu_forward(2, 3, 4, a.logits.data(), a.boxes.data(), a.offsets.data(),
                                              a.labels.data(), a.tboxes.data(), cfg.data(), a.assign.data(),
                                              nullptr, a.terms.data(), nullptr, nullptr)));
}

TEST(bad_labels_are_refused) {
    for (int bad : {-1, 3, INT_MIN, INT_MAX}) {
        Base a;
        a.labels[1] = bad;
        CHECK(failed_with_message(h4j_cpu_forward(2, 3, 4, a.logits.data(), a.boxes.data(), a.offsets.data(),
                                                  a.labels.data(), a.tboxes.data(), nullptr, a.assign.data(),
                                                  nullptr, a.terms.data(), nullptr, nullptr)));
    }
}

TEST(finite_inputs_whose_cost_overflows_are_refused_naming_the_box) {
    // with cost_bbox = 1 only the pair (query 1, target 1) of image 1 overflows: |3e38 - (-1e38)| > 3.4e38
    Base a;
    a.boxes[4 * 4 + 0] = 3e38f;   // image 1, query 1: cx
    a.tboxes[4 * 2 + 0] = -1e38f; // image 1, target 1: cx
    std::vector<double> cfg = {1, 1, 2, 0, 1, 5, 2, 0.1, 0, 0, 0, 0, 0, 0, 0, 0};
    const int rc = h4j_cpu_forward(a.B, a.Q, a.C, a.logits.data(), a.boxes.data(), a.offsets.data(),
                                   a.labels.data(), a.tboxes.data(), cfg.data(), a.assign.data(), a.mc.data(),
                                   a.terms.data(), nullptr, nullptr);
    CHECK_EQ(rc, H4J_ERR_INVALID_ARG);
    CHECK_MSG(std::strncmp(h4j_last_error(), "pred_boxes[1][1] with target 1 of image 1", 40) == 0, "%s",
              h4j_last_error());
    const int rc2 = h4j_cpu_cost_blocks(a.B, a.Q, a.C, a.logits.data(), a.boxes.data(), a.offsets.data(),
                                        a.labels.data(), a.tboxes.data(), cfg.data(), a.cost_out.data());
    CHECK_EQ(rc2, H4J_ERR_INVALID_ARG);
    CHECK_MSG(std::strncmp(h4j_last_error(), "pred_boxes[1][1] with target 1", 30) == 0, "%s", h4j_last_error());
    a.tboxes[4 * 2 + 0] = -1e37f; // 3.1e38: large, finite, accepted
    CHECK_EQ(h4j_cpu_forward(a.B, a.Q, a.C, a.logits.data(), a.boxes.data(), a.offsets.data(), a.labels.data(),
                             a.tboxes.data(), cfg.data(), a.assign.data(), a.mc.data(), a.terms.data(), nullptr,
                             nullptr),
             H4J_OK);
}

TEST(thread_settings_take_any_int) {
    const int prev = h4j_set_max_threads(INT_MIN);
    h4j_set_max_threads(-1);
    h4j_set_max_threads(INT_MAX);
    Base a;
    CHECK_EQ(h4j_cpu_forward(a.B, a.Q, a.C, a.logits.data(), a.boxes.data(), a.offsets.data(), a.labels.data(),
                             a.tboxes.data(), nullptr, a.assign.data(), a.mc.data(), a.terms.data(), a.gl.data(),
                             a.gb.data()),
             H4J_OK);
    h4j_set_max_threads(prev);
    CHECK(h4j_status_string(-1) != nullptr);
    CHECK(h4j_status_string(INT_MIN) != nullptr);
    CHECK(h4j_status_string(INT_MAX) != nullptr);
}

// h4j_cpu_forward_layers_io: hostile sizes and NULL arrays are statuses with a message, before
// any slice is loaded; the same arguments made valid succeed.
TEST(io_entry_refuses_hostile_sizes_and_nulls) {
    Base a;
    struct Source {
        Base* a;
        int loads = 0;
        static int load(void* c, int, int row, int rows, float* ld, float* bd) {
            auto* s = static_cast<Source*>(c);
            ++s->loads;
            std::memcpy(ld, s->a->logits.data() + row * s->a->C, sizeof(float) * rows * s->a->C);
            std::memcpy(bd, s->a->boxes.data() + row * 4, sizeof(float) * rows * 4);
            return H4J_OK;
        }
        static int store(void*, int, int, int, const float*, const float*) { return H4J_OK; }
    } src{&a};
    h4j_layer_io io{&src, &Source::load, &Source::store};
    std::vector<double> terms(H4J_TERMS_LEN);
    auto call = [&](int L, int B, int Q, int C, const int* off, const int* lab, const float* tb,
                    int* as, double* te) {
        return h4j_cpu_forward_layers_io(L, B, Q, C, &io, off, lab, tb, nullptr, as, a.mc.data(), te, 1);
    };
    const int* off = a.offsets.data();
    const int* lab = a.labels.data();
    const float* tb = a.tboxes.data();
    int* as = a.assign.data();
    double* te = terms.data();
    const int bad[][4] = {{0, 2, 3, 4},  {-1, 2, 3, 4},      {INT_MAX, 2, 3, 4}, {1, -2, 3, 4},
                          {1, 2, -3, 4}, {1, 2, 3, -4},       {1, 2, 3, 1},       {1, INT_MAX, INT_MAX, 4},
                          {1, 0, 3, 4},  {1, 2, INT_MAX, 4}};
    for (const auto& d : bad) {
        CHECK_MSG(call(d[0], d[1], d[2], d[3], off, lab, tb, as, te) != H4J_OK, "L=%d B=%d Q=%d C=%d", d[0],
                  d[1], d[2], d[3]);
        CHECK(std::strlen(h4j_last_error()) > 0);
    }
    CHECK_EQ(call(1, 2, 3, 4, nullptr, lab, tb, as, te), H4J_ERR_INVALID_ARG);
    CHECK_EQ(call(1, 2, 3, 4, off, nullptr, tb, as, te), H4J_ERR_INVALID_ARG);
    CHECK_EQ(call(1, 2, 3, 4, off, lab, nullptr, as, te), H4J_ERR_INVALID_ARG);
    CHECK_EQ(call(1, 2, 3, 4, off, lab, tb, nullptr, te), H4J_ERR_INVALID_ARG);
    CHECK_EQ(call(1, 2, 3, 4, off, lab, tb, as, nullptr), H4J_ERR_INVALID_ARG);
    std::vector<int> broken = {0, 5, 3};  // decreasing offsets
    CHECK_EQ(call(1, 2, 3, 4, broken.data(), lab, tb, as, te), H4J_ERR_INVALID_ARG);
    CHECK_EQ(src.loads, 0);
    CHECK_EQ(call(1, 2, 3, 4, off, lab, tb, as, te), H4J_OK);
    CHECK_EQ(src.loads, 2);
}

// h4j_cpu_forward_layers_v: NULL arrays of layer pointers, NULL entries and bad L are statuses
// naming the argument (and its layer); valid per-layer pointers give h4j_cpu_forward_layers' results.
TEST(layer_pointer_arrays_are_checked) {
    Base a;
    const int L = 2;
    std::vector<float> logits2(a.logits), boxes2(a.boxes);
    for (float& v : logits2) v += 0.25f;
    boxes2[2] = 0.3f;
    const float* lp[L] = {a.logits.data(), logits2.data()};
    const float* bp[L] = {a.boxes.data(), boxes2.data()};
    std::vector<float> gl(2 * a.logits.size()), gb(2 * a.boxes.size());
    float* glp[L] = {gl.data(), gl.data() + a.logits.size()};
    float* gbp[L] = {gb.data(), gb.data() + a.boxes.size()};
    std::vector<int> assign(L * a.B * a.Q);
    std::vector<double> mc(L * a.B), terms(L * H4J_TERMS_LEN);
    auto call = [&](int l, const float* const* lg, const float* const* bx, float* const* g1,
                    float* const* g2) {
        return h4j_cpu_forward_layers_v(l, a.B, a.Q, a.C, lg, bx, a.offsets.data(), a.labels.data(),
                                        a.tboxes.data(), nullptr, assign.data(), mc.data(),
                                        terms.data(), g1, g2);
    };
    CHECK_EQ(call(0, lp, bp, glp, gbp), H4J_ERR_INVALID_ARG);
    CHECK(std::string(h4j_last_error()) == "L is 0; must be >= 1");
    CHECK_EQ(call(-3, lp, bp, glp, gbp), H4J_ERR_INVALID_ARG);
    CHECK_EQ(call(INT_MAX, lp, bp, glp, gbp), H4J_ERR_INVALID_ARG);  // L*B*Q >= 2^31
    CHECK_EQ(call(L, nullptr, bp, glp, gbp), H4J_ERR_INVALID_ARG);
    CHECK(std::string(h4j_last_error()).find("pred_logits") != std::string::npos);
    CHECK_EQ(call(L, lp, nullptr, glp, gbp), H4J_ERR_INVALID_ARG);
    CHECK(std::string(h4j_last_error()).find("pred_boxes") != std::string::npos);
    const float* lnull[L] = {a.logits.data(), nullptr};
    CHECK_EQ(call(L, lnull, bp, glp, gbp), H4J_ERR_INVALID_ARG);
    CHECK(std::string(h4j_last_error()).find("layer 1: pred_logits") != std::string::npos);
    const float* bnull[L] = {nullptr, boxes2.data()};
    CHECK_EQ(call(L, lp, bnull, glp, gbp), H4J_ERR_INVALID_ARG);
    CHECK_EQ(call(L, lp, bp, glp, nullptr), H4J_ERR_INVALID_ARG);
    float* gnull[L] = {gb.data(), nullptr};
    CHECK_EQ(call(L, lp, bp, glp, gnull), H4J_ERR_INVALID_ARG);
    CHECK(std::string(h4j_last_error()).find("grad_boxes[1]") != std::string::npos);
    std::vector<float> bad(logits2);
    bad[5] = std::nanf("");
    const float* lbad[L] = {a.logits.data(), bad.data()};
    CHECK_EQ(call(L, lbad, bp, glp, gbp), H4J_ERR_NON_FINITE);
    CHECK(std::string(h4j_last_error()).find("layer 1: pred_logits[0][1][1]") != std::string::npos);
    // valid: the same numbers as the contiguous entry point on the same values
    CHECK_EQ(call(L, lp, bp, glp, gbp), H4J_OK);
    std::vector<float> cl(a.logits), cb(a.boxes);
    cl.insert(cl.end(), logits2.begin(), logits2.end());
    cb.insert(cb.end(), boxes2.begin(), boxes2.end());
    std::vector<int> assign2(assign.size());
    std::vector<double> mc2(mc.size()), terms2(terms.size());
    std::vector<float> gl2(gl.size()), gb2(gb.size());
    CHECK_EQ(h4j_cpu_forward_layers(L, a.B, a.Q, a.C, cl.data(), cb.data(), a.offsets.data(),
                                    a.labels.data(), a.tboxes.data(), nullptr, assign2.data(),
                                    mc2.data(), terms2.data(), gl2.data(), gb2.data()),
             H4J_OK);
    CHECK(assign == assign2 && mc == mc2 && terms == terms2 && gl == gl2 && gb == gb2);
    CHECK(terms[H4J_TERM_TOTAL] != terms[H4J_TERMS_LEN + H4J_TERM_TOTAL]);  // the layers differ
    // no gradients: both arrays of pointers NULL
    CHECK_EQ(call(L, lp, bp, nullptr, nullptr), H4J_OK);
}

H4J_TEST_MAIN

// hungarian4j — the whole CPU pipeline in one call, for L decoder layers and G query groups:
// every (layer, image, group) item gets the softmax of its rows (once, kept for the loss), its
// cost block (reusable per-thread workspace), exact matching and loss with gradients, fused so
// that an item's data is touched while it is in cache; all items of all layers go to the pool in
// one dispatch. Reductions over items in item order, so results never depend on the threads.
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <new>
#include <vector>

#include "internal.h"

namespace {

// After a failed item loop: the first item whose cost block overflowed float32 (finite inputs,
// cost beyond it) named by image, query and target (and layer when not the first), else rc.
int report_item_overflow(const h4j::Problem& p, int per_layer, int G, int R,
                         const std::vector<long long>& overflow, int rc) {
    using namespace h4j;
    for (int i = 0; i < p.B; ++i) {
        if (overflow[i] < 0) continue;
        const long long M = p.M(i);
        const int l = i / per_layer, b = (i % per_layer) / G, g = i % G;
        const long long q = (long long)g * R + overflow[i] / M, j = overflow[i] % M;
        const char* fmt = "%spred_boxes[%d][%lld] with target %lld of image %d: the matching cost is "
                          "not finite in float32 (finite inputs, but |cost| > 3.4e38); scale the "
                          "boxes, the logits or the cost weights";
        if (l == 0) return set_error(H4J_ERR_INVALID_ARG, fmt, "", b, q, j, b);
        char layer[32];
        std::snprintf(layer, sizeof layer, "layer %d: ", l);
        return set_error(H4J_ERR_INVALID_ARG, fmt, layer, b, q, j, b);
    }
    return rc;
}

// The first item whose cost block overflowed (report_item_overflow names it), or INT_MAX.
int first_overflow(const std::vector<long long>& overflow) {
    for (std::size_t i = 0; i < overflow.size(); ++i)
        if (overflow[i] >= 0) return (int)i;
    return INT_MAX;
}

// Where the items' arrays of L layers are: contiguous from one pointer (h4j_cpu_forward_layers)
// or one pointer per layer (h4j_cpu_forward_layers_v). Item i is item i % per_layer of layer
// i / per_layer; rows is its float count per item (R*C for logits, R*4 for boxes).
struct LayerFloats {
    float* base = nullptr;            // contiguous layers, or NULL
    float* const* layers = nullptr;   // one pointer per layer, or NULL
    float* of(int i, int per_layer, std::size_t rows) const {
        if (layers) return layers[i / per_layer] + (std::size_t)(i % per_layer) * rows;
        return base + (std::size_t)i * rows;
    }
};

// This thread's rows of one item (or slice) for h4j_cpu_forward_layers_io: loaded here, solved
// here, the gradients written here and stored from here; reused, so they stay in cache.
struct IoScratch {
    std::vector<float> logits, boxes, grad_logits, grad_boxes;
    void ensure(std::size_t nl, std::size_t nb) {
        if (logits.size() < nl) logits.resize(nl), grad_logits.resize(nl);
        if (boxes.size() < nb) boxes.resize(nb), grad_boxes.resize(nb);
    }
};

IoScratch& io_scratch() {
    thread_local IoScratch s;
    return s;
}

// A failed io->load or io->store ("load" / "store") of h4j_cpu_forward_layers_io, named by its
// layer and image.
int report_io(const char* fn, const char* op, int status, int layer, int image) {
    return h4j::set_error(status, "%s: io->%s failed (%s) for layer %d, image %d", fn, op,
                          h4j_status_string(status), layer, image);
}

// After the items met a bad value: the first one, named on this thread by the one-layer checks of
// every layer in order, as a check of the whole arrays before the items would have named it.
// Layer l's arrays: with `io` (h4j_cpu_forward_layers_io) loaded whole, else p.layer_logits[l]
// when given (per-layer pointers), else contiguous from p.logits.
int name_bad_value(const char* fn, int L, int B, int Q, int C, const h4j::Problem& p,
                   const h4j_layer_io* io) {
    using namespace h4j;
    const std::size_t nl = (std::size_t)Q * C, nb = (std::size_t)Q * 4;
    std::vector<float> logits, boxes;
    if (io) logits.resize((std::size_t)B * nl), boxes.resize((std::size_t)B * nb);
    for (int l = 0; l < L; ++l) {
        const float* lg = logits.data();
        const float* bx = boxes.data();
        if (io) {
            for (int b = 0; b < B; ++b)
                if (int rc = io->load(io->ctx, l, b * Q, Q, logits.data() + b * nl,
                                      boxes.data() + b * nb))
                    return report_io(fn, "load", rc, l, b);
        } else if (p.layer_logits) {
            lg = p.layer_logits[l];
            bx = p.layer_boxes[l];
        } else {
            lg = p.logits + (std::size_t)l * B * nl;
            bx = p.boxes + (std::size_t)l * B * nb;
        }
        if (int rc = validate_layer_arrays(l, B, Q, C, lg, bx)) return rc;
    }
    return set_error(H4J_ERR_INTERNAL, "%s: a bad prediction value was seen once but not again (the "
                     "arrays changed during the call)", fn);
}

// The pipeline of the entry points once everything but the predictions' values is validated and p
// describes layer 0 (p.B = B*G items of one layer on entry). Every item checks its own rows on
// the pool: its boxes (and a focal item's logits) before it is solved, and the logits of a softmax
// as the softmax reads them (row_softmax), so the predictions are read once, not once by a
// checking pass and again by the items (one layer 5-15% faster in C, six layers 1-7%). So when a
// call fails, other items' outputs may already be written (outputs are only meaningful with
// H4J_OK); the error still names the first bad value in array order. With `io`
// (h4j_cpu_forward_layers_io) each item loads its rows into this thread's scratch, checks them, is
// solved there, and stores its gradients from there (grad_logits / grad_boxes are then unused).
int forward_items(const char* fn, int L, int B, int Q, h4j::Problem& p, const int* offsets,
                  int* assign_out, double* matching_cost_out, double* terms_out,
                  const LayerFloats& grad_logits, const LayerFloats& grad_boxes, bool grads,
                  const h4j_layer_io* io = nullptr) {
    using namespace h4j;
    if (int rc = require(assign_out, "assign_out")) return rc;
    if (int rc = require(terms_out, "terms_out")) return rc;
    const int G = p.G, R = p.Q, C = p.C;  // groups, rows per item, logits per row
    const int per_layer = p.B;           // B*G items per layer
    p.B = L * per_layer;                 // every layer's items
    if (p.layer_logits) p.per_layer = per_layer;
    // An exact matching of an item has min(Q/G, M_b) pairs: the normalizer is known up front.
    long long matched = 0;
    for (int b = 0; b < B; ++b) matched += (long long)G * std::min(R, offsets[b + 1] - offsets[b]);
    const LossNorm norm = loss_norm(p, matched, (long long)B * Q - matched);
    std::vector<ImageTerms>& per = terms_scratch(p.B);
    std::vector<long long>& overflow = overflow_scratch(p.B);
    FirstFailure loaded, stored;  // the first item whose io->load / io->store failed
    std::atomic<bool> bad{false};  // an item's rows were not valid predictions
    if (int rc = for_each_image(
            fn, p.B, estimate_work(p, true, true, true),
            [&](int i) -> int {
                Problem own;  // with io: this item's problem, its rows in this thread's scratch
                IoScratch* s = nullptr;
                if (io) {
                    s = &io_scratch();
                    s->ensure((std::size_t)R * C, (std::size_t)R * 4);
                    // item i % per_layer of its layer: rows from (i % per_layer) * R
                    const int rc = io->load(io->ctx, i / per_layer, (i % per_layer) * R, R,
                                            s->logits.data(), s->boxes.data());
                    if (rc != H4J_OK) {
                        loaded.mark(i, rc);
                        return rc;
                    }
                    own = p;
                    own.item_logits = s->logits.data();
                    own.item_boxes = s->boxes.data();
                }
                const Problem& q = io ? own : p;
                auto bad_rows = [&] {
                    bad.store(true, std::memory_order_relaxed);
                    return H4J_ERR_INVALID_ARG;
                };
                // the softmax checks the logits as it reads them (image_cost, image_loss); the
                // focal loss reads them without one, so they are checked here with the boxes
                const bool softmax = !q.cfg.focal;
                if (!predictions_valid(q.logits_of(i), softmax ? 0 : (std::size_t)R * C,
                                       q.boxes_of(i), (std::size_t)R * 4))
                    return bad_rows();
                const int M = q.M(i);
                ImageWork& w = image_work();
                w.ensure(R, C, M, (std::size_t)R * M, M > 0);
                int* a = assign_out + (std::size_t)i * R;
                double mc = 0.0;
                if (M > 0) {
                    if (!image_cost(q, i, w, w.cost.data(), softmax)) return bad_rows();
                    if (int rc = check_block(i, R, M, w.cost.data(), overflow)) return rc;
                    if (int rc = lsap_block(R, M, w.cost.data(), a, &mc)) return rc;
                } else {
                    std::fill(a, a + R, -1);
                }
                float* gl = !grads ? nullptr
                            : io     ? s->grad_logits.data()
                                     : grad_logits.of(i, per_layer, (std::size_t)R * C);
                float* gb = !grads ? nullptr
                            : io     ? s->grad_boxes.data()
                                     : grad_boxes.of(i, per_layer, (std::size_t)R * 4);
                if (!image_loss(q, i, a, w, norm.scales, gl, gb, &per[i], M > 0)) return bad_rows();
                per[i].mc = mc;
                if (io && grads) {
                    const int rc = io->store(io->ctx, i / per_layer, (i % per_layer) * R, R, gl, gb);
                    if (rc != H4J_OK) {
                        stored.mark(i, rc);
                        return rc;
                    }
                }
                return H4J_OK;
            })) {
        if (loaded.any())
            return report_io(fn, "load", loaded.status, loaded.first / per_layer,
                             (loaded.first % per_layer) / G);
        if (bad.load()) return name_bad_value(fn, L, B, Q, C, p, io);
        if (stored.any() && stored.first <= first_overflow(overflow))
            return report_io(fn, "store", stored.status, stored.first / per_layer,
                             (stored.first % per_layer) / G);
        return report_item_overflow(p, per_layer, G, R, overflow, rc);
    }
    for (int l = 0; l < L; ++l) {
        const ImageTerms* layer = per.data() + (std::size_t)l * per_layer;
        finish_terms(p, norm, layer, per_layer, terms_out + (std::size_t)l * H4J_TERMS_LEN);
        if (matching_cost_out) {
            for (int b = 0; b < B; ++b) {
                double s = 0;
                for (int g = 0; g < G; ++g) s += layer[b * G + g].mc;
                matching_cost_out[(std::size_t)l * B + b] = s;
            }
        }
    }
    return H4J_OK;
}

int check_layer_count(int L, int B, int Q) {
    using namespace h4j;
    if (L < 1) return set_error(H4J_ERR_INVALID_ARG, "L is %d; must be >= 1", L);
    if ((long long)L * B * Q > 0x7fffffffLL)
        return set_error(H4J_ERR_INVALID_ARG, "L*B*Q is %lld; must be < 2^31", (long long)L * B * Q);
    return H4J_OK;
}

}  // namespace

extern "C" int h4j_cpu_forward_layers(int L, int B, int Q, int C, const float* logits,
                                      const float* boxes, const int* offsets, const int* labels,
                                      const float* tboxes, const double* cfg, int* assign_out,
                                      double* matching_cost_out, double* terms_out,
                                      float* grad_logits, float* grad_boxes) {
    using namespace h4j;
    return guarded("h4j_cpu_forward_layers", [&]() -> int {
        if (int rc = check_layer_count(L, B, Q)) return rc;
        Problem p;
        long long T = 0;
        if (int rc = setup_problem_unchecked(B, Q, C, logits, boxes, offsets, labels, tboxes, cfg,
                                             &p, &T, true))
            return rc;
        if (int rc = require(logits, "pred_logits")) return rc;
        if (int rc = require(boxes, "pred_boxes")) return rc;
        if (int rc = validate_grad_pair(grad_logits, grad_boxes)) return rc;
        LayerFloats gl, gb;
        gl.base = grad_logits;
        gb.base = grad_boxes;
        return forward_items("h4j_cpu_forward_layers", L, B, Q, p, offsets, assign_out,
                             matching_cost_out, terms_out, gl, gb, grad_logits != nullptr);
    });
}

extern "C" int h4j_cpu_forward_layers_v(int L, int B, int Q, int C, const float* const* logits,
                                        const float* const* boxes, const int* offsets,
                                        const int* labels, const float* tboxes, const double* cfg,
                                        int* assign_out, double* matching_cost_out,
                                        double* terms_out, float* const* grad_logits,
                                        float* const* grad_boxes) {
    using namespace h4j;
    return guarded("h4j_cpu_forward_layers_v", [&]() -> int {
        if (int rc = check_layer_count(L, B, Q)) return rc;
        if (int rc = require(logits, "pred_logits (the array of layer pointers)")) return rc;
        if (int rc = require(boxes, "pred_boxes (the array of layer pointers)")) return rc;
        Problem p;
        long long T = 0;
        if (int rc = setup_problem_unchecked(B, Q, C, logits[0], boxes[0], offsets, labels, tboxes,
                                             cfg, &p, &T, true))
            return rc;
        for (int l = 0; l < L; ++l)  // a NULL layer, named as its check names it
            if (logits[l] == nullptr || boxes[l] == nullptr)
                return validate_layer_arrays(l, B, Q, C, logits[l], boxes[l]);
        if ((grad_logits == nullptr) != (grad_boxes == nullptr))
            return set_error(H4J_ERR_INVALID_ARG,
                             "grad_logits and grad_boxes must be both NULL or both non-NULL");
        const bool grads = grad_logits != nullptr;
        if (grads) {
            for (int l = 0; l < L; ++l) {
                if (grad_logits[l] == nullptr || grad_boxes[l] == nullptr)
                    return set_error(H4J_ERR_INVALID_ARG,
                                     "%s[%d] is NULL; every layer needs both gradients",
                                     grad_logits[l] == nullptr ? "grad_logits" : "grad_boxes", l);
            }
        }
        p.layer_logits = logits;
        p.layer_boxes = boxes;
        LayerFloats gl, gb;
        gl.layers = grad_logits;
        gb.layers = grad_boxes;
        return forward_items("h4j_cpu_forward_layers_v", L, B, Q, p, offsets, assign_out,
                             matching_cost_out, terms_out, gl, gb, grads);
    });
}

extern "C" int h4j_cpu_forward_layers_io(int L, int B, int Q, int C, const h4j_layer_io* io,
                                         const int* offsets, const int* labels, const float* tboxes,
                                         const double* cfg, int* assign_out,
                                         double* matching_cost_out, double* terms_out,
                                         int gradients) {
    using namespace h4j;
    return guarded("h4j_cpu_forward_layers_io", [&]() -> int {
        if (int rc = check_layer_count(L, B, Q)) return rc;
        if (int rc = require(io, "io")) return rc;
        if (io->load == nullptr) return set_error(H4J_ERR_INVALID_ARG, "io->load is NULL");
        if (int rc = require(assign_out, "assign_out")) return rc;  // before anything is loaded
        if (int rc = require(terms_out, "terms_out")) return rc;
        const bool grads = gradients != 0;
        if (grads && io->store == nullptr)
            return set_error(H4J_ERR_INVALID_ARG, "io->store is NULL; the gradients need it");
        Problem p;
        long long T = 0;
        if (int rc = setup_problem_unchecked(B, Q, C, nullptr, nullptr, offsets, labels, tboxes,
                                             cfg, &p, &T, true))
            return rc;
        const LayerFloats unused;  // the items' gradients live in their threads' scratch
        return forward_items("h4j_cpu_forward_layers_io", L, B, Q, p, offsets, assign_out,
                             matching_cost_out, terms_out, unused, unused, grads, io);
    });
}

extern "C" int h4j_cpu_forward(int B, int Q, int C, const float* logits, const float* boxes,
                               const int* offsets, const int* labels, const float* tboxes,
                               const double* cfg, int* assign_out, double* matching_cost_out,
                               double* terms_out, float* grad_logits, float* grad_boxes) {
    const int rc = h4j_cpu_forward_layers(1, B, Q, C, logits, boxes, offsets, labels, tboxes, cfg,
                                          assign_out, matching_cost_out, terms_out, grad_logits,
                                          grad_boxes);
    return rc;
}

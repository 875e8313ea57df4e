/*
 * hungarian4j — C API of the native library (C++ CPU backend, optional CUDA backend).
 *
 * The DETR Hungarian matching and SetCriterion loss of contract.md section 1, and the DETR-family
 * extensions of section 3 (aux decoder layers, query groups, external normalizer, focal loss) on
 * the CPU and the CUDA backends.
 *
 * Conventions of every function:
 *  - plain pointers and ints; every function returns an int status (H4J_OK = 0 on success);
 *  - nothing is thrown across this boundary and nothing aborts; on failure h4j_last_error()
 *    (thread-local) names the argument and the index, e.g.
 *    "pred_boxes[1][7][2] is -0.1; width must be >= 0";
 *  - outputs are only meaningful when H4J_OK is returned;
 *  - all functions are thread-safe; calls from many threads do not oversubscribe the cores.
 *
 * Data layout (flat, row-major, shared with the Java backend):
 *   B images, Q queries per image, C = K + 1 logits per query (index K = no-object).
 *   logits[B*Q*C] float32, boxes[B*Q*4] float32 (cx, cy, w, h).
 *   Targets as CSR: offsets[B+1] int32 (offsets[0] = 0, non-decreasing), labels[T] int32 in
 *   [0, K), tboxes[T*4] float32, T = offsets[B]; image b has M_b = offsets[b+1] - offsets[b].
 *   Cost block of image b: Q x M_b row-major at cost[Q*offsets[b] + q*M_b + j] (Q*T floats).
 *   Assignment: int32[B*Q], assign[b*Q + q] = local target j in [0, M_b) or -1.
 *
 * Config: `const double* cfg` of H4J_CFG_LEN entries (indices below); cfg == NULL means the
 * defaults of contract.md. Reserved entries must be 0 (or their documented neutral value).
 */
#ifndef HUNGARIAN4J_H
#define HUNGARIAN4J_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define H4J_VERSION 500 /* 0.5.0: major*10000 + minor*100 + patch; CMakeLists.txt checks it against the project version */

/* ---- status codes ---------------------------------------------------------------------- */
enum h4j_status {
    H4J_OK = 0,
    H4J_ERR_INVALID_ARG = 1,   /* bad shape, index, label, negative size, bad config, NULL */
    H4J_ERR_NON_FINITE = 2,    /* NaN or infinity in an input array or in the config */
    H4J_ERR_NO_DEVICE = 3,     /* no usable CUDA device, or library built without CUDA */
    H4J_ERR_CUDA = 4,          /* a CUDA runtime call or kernel launch failed */
    H4J_ERR_INTERNAL = 5,      /* a bug: an invariant did not hold */
    H4J_ERR_OUT_OF_MEMORY = 6, /* host allocation failed */
    H4J_ERR_INFEASIBLE = 7     /* the assignment problem had no solution (cannot happen for finite costs) */
};

/* ---- config indices -------------------------------------------------------------------- */
enum h4j_cfg_index {
    H4J_CFG_COST_CLASS = 0,  /* default 1 */
    H4J_CFG_COST_BBOX = 1,   /* default 5 */
    H4J_CFG_COST_GIOU = 2,   /* default 2 */
    H4J_CFG_CLASS_COST = 3,  /* H4J_CLASS_COST_PROB (default), _LOG_PROB, or _FOCAL (with focal loss) */
    H4J_CFG_LOSS_CE = 4,     /* loss_ce_weight, default 1 */
    H4J_CFG_LOSS_BBOX = 5,   /* loss_bbox_weight, default 5 */
    H4J_CFG_LOSS_GIOU = 6,   /* loss_giou_weight, default 2 */
    H4J_CFG_EOS_COEF = 7,    /* default 0.1 */
    H4J_CFG_REDUCTION = 8,   /* H4J_REDUCTION_DETR (default) or H4J_REDUCTION_SUM */
    /* contract.md section 3 (every function that takes predictions: CPU and CUDA; the matchers
       take cost blocks and need none of them). A zero-filled slot keeps section 1's meaning, so
       callers of version 0.2.0 are unaffected. */
    H4J_CFG_GROUPS = 9,       /* query groups G: an integer >= 1 dividing Q; 0 also means 1 */
    H4J_CFG_NUM_BOXES = 10,   /* external normalizer, finite > 0; 0 = max(1, sum_b M_b) */
    H4J_CFG_LOSS_CLASS = 11,  /* H4J_LOSS_CLASS_CE (0, default) or H4J_LOSS_CLASS_FOCAL (1) */
    H4J_CFG_FOCAL_ALPHA = 12, /* focal alpha in [0, 1]; no implicit default: set 0.25 explicitly */
    H4J_CFG_FOCAL_GAMMA = 13, /* focal gamma, finite >= 0; no implicit default: set 2 explicitly */
    /* 14..15 reserved: must be 0 (a caller setting an extension this version does not know gets
       an error instead of a silently different loss). */
    H4J_CFG_LEN = 16
};

#define H4J_CLASS_COST_PROB 0
#define H4J_CLASS_COST_LOG_PROB 1
#define H4J_CLASS_COST_FOCAL 2 /* required with, and only with, H4J_LOSS_CLASS_FOCAL */
#define H4J_LOSS_CLASS_CE 0
#define H4J_LOSS_CLASS_FOCAL 1 /* C = K sigmoid logits per query (no no-object), labels in [0, C) */
#define H4J_REDUCTION_DETR 0
#define H4J_REDUCTION_SUM 1

/* indices of terms_out[H4J_TERMS_LEN] */
enum h4j_term_index {
    H4J_TERM_CE = 0,
    H4J_TERM_BBOX = 1,
    H4J_TERM_GIOU = 2,
    H4J_TERM_TOTAL = 3,
    H4J_TERM_NUM_BOXES = 4,
    H4J_TERMS_LEN = 5
};

/* ---- library ----------------------------------------------------------------------------- */
/** H4J_VERSION of the library that is loaded (major*10000 + minor*100 + patch). */
int h4j_version(void);
/** Static text of a status code ("ok", "invalid argument", ...); never NULL. */
const char* h4j_status_string(int status);
/** Message of the last failing call on this thread ("" when none); valid until the next call. */
const char* h4j_last_error(void);
/** Upper bound on the threads one CPU call may use (the caller included); 0 = all hardware
 *  cores (default), 1 = serial. Results never depend on it. Returns the previous value. */
int h4j_set_max_threads(int n);

/* ---- CPU backend --------------------------------------------------------------------------- */
/** Cost blocks of all images: C = cost_class*class_cost + cost_bbox*L1 + cost_giou*(-GIoU),
 *  computed in double, stored as float into cost_out[Q*T]. With G query groups, group g's
 *  (Q/G) x M_b block is rows [g*Q/G, (g+1)*Q/G) of image b's block: the layout of a batch of B*G
 *  images of Q/G queries whose targets are repeated per group (offsets'[b*G+g] =
 *  G*offsets[b] + g*M_b), which is how the matchers below are given grouped problems. */
int h4j_cpu_cost_blocks(int B, int Q, int C, const float* logits, const float* boxes,
                        const int* offsets, const int* labels, const float* tboxes,
                        const double* cfg, float* cost_out);

/** Exact minimum-cost matching of every image (shortest augmenting path, Crouse 2016, with
 *  scipy.optimize.linear_sum_assignment's transposition and tie-breaking, in double).
 *  assign_out[B*Q]; matching_cost_out[B] (may be NULL) = double sum of the float costs of the
 *  matching (0 when M_b = 0). costs: Q*T floats laid out as by h4j_cpu_cost_blocks. */
int h4j_cpu_match_exact(int B, int Q, const int* offsets, const float* costs, int* assign_out,
                        double* matching_cost_out);

/** DETR SetCriterion loss for a fixed assignment (contract.md section 1; section 3's groups,
 *  num_boxes and focal loss from cfg). terms_out[5] = {ce, bbox, giou, total, num_boxes}.
 *  grad_logits[B*Q*C] and grad_boxes[B*Q*4] receive d total / d input; both may be NULL (no
 *  gradients), or both non-NULL. assign must be a matching: entries in [-1, M_b), no target twice
 *  in one image (with G query groups: in one group). */
int h4j_cpu_loss(int B, int Q, int C, const float* logits, const float* boxes,
                 const int* offsets, const int* labels, const float* tboxes, const double* cfg,
                 const int* assign, double* terms_out, float* grad_logits, float* grad_boxes);

/** The whole pipeline in one call: costs (internal reusable workspace), exact matching, loss and
 *  (optionally, as in h4j_cpu_loss) gradients. matching_cost_out[B] may be NULL. */
int h4j_cpu_forward(int B, int Q, int C, const float* logits, const float* boxes,
                    const int* offsets, const int* labels, const float* tboxes,
                    const double* cfg, int* assign_out, double* matching_cost_out,
                    double* terms_out, float* grad_logits, float* grad_boxes);

/** The whole pipeline for L decoder layers in one call (contract.md section 3): every
 *  (layer, image, query group) is its own assignment problem, all of them dispatched on the pool
 *  at once. Layers are contiguous: logits[L*B*Q*C], boxes[L*B*Q*4] (layer 0 first; a stacked
 *  decoder output can be passed in place); all layers share the targets and cfg (groups, num_boxes,
 *  focal loss). Outputs per layer, contiguous likewise: assign_out[L*B*Q] (each group matched to
 *  all of its image's targets: local target in [0, M_b) or -1), matching_cost_out[L*B] (may be
 *  NULL; image b's sum over its groups), terms_out[L*H4J_TERMS_LEN] (layer l's {ce, bbox, giou,
 *  total, num_boxes}), grad_logits[L*B*Q*C] and grad_boxes[L*B*Q*4] (both NULL = no gradients;
 *  layer l's d total_l / d layer l = d (sum of all layers' totals) / d layer l). L >= 1;
 *  h4j_cpu_forward is this function with L = 1. Errors in layer l's arrays name the layer. */
int h4j_cpu_forward_layers(int L, int B, int Q, int C, const float* logits, const float* boxes,
                           const int* offsets, const int* labels, const float* tboxes,
                           const double* cfg, int* assign_out, double* matching_cost_out,
                           double* terms_out, float* grad_logits, float* grad_boxes);

/** h4j_cpu_forward_layers with one pointer per layer instead of contiguous layers, for layers
 *  that live in separate arrays (a JVM's float[] per layer, taken in place): logits[l] points to
 *  layer l's B*Q*C logits, boxes[l] to its B*Q*4 boxes (l in [0, L)); grad_logits[l] and
 *  grad_boxes[l] to its gradients (both arrays of pointers NULL = no gradients; otherwise every
 *  entry non-NULL). assign_out, matching_cost_out and terms_out are contiguous as in
 *  h4j_cpu_forward_layers, and results are identical to it on the same values. A NULL array of
 *  pointers, or a NULL entry, is H4J_ERR_INVALID_ARG naming it (and its layer). */
int h4j_cpu_forward_layers_v(int L, int B, int Q, int C, const float* const* logits,
                             const float* const* boxes, const int* offsets, const int* labels,
                             const float* tboxes, const double* cfg, int* assign_out,
                             double* matching_cost_out, double* terms_out,
                             float* const* grad_logits, float* const* grad_boxes);

/** How h4j_cpu_forward_layers_io reaches predictions it cannot address: a binding's copy-in and
 *  copy-out of slices (a JVM's arrays through JNI's array regions, which never hold off the
 *  garbage collector). A row is one query of one image: C logits and 4 box floats. Called from
 *  the pool's threads, concurrently, each slice once; return H4J_OK or an H4J_ERR_* code. */
typedef struct h4j_layer_io {
    void* ctx; /* passed back to both functions */
    /** Copies rows [row, row + rows) of layer `layer` into logits_dst[rows*C], boxes_dst[rows*4]. */
    int (*load)(void* ctx, int layer, int row, int rows, float* logits_dst, float* boxes_dst);
    /** Copies the gradients of rows [row, row + rows) of layer `layer` out (NULL without gradients). */
    int (*store)(void* ctx, int layer, int row, int rows, const float* grad_logits,
                 const float* grad_boxes);
} h4j_layer_io;

/** h4j_cpu_forward_layers on predictions that io->load brings in slice by slice: no copy of the
 *  layers is kept. Each (layer, image, group) item on the pool loads its rows into its thread's
 *  scratch, checks them, is solved while they are in cache, and with gradients != 0 hands its
 *  gradients' rows to io->store. Results are identical to h4j_cpu_forward_layers on the same
 *  values, and so is the message naming the first bad value; but as items are checked as they are
 *  solved, other items' gradients may already be stored when a call fails (a failed load or store
 *  is its status, naming the layer and image). */
int h4j_cpu_forward_layers_io(int L, int B, int Q, int C, const h4j_layer_io* io,
                              const int* offsets, const int* labels, const float* tboxes,
                              const double* cfg, int* assign_out, double* matching_cost_out,
                              double* terms_out, int gradients);

/* ---- CUDA backend -------------------------------------------------------------------------- */
/** 1 when the library was built with CUDA and at least one device is usable, else 0. */
int h4j_cuda_available(void);
/** Number of CUDA devices (0 with H4J_ERR_NO_DEVICE when none / no driver / no CUDA build). */
int h4j_cuda_device_count(int* count_out);
/** NUL-terminated name of device `device` into buf[buflen] (truncated if needed). */
int h4j_cuda_device_name(int device, char* buf, int buflen);

/** Page-locked ("pinned") host memory of `bytes` bytes into *ptr_out (cudaMallocHost), for
 *  staging host arrays of the *_host entry points: copies from and to it are DMA transfers that
 *  run asynchronously on the stream, where pageable memory is first copied by the driver.
 *  bytes >= 1. On any failure *ptr_out is NULL: H4J_ERR_NO_DEVICE without a device or CUDA build,
 *  H4J_ERR_CUDA when the runtime refuses (e.g. too much pinned memory); use ordinary memory then. */
int h4j_cuda_host_alloc(size_t bytes, void** ptr_out);
/** Frees memory from h4j_cuda_host_alloc (cudaFreeHost). NULL is allowed and does nothing. */
int h4j_cuda_host_free(void* ptr);

/** h4j_cpu_cost_blocks on the GPU, in float. All arrays are DEVICE pointers (cfg is a HOST
 *  array); `stream` is a cudaStream_t (NULL = default stream). Asynchronous: returns after the
 *  launch; launch errors are reported, errors during execution surface at the next sync. */
int h4j_cuda_cost_blocks(int B, int Q, int C, const float* logits, const float* boxes,
                         const int* offsets, const int* labels, const float* tboxes,
                         const double* cfg, float* cost_out, void* stream);

/** Convenience: the same on HOST arrays (validated like the CPU function; copies in and out,
 *  synchronous). */
int h4j_cuda_cost_blocks_host(int B, int Q, int C, const float* logits, const float* boxes,
                              const int* offsets, const int* labels, const float* tboxes,
                              const double* cfg, float* cost_out);

/*
 * Device-resident loss and pipeline. Conventions of the functions below:
 *  - the device availability is checked FIRST: without a usable device (no driver, no GPU) they
 *    return H4J_ERR_NO_DEVICE, with the CUDA status code and text in h4j_last_error(), before
 *    any argument is validated or any pointer touched (a library built without CUDA returns
 *    H4J_ERR_NO_DEVICE, "library built without CUDA");
 *  - the non-_host functions take DEVICE pointers for every array (cfg_host is a HOST array of
 *    H4J_CFG_LEN doubles or NULL) and a cudaStream_t `stream` (NULL = legacy default stream);
 *    they only enqueue work on the current device and never synchronise the host. Argument
 *    errors found on the host and launch errors are returned; errors during execution surface
 *    at the caller's next synchronisation. An error left pending by the caller's own earlier
 *    CUDA calls on this thread is cleared at entry, never reported as ours; a sticky one (an
 *    unusable context) returns H4J_ERR_CUDA before anything is enqueued. h4j_cuda_forward
 *    does its fallible host work before enqueuing; a launch that still fails midway leaves
 *    every output marked failed (assign -1, NaN costs, terms and gradients);
 *  - the device cannot report argument errors through the status, so the kernels check the
 *    data they index with (offsets a CSR from 0, labels in [0, K), assignment entries in
 *    [-1, M_b), the forward's max_m and workspace promises) and, when a check fails, read
 *    nothing out of bounds and write NaN into all of terms_out (and the gradients, when asked);
 *    the matcher then sees no targets (assign all -1, matching cost 0, outcome TRIVIAL). A
 *    cost that is NaN or infinite (NaN inputs, or finite boxes whose cost overflows float) is
 *    seen by the matcher: that image is refused (assign -1, matching cost NaN, outcome
 *    H4J_AUCTION_NON_FINITE) and the terms and gradients are NaN;
 *  - workspace: a DEVICE buffer of at least the queried size, 16-byte aligned (cudaMalloc's
 *    alignment is fine), owned by the caller and reusable across calls on the same stream (not
 *    by two calls in flight on different streams at once). NULL = a stream-ordered allocation
 *    inside the call, from a per-device pool of the library's own that keeps its memory
 *    (cudaMallocFromPoolAsync / cudaFreeAsync on `stream`: no cudaMalloc in steady state);
 *  - loss values: per-element math in float, sums in double. The _host conveniences validate
 *    exactly like their CPU twins, run on a per-thread cached stream and device buffer, and
 *    return after the results are copied back (synchronous).
 */

/** Bytes of the workspace of h4j_cuda_loss for these sizes (currently independent of them).
 *  The loss functions below take section 3's config (groups, num_boxes, focal loss). */
int h4j_cuda_loss_workspace_size(int B, int Q, int C, size_t* bytes_out);

/** h4j_cpu_loss on the GPU for a DEVICE assignment assign[B*Q] (-1 = unmatched): terms_out
 *  (device double[5] = {ce, bbox, giou, total, num_boxes}) and, when grad_logits[B*Q*C] and
 *  grad_boxes[B*Q*4] are both non-NULL (device), d total / d inputs (overwritten). Two kernel
 *  launches and one 16-byte memset on `stream`; deterministic (fixed-order reductions). The
 *  assignment must be a matching; entries out of [-1, M_b) give NaN terms, a target matched
 *  twice is not detected. */
int h4j_cuda_loss(int B, int Q, int C, const float* logits, const float* boxes,
                  const int* offsets, const int* labels, const float* tboxes,
                  const double* cfg_host, const int* assign, void* workspace,
                  size_t workspace_bytes, double* terms_out, float* grad_logits,
                  float* grad_boxes, void* stream);

/** Bytes of the workspace of h4j_cuda_forward for a batch with total_targets = offsets[B]
 *  targets in all (the cost blocks, Q*total_targets floats, live there) and at most max_m per
 *  image (currently unused by the size; part of the signature for future layouts). Enough for
 *  any query group count G (the size does not depend on the config). */
int h4j_cuda_forward_workspace_size(int B, int Q, int C, int total_targets, int max_m,
                                    size_t* bytes_out);

/** The same for h4j_cuda_forward_layers with L layers (L * Q * total_targets cost floats). */
int h4j_cuda_forward_layers_workspace_size(int L, int B, int Q, int C, int total_targets,
                                           int max_m, size_t* bytes_out);

/** The whole pipeline on the device, asynchronous: cost blocks -> exact auction matching
 *  (h4j_cuda_match_auction_bounded) -> loss and (optionally) gradients, on `stream`, no host
 *  synchronisation. h4j_cuda_forward_layers with L = 1 (with query groups, stats_out holds one
 *  entry per (image, group) problem, B*G in all). The caller promises M_b <= max_m for every image and that the workspace
 *  holds h4j_cuda_forward_workspace_size(B, Q, C, offsets[B], max_m) bytes (workspace NULL:
 *  allocated stream-ordered for B*max_m targets); a broken promise gives NaN terms (see above).
 *  Outputs (DEVICE): assign_out[B*Q] (local target or -1), matching_cost_out[B] (may be NULL;
 *  double sum of the float costs of the matching), terms_out[5], grad_logits[B*Q*C] and
 *  grad_boxes[B*Q*4] (both NULL = no gradients), stats_out[B*H4J_AUCTION_STATS_LEN] (may be
 *  NULL; per-image auction outcome and round counts, see auction.h). The normalizer sum w(t)
 *  uses sum_b min(Q, M_b) matched rows, as h4j_cpu_forward. */
int h4j_cuda_forward(int B, int Q, int C, int max_m, const float* logits, const float* boxes,
                     const int* offsets, const int* labels, const float* tboxes,
                     const double* cfg_host, void* workspace, size_t workspace_bytes,
                     int* assign_out, double* matching_cost_out, double* terms_out,
                     float* grad_logits, float* grad_boxes, int* stats_out, void* stream);

/** h4j_cpu_forward_layers on the device, asynchronous, in the conventions of h4j_cuda_forward:
 *  L decoder layers (logits[L*B*Q*C], boxes[L*B*Q*4], layer 0 first) and G query groups
 *  (cfg_host) are L*B*G problems of Q/G rows in ONE launch of each stage. Outputs (DEVICE):
 *  assign_out[L*B*Q], matching_cost_out[L*B] (may be NULL; each image's sum over its groups),
 *  terms_out[L*H4J_TERMS_LEN], grad_logits[L*B*Q*C] and grad_boxes[L*B*Q*4] (both NULL = no
 *  gradients), stats_out[L*B*G*H4J_AUCTION_STATS_LEN] (may be NULL; problem (l, b, g) at
 *  (l*B + b)*G + g). The workspace holds h4j_cuda_forward_layers_workspace_size(L, ...)
 *  bytes (NULL: allocated stream-ordered for L*B*max_m targets). */
int h4j_cuda_forward_layers(int L, int B, int Q, int C, int max_m, const float* logits,
                            const float* boxes, const int* offsets, const int* labels,
                            const float* tboxes, const double* cfg_host, void* workspace,
                            size_t workspace_bytes, int* assign_out, double* matching_cost_out,
                            double* terms_out, float* grad_logits, float* grad_boxes,
                            int* stats_out, void* stream);

/** h4j_cuda_loss on HOST arrays; arguments and validation exactly as h4j_cpu_loss. */
int h4j_cuda_loss_host(int B, int Q, int C, const float* logits, const float* boxes,
                       const int* offsets, const int* labels, const float* tboxes,
                       const double* cfg, const int* assign, double* terms_out,
                       float* grad_logits, float* grad_boxes);

/** h4j_cuda_forward on HOST arrays; arguments and validation as h4j_cpu_forward (the matching
 *  is the exact auction, so ties may be broken differently from the exact CPU matcher, at
 *  equal cost), plus stats_out[B*H4J_AUCTION_STATS_LEN] (may be NULL). Synchronous. */
int h4j_cuda_forward_host(int B, int Q, int C, const float* logits, const float* boxes,
                          const int* offsets, const int* labels, const float* tboxes,
                          const double* cfg, int* assign_out, double* matching_cost_out,
                          double* terms_out, float* grad_logits, float* grad_boxes,
                          int* stats_out);

/** h4j_cuda_forward_layers on HOST arrays; arguments and validation as h4j_cpu_forward_layers,
 *  plus stats_out[L*B*G*H4J_AUCTION_STATS_LEN] (may be NULL). Synchronous. */
int h4j_cuda_forward_layers_host(int L, int B, int Q, int C, const float* logits,
                                 const float* boxes, const int* offsets, const int* labels,
                                 const float* tboxes, const double* cfg, int* assign_out,
                                 double* matching_cost_out, double* terms_out,
                                 float* grad_logits, float* grad_boxes, int* stats_out);

#ifdef __cplusplus
}
#endif

#endif /* HUNGARIAN4J_H */

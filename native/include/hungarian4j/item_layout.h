// hungarian4j — how contract.md section 3's decoder layers and query groups become independent
// assignment problems ("items") of one batched launch, written once as __host__ __device__
// functions: the CUDA cost, matcher and loss kernels index with them, and the CPU tests
// (test_detr_family) check them against h4j_cpu_forward_layers, which lays items out the same way.
//
// L layers of B images of Q queries (logits[L*B*Q*C], layers contiguous) with G query groups of
// R = Q/G rows are L*B*G items; item i = (l, b, g) = (i / (B*G), (i / G) % B, i % G) owns the R
// rows [i*R, (i+1)*R) of the flat layout, matched against all M_b targets of image b. Layer l's
// cost blocks are section 1's blocks of that layer (Q * T floats, T = offsets[B]) placed at
// l*Q*T; group g's block is rows [g*R, (g+1)*R) of image b's block. So the items form one CSR
// batch of R-row problems whose offsets are item_offset(i) (in targets; a cost block starts at
// R * item_offset(i)), which is what the auction kernel is given.
#ifndef HUNGARIAN4J_ITEM_LAYOUT_H
#define HUNGARIAN4J_ITEM_LAYOUT_H

#include "hungarian4j/hd_math.h"

namespace h4j {
namespace layout {

/// Image of flat prediction row `row` of L stacked layers of B x Q (any layer).
H4J_HD int row_image(long long row, int B, int Q) { return (int)((row / Q) % B); }

/// Layer of flat prediction row `row`.
H4J_HD int row_layer(long long row, int B, int Q) { return (int)(row / ((long long)B * Q)); }

/// Start, in floats, of layer l's cost blocks (each layer holds Q * T costs).
H4J_HD long long layer_cost_base(int l, int Q, long long T) { return (long long)l * Q * T; }

/// CSR offset of item i in [0, L*B*G] (i = L*B*G gives the end, L*G*T): the item batch's
/// offsets'[i] = l*G*T + G*offsets[b] + g*M_b. offsets is the images' CSR (offsets[B] = T).
H4J_HD long long item_offset(long long i, int B, int G, const int* offsets) {
    const long long per_layer = (long long)B * G;
    const long long l = i / per_layer, r = i - l * per_layer;
    const int b = (int)(r / G), g = (int)(r - (long long)b * G);
    const long long T = offsets[B];
    const long long M = offsets[b + 1] - offsets[b];
    return l * G * T + (long long)G * offsets[b] + g * M;
}

/// Rows an exact matching of one image's G groups of R rows pairs with its M targets (known before
/// the matching: every group matches min(R, M)); their sum over images is the normaliser's
/// `matched` of a forward call.
H4J_HD long long forward_matched(int M, int R, int G) { return (long long)G * (M < R ? M : R); }

/// Matching cost of (layer, image) k = l*B + b: the sum of its G items' costs, in group order.
H4J_HD double fold_groups(const double* item_cost, long long k, int G) {
    double s = 0.0;
    for (int g = 0; g < G; ++g) s += item_cost[k * G + g];
    return s;
}

}  // namespace layout
}  // namespace h4j

#endif  // HUNGARIAN4J_ITEM_LAYOUT_H

// hungarian4j — the CUDA entry points of the auction matcher in a library built without CUDA:
// all report H4J_ERR_NO_DEVICE ("library built without CUDA").
#ifndef H4J_WITH_CUDA

#include "hungarian4j/auction.h"
#include "internal.h"

namespace {
int no_cuda_auction() { return h4j::set_error(H4J_ERR_NO_DEVICE, "library built without CUDA"); }
}  // namespace

extern "C" {

int h4j_cuda_match_auction(int, int, const int*, const float*, int*, double*, int*, void*) {
    return no_cuda_auction();
}

int h4j_cuda_match_auction_bounded(int, int, int, const int*, const float*, int*, double*, int*,
                                   void*) {
    return no_cuda_auction();
}

int h4j_cuda_match_auction_host(int, int, const int*, const float*, int*, double*, int*) {
    return no_cuda_auction();
}

}  // extern "C"

#endif  // H4J_WITH_CUDA

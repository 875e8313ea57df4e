// hungarian4j — the CUDA entry points of a library built without CUDA: all report
// H4J_ERR_NO_DEVICE ("library built without CUDA").
#ifndef H4J_WITH_CUDA

#include "internal.h"

namespace {
int no_cuda() { return h4j::set_error(H4J_ERR_NO_DEVICE, "library built without CUDA"); }
}  // namespace

extern "C" {

int h4j_cuda_available(void) {
    no_cuda();
    return 0;
}

int h4j_cuda_device_count(int* count_out) {
    if (count_out) *count_out = 0;
    return no_cuda();
}

int h4j_cuda_device_name(int device, char* buf, int buflen) {
    if (buf && buflen > 0) buf[0] = '\0';
    return no_cuda();
}

int h4j_cuda_host_alloc(size_t, void** ptr_out) {
    if (ptr_out) *ptr_out = nullptr;
    return no_cuda();
}

int h4j_cuda_host_free(void* ptr) {
    return ptr == nullptr ? H4J_OK : no_cuda();  // nothing can have come from h4j_cuda_host_alloc
}

int h4j_cuda_cost_blocks(int B, int Q, int C, const float* logits, const float* boxes,
                         const int* offsets, const int* labels, const float* tboxes,
                         const double* cfg, float* cost_out, void* stream) {
    return no_cuda();
}

int h4j_cuda_cost_blocks_host(int B, int Q, int C, const float* logits, const float* boxes,
                              const int* offsets, const int* labels, const float* tboxes,
                              const double* cfg, float* cost_out) {
    return no_cuda();
}

int h4j_cuda_loss_workspace_size(int, int, int, size_t* bytes_out) {
    if (bytes_out) *bytes_out = 0;
    return no_cuda();
}

int h4j_cuda_loss(int, int, int, const float*, const float*, const int*, const int*,
                  const float*, const double*, const int*, void*, size_t, double*, float*,
                  float*, void*) {
    return no_cuda();
}

int h4j_cuda_forward_workspace_size(int, int, int, int, int, size_t* bytes_out) {
    if (bytes_out) *bytes_out = 0;
    return no_cuda();
}

int h4j_cuda_forward_layers_workspace_size(int, int, int, int, int, int, size_t* bytes_out) {
    if (bytes_out) *bytes_out = 0;
    return no_cuda();
}

int h4j_cuda_forward_layers(int, int, int, int, int, const float*, const float*, const int*,
                            const int*, const float*, const double*, void*, size_t, int*, double*,
                            double*, float*, float*, int*, void*) {
    return no_cuda();
}

int h4j_cuda_forward_layers_host(int, int, int, int, const float*, const float*, const int*,
                                 const int*, const float*, const double*, int*, double*, double*,
                                 float*, float*, int*) {
    return no_cuda();
}

int h4j_cuda_forward(int, int, int, int, const float*, const float*, const int*, const int*,
                     const float*, const double*, void*, size_t, int*, double*, double*, float*,
                     float*, int*, void*) {
    return no_cuda();
}

int h4j_cuda_loss_host(int, int, int, const float*, const float*, const int*, const int*,
                       const float*, const double*, const int*, double*, float*, float*) {
    return no_cuda();
}

int h4j_cuda_forward_host(int, int, int, const float*, const float*, const int*, const int*,
                          const float*, const double*, int*, double*, double*, float*, float*,
                          int*) {
    return no_cuda();
}

}  // extern "C"

#endif  // H4J_WITH_CUDA

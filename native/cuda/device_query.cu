// hungarian4j — CUDA device discovery. Any non-zero status of cudaGetDeviceCount (e.g. 35,
// insufficient driver, on a machine without a driver) means "no GPU", never a crash.
#ifdef H4J_WITH_CUDA

#include <cstring>

#include "cuda_common.cuh"

extern "C" {

int h4j_cuda_device_count(int* count_out) {
    using namespace h4j;
    return guarded("h4j_cuda_device_count", [&]() -> int {
        if (int rc = require(count_out, "count_out")) return rc;
        *count_out = 0;
        int n = 0;
        const cudaError_t e = cudaGetDeviceCount(&n);
        if (e == cudaErrorInsufficientDriver) {
            // the usual case on a training cluster with an older driver: say what to install
            (void)cudaGetLastError();
            int driver = 0;
            (void)cudaDriverGetVersion(&driver);  // 0 when no driver is installed at all
            if (driver == 0)
                return set_error(H4J_ERR_NO_DEVICE, "no NVIDIA driver found (the CUDA part needs a CUDA 13 "
                                                    "driver, r580 or newer)");
            return set_error(H4J_ERR_NO_DEVICE,
                             "the NVIDIA driver supports CUDA %d.%d only; the CUDA part needs a CUDA 13 "
                             "driver (r580 or newer)",
                             driver / 1000, (driver % 1000) / 10);
        }
        if (e == cudaErrorNoDevice) {
            (void)cudaGetLastError();
            return set_error(H4J_ERR_NO_DEVICE, "no CUDA device found");
        }
        if (e != cudaSuccess) {
            (void)cudaGetLastError();
            return set_error(H4J_ERR_NO_DEVICE,
                             "no usable CUDA device: cudaGetDeviceCount returned %d (%s): %s",
                             (int)e, cudaGetErrorName(e), cudaGetErrorString(e));
        }
        if (n <= 0) return set_error(H4J_ERR_NO_DEVICE, "no CUDA device found (device count 0)");
        *count_out = n;
        return H4J_OK;
    });
}

int h4j_cuda_available(void) {
    int n = 0;
    return h4j_cuda_device_count(&n) == H4J_OK && n > 0 ? 1 : 0;
}

int h4j_cuda_device_name(int device, char* buf, int buflen) {
    using namespace h4j;
    return guarded("h4j_cuda_device_name", [&]() -> int {
        if (int rc = require(buf, "buf")) return rc;
        if (buflen < 1) return set_error(H4J_ERR_INVALID_ARG, "buflen is %d; must be >= 1", buflen);
        buf[0] = '\0';
        int n = 0;
        if (int rc = h4j_cuda_device_count(&n)) return rc;
        if (device < 0 || device >= n)
            return set_error(H4J_ERR_INVALID_ARG, "device is %d; must be in [0, %d)", device, n);
        cudaDeviceProp prop;
        const cudaError_t e = cudaGetDeviceProperties(&prop, device);
        if (e != cudaSuccess) return cuda::fail(e, "cudaGetDeviceProperties");
        std::strncpy(buf, prop.name, (size_t)buflen - 1);
        buf[buflen - 1] = '\0';
        return H4J_OK;
    });
}

}  // extern "C"

#endif  // H4J_WITH_CUDA

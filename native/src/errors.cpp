// hungarian4j — version, status strings and the thread-local last error.
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "internal.h"

namespace h4j {
namespace {
thread_local char g_last_error[512] = {0};
}

int set_error(int status, const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    std::vsnprintf(g_last_error, sizeof g_last_error, fmt, ap);
    va_end(ap);
    return status;
}

void clear_error() { g_last_error[0] = '\0'; }

const char* fmt_float(float x, char* buf, std::size_t n) {
    if (std::isnan(x)) {
        std::snprintf(buf, n, "nan");
    } else if (std::isinf(x)) {
        std::snprintf(buf, n, x > 0 ? "inf" : "-inf");
    } else {
        for (int prec = 1; prec <= 9; ++prec) {
            std::snprintf(buf, n, "%.*g", prec, (double)x);
            if (std::strtof(buf, nullptr) == x) break;
        }
    }
    return buf;
}

const char* fmt_double(double x, char* buf, std::size_t n) {
    if (std::isnan(x)) {
        std::snprintf(buf, n, "nan");
    } else if (std::isinf(x)) {
        std::snprintf(buf, n, x > 0 ? "inf" : "-inf");
    } else {
        for (int prec = 1; prec <= 17; ++prec) {
            std::snprintf(buf, n, "%.*g", prec, x);
            if (std::strtod(buf, nullptr) == x) break;
        }
    }
    return buf;
}

}  // namespace h4j

extern "C" {

int h4j_version(void) { return H4J_VERSION; }

const char* h4j_status_string(int status) {
    switch (status) {
        case H4J_OK: return "ok";
        case H4J_ERR_INVALID_ARG: return "invalid argument";
        case H4J_ERR_NON_FINITE: return "non-finite number";
        case H4J_ERR_NO_DEVICE: return "no CUDA device";
        case H4J_ERR_CUDA: return "CUDA error";
        case H4J_ERR_INTERNAL: return "internal error";
        case H4J_ERR_OUT_OF_MEMORY: return "out of memory";
        case H4J_ERR_INFEASIBLE: return "infeasible assignment problem";
        default: return "unknown status";
    }
}

const char* h4j_last_error(void) { return h4j::g_last_error; }

}  // extern "C"

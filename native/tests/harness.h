// hungarian4j — a tiny test harness: TEST(name) { CHECK(...); }, main() from H4J_TEST_MAIN.
// A test fails when one of its checks fails; the executable prints "N passed, N failed" and
// returns non-zero when any test failed.
#ifndef HUNGARIAN4J_TESTS_HARNESS_H
#define HUNGARIAN4J_TESTS_HARNESS_H

#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

namespace h4jtest {

struct TestCase {
    const char* name;
    void (*fn)();
};

inline std::vector<TestCase>& registry() {
    static std::vector<TestCase> r;
    return r;
}

inline int& current_failures() {
    static int n = 0;
    return n;
}

struct Registrar {
    Registrar(const char* name, void (*fn)()) { registry().push_back({name, fn}); }
};

inline void report(const char* file, int line, const std::string& msg) {
    if (current_failures() < 20) std::printf("    %s:%d: %s\n", file, line, msg.c_str());
    ++current_failures();
}

inline std::string fmt(const char* f, ...) __attribute__((format(printf, 1, 2)));
inline std::string fmt(const char* f, ...) {
    char buf[1024];
    va_list ap;
    va_start(ap, f);
    std::vsnprintf(buf, sizeof buf, f, ap);
    va_end(ap);
    return buf;
}

inline int run_all(int argc, char** argv) {
    int passed = 0, failed = 0;
    const char* filter = argc > 1 ? argv[1] : nullptr;
    for (const TestCase& t : registry()) {
        if (filter && !std::strstr(t.name, filter)) continue;
        current_failures() = 0;
        try {
            t.fn();
        } catch (const std::exception& e) {
            report(__FILE__, __LINE__, std::string("exception: ") + e.what());
        } catch (...) {
            report(__FILE__, __LINE__, "unknown exception");
        }
        if (current_failures() == 0) {
            ++passed;
            std::printf("[ ok ] %s\n", t.name);
        } else {
            ++failed;
            std::printf("[FAIL] %s (%d failed checks)\n", t.name, current_failures());
        }
        std::fflush(stdout);
    }
    std::printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}

}  // namespace h4jtest

#define TEST(name)                                                  \
    static void name();                                             \
    static h4jtest::Registrar name##_registrar(#name, &name);       \
    static void name()

#define CHECK(cond)                                                               \
    do {                                                                          \
        if (!(cond)) h4jtest::report(__FILE__, __LINE__, "CHECK(" #cond ") failed"); \
    } while (0)

#define CHECK_MSG(cond, ...)                                                   \
    do {                                                                       \
        if (!(cond))                                                           \
            h4jtest::report(__FILE__, __LINE__,                                \
                            std::string("CHECK(" #cond ") failed: ") + h4jtest::fmt(__VA_ARGS__)); \
    } while (0)

#define CHECK_EQ(a, b)                                                                    \
    do {                                                                                  \
        const auto va_ = (a);                                                             \
        const auto vb_ = (b);                                                             \
        if (!(va_ == vb_))                                                                \
            h4jtest::report(__FILE__, __LINE__,                                           \
                            h4jtest::fmt("CHECK_EQ(%s, %s) failed: %.17g vs %.17g", #a, #b, \
                                         (double)va_, (double)vb_));                      \
    } while (0)

#define CHECK_NEAR(a, b, tol)                                                                \
    do {                                                                                     \
        const double va_ = (double)(a);                                                      \
        const double vb_ = (double)(b);                                                      \
        const double t_ = (double)(tol);                                                     \
        if (!(std::fabs(va_ - vb_) <= t_))                                                   \
            h4jtest::report(__FILE__, __LINE__,                                              \
                            h4jtest::fmt("CHECK_NEAR(%s, %s, %s) failed: %.17g vs %.17g (diff %.3g)", \
                                         #a, #b, #tol, va_, vb_, std::fabs(va_ - vb_)));    \
    } while (0)

#define H4J_TEST_MAIN \
    int main(int argc, char** argv) { return h4jtest::run_all(argc, argv); }

#endif  // HUNGARIAN4J_TESTS_HARNESS_H

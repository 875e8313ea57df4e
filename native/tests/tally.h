// hungarian4j — a pass/fail tally for tests that make thousands of checks in loops (the auction
// tests): T_CHECK(cond, printf-format, ...) counts, prints the first 30 failures, and
// tally_report() prints "N passed, N failed" and gives main's exit status.
#ifndef HUNGARIAN4J_TESTS_TALLY_H
#define HUNGARIAN4J_TESTS_TALLY_H

#include <cstdio>

inline int g_pass = 0;
inline int g_fail = 0;

#define T_CHECK(cond, ...)                                              \
    do {                                                                \
        if (cond) {                                                     \
            ++g_pass;                                                   \
        } else if (++g_fail <= 30) {                                    \
            std::printf("FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
            std::printf(__VA_ARGS__);                                   \
            std::printf("\n");                                          \
        }                                                               \
    } while (0)

inline int tally_report() {
    std::printf("%d passed, %d failed\n", g_pass, g_fail);
    return g_fail ? 1 : 0;
}

#endif

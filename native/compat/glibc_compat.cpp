// hungarian4j — keeps the shared libraries loadable on glibc 2.28 (RHEL 8, Debian 10, the manylinux_2_28
// floor) although they are built against a newer glibc.
//
// A reference to a glibc function is bound at link time to the function's newest ("default") version. On
// glibc >= 2.34 the pthread and dl functions moved into libc.so.6 under new versions (GLIBC_2.34), exp/log/pow
// got new versions in 2.29, and the static libstdc++ brings references to __libc_single_threaded (2.32) and
// arc4random (2.36). The link therefore runs with -Wl,--wrap=NAME for each of them (glibc_compat.rsp lists
// them, CMakeLists.txt generates it), which sends every reference, ours and libstdc++.a's alike, to
// __wrap_NAME below; each wrapper calls the oldest version of NAME, the one every glibc since 2.2.5 has.
// glibc < 2.34 keeps those in libpthread.so.0, libdl.so.2 and librt.so.1, so the libraries also list them as
// needed (glibc >= 2.34 ships the three as empty stubs). tools/check_glibc.sh fails the build on anything newer.
#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <time.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>

#define H4J_HIDDEN __attribute__((visibility("hidden")))

// Declares h4j_glibc_NAME as NAME@VERSION and defines __wrap_NAME forwarding to it.
#define H4J_PIN(ret, name, params, args, version)                           \
    ret h4j_glibc_##name params;                                            \
    __asm__(".symver h4j_glibc_" #name "," #name "@" version);              \
    H4J_HIDDEN ret __wrap_##name params { return h4j_glibc_##name args; }

extern "C" {

// pthread: GLIBC_2.34 in libc.so.6 today, GLIBC_2.2.5 in libpthread.so.0 before 2.34
H4J_PIN(int, pthread_create, (pthread_t* t, const pthread_attr_t* a, void* (*f)(void*), void* x), (t, a, f, x),
        "GLIBC_2.2.5")
H4J_PIN(int, pthread_join, (pthread_t t, void** r), (t, r), "GLIBC_2.2.5")
H4J_PIN(int, pthread_detach, (pthread_t t), (t), "GLIBC_2.2.5")
H4J_PIN(int, pthread_once, (pthread_once_t* o, void (*f)(void)), (o, f), "GLIBC_2.2.5")
H4J_PIN(int, pthread_key_create, (pthread_key_t* k, void (*d)(void*)), (k, d), "GLIBC_2.2.5")
H4J_PIN(int, __pthread_key_create, (pthread_key_t* k, void (*d)(void*)), (k, d), "GLIBC_2.2.5")
H4J_PIN(int, pthread_key_delete, (pthread_key_t k), (k), "GLIBC_2.2.5")
H4J_PIN(void*, pthread_getspecific, (pthread_key_t k), (k), "GLIBC_2.2.5")
H4J_PIN(int, pthread_setspecific, (pthread_key_t k, const void* v), (k, v), "GLIBC_2.2.5")
H4J_PIN(int, pthread_mutex_trylock, (pthread_mutex_t* m), (m), "GLIBC_2.2.5")
H4J_PIN(int, pthread_attr_setstacksize, (pthread_attr_t* a, size_t s), (a, s), "GLIBC_2.2.5")
H4J_PIN(int, pthread_attr_getstacksize, (const pthread_attr_t* a, size_t* s), (a, s), "GLIBC_2.2.5")
H4J_PIN(int, pthread_getattr_np, (pthread_t t, pthread_attr_t* a), (t, a), "GLIBC_2.2.5")
H4J_PIN(int, pthread_attr_setdetachstate, (pthread_attr_t* a, int s), (a, s), "GLIBC_2.2.5")
H4J_PIN(int, pthread_mutexattr_init, (pthread_mutexattr_t* a), (a), "GLIBC_2.2.5")
H4J_PIN(int, pthread_mutexattr_destroy, (pthread_mutexattr_t* a), (a), "GLIBC_2.2.5")
H4J_PIN(int, pthread_mutexattr_settype, (pthread_mutexattr_t* a, int t), (a, t), "GLIBC_2.2.5")
H4J_PIN(int, pthread_rwlock_init, (pthread_rwlock_t* l, const pthread_rwlockattr_t* a), (l, a), "GLIBC_2.2.5")
H4J_PIN(int, pthread_rwlock_destroy, (pthread_rwlock_t* l), (l), "GLIBC_2.2.5")
H4J_PIN(int, pthread_rwlock_rdlock, (pthread_rwlock_t* l), (l), "GLIBC_2.2.5")
H4J_PIN(int, pthread_rwlock_wrlock, (pthread_rwlock_t* l), (l), "GLIBC_2.2.5")
H4J_PIN(int, pthread_rwlock_unlock, (pthread_rwlock_t* l), (l), "GLIBC_2.2.5")
H4J_PIN(int, pthread_kill, (pthread_t t, int s), (t, s), "GLIBC_2.2.5")
H4J_PIN(int, pthread_setname_np, (pthread_t t, const char* n), (t, n), "GLIBC_2.12")
// ... and those the static CUDA runtime (libcudart_static.a) calls
H4J_PIN(int, pthread_condattr_setpshared, (pthread_condattr_t* a, int s), (a, s), "GLIBC_2.2.5")
H4J_PIN(int, pthread_mutexattr_setpshared, (pthread_mutexattr_t* a, int s), (a, s), "GLIBC_2.2.5")
H4J_PIN(int, pthread_rwlock_timedrdlock, (pthread_rwlock_t* l, const struct timespec* t), (l, t), "GLIBC_2.2.5")
H4J_PIN(int, pthread_rwlock_timedwrlock, (pthread_rwlock_t* l, const struct timespec* t), (l, t), "GLIBC_2.2.5")
H4J_PIN(int, pthread_rwlock_tryrdlock, (pthread_rwlock_t* l), (l), "GLIBC_2.2.5")
H4J_PIN(int, pthread_rwlock_trywrlock, (pthread_rwlock_t* l), (l), "GLIBC_2.2.5")
H4J_PIN(int, pthread_rwlockattr_init, (pthread_rwlockattr_t* a), (a), "GLIBC_2.2.5")
H4J_PIN(int, pthread_rwlockattr_destroy, (pthread_rwlockattr_t* a), (a), "GLIBC_2.2.5")
H4J_PIN(int, pthread_rwlockattr_setpshared, (pthread_rwlockattr_t* a, int s), (a, s), "GLIBC_2.2.5")
H4J_PIN(int, pthread_spin_init, (pthread_spinlock_t* l, int s), (l, s), "GLIBC_2.2.5")
H4J_PIN(int, pthread_spin_destroy, (pthread_spinlock_t* l), (l), "GLIBC_2.2.5")
H4J_PIN(int, pthread_spin_lock, (pthread_spinlock_t* l), (l), "GLIBC_2.2.5")
H4J_PIN(int, pthread_spin_trylock, (pthread_spinlock_t* l), (l), "GLIBC_2.2.5")
H4J_PIN(int, pthread_spin_unlock, (pthread_spinlock_t* l), (l), "GLIBC_2.2.5")
H4J_PIN(int, sem_init, (sem_t* s, int p, unsigned v), (s, p, v), "GLIBC_2.2.5")
H4J_PIN(int, sem_destroy, (sem_t* s), (s), "GLIBC_2.2.5")
H4J_PIN(int, sem_post, (sem_t* s), (s), "GLIBC_2.2.5")
H4J_PIN(int, sem_wait, (sem_t* s), (s), "GLIBC_2.2.5")
H4J_PIN(int, sem_trywait, (sem_t* s), (s), "GLIBC_2.2.5")
H4J_PIN(int, sem_timedwait, (sem_t* s, const struct timespec* t), (s, t), "GLIBC_2.2.5")

// shm: GLIBC_2.34 in libc.so.6 today, GLIBC_2.2.5 in librt.so.1 before 2.34
H4J_PIN(int, shm_open, (const char* n, int f, mode_t m), (n, f, m), "GLIBC_2.2.5")
H4J_PIN(int, shm_unlink, (const char* n), (n), "GLIBC_2.2.5")

// dl: GLIBC_2.34 in libc.so.6 today, GLIBC_2.2.5 in libdl.so.2 before 2.34
H4J_PIN(void*, dlopen, (const char* f, int m), (f, m), "GLIBC_2.2.5")
H4J_PIN(void*, dlsym, (void* h, const char* s), (h, s), "GLIBC_2.2.5")
H4J_PIN(int, dlclose, (void* h), (h), "GLIBC_2.2.5")
H4J_PIN(char*, dlerror, (void), (), "GLIBC_2.2.5")
H4J_PIN(int, dladdr, (const void* a, Dl_info* i), (a, i), "GLIBC_2.2.5")
H4J_PIN(void*, dlvsym, (void* h, const char* s, const char* v), (h, s, v), "GLIBC_2.2.5")
H4J_PIN(void*, dlmopen, (Lmid_t l, const char* f, int m), (l, f, m), "GLIBC_2.3.4")

// libm: new, faster versions in 2.29; the old ones are as accurate (both within 1 ulp)
H4J_PIN(double, exp, (double x), (x), "GLIBC_2.2.5")
H4J_PIN(double, log, (double x), (x), "GLIBC_2.2.5")
H4J_PIN(double, pow, (double x, double y), (x, y), "GLIBC_2.2.5")
H4J_PIN(double, exp2, (double x), (x), "GLIBC_2.2.5")
H4J_PIN(double, log2, (double x), (x), "GLIBC_2.2.5")
H4J_PIN(float, expf, (float x), (x), "GLIBC_2.2.5")
H4J_PIN(float, logf, (float x), (x), "GLIBC_2.2.5")
H4J_PIN(float, powf, (float x, float y), (x, y), "GLIBC_2.2.5")

// libstdc++'s fast path for single-threaded processes (2.32). 0 = "maybe multi-threaded": always correct,
// libstdc++ then always uses atomic reference counts, as it did before glibc 2.32.
H4J_HIDDEN char __wrap___libc_single_threaded = 0;

// std::random_device's default source since glibc 2.36; linked in by libstdc++.a, never called by the
// library. The kernel's getrandom (glibc 2.25) gives the same bytes.
H4J_HIDDEN uint32_t __wrap_arc4random(void) {
    uint32_t v = 0;
    for (int tries = 0; tries < 100; ++tries) {
        ssize_t n = getrandom(&v, sizeof v, 0);
        if (n == (ssize_t)sizeof v) return v;
        if (n < 0 && errno != EINTR) break;
    }
    struct timespec ts;  // no entropy source at all: a clock-derived value rather than a crash
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint32_t)(ts.tv_nsec ^ (ts.tv_sec * 2654435761u));
}

}  // extern "C"

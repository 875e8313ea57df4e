// hungarian4j — a small persistent thread pool for the per-image work.
//
// One pool per process, sized to the hardware (the calling thread works too, so it has
// hardware_concurrency() - 1 workers). A call that finds the pool busy (another thread's call
// holds it) runs serially on its own thread instead of queueing or oversubscribing, so N Java
// threads calling at once use about as many cores as there are. Work items are images; each
// writes only its own outputs, and every reduction over images is done afterwards in image
// order, so results are bit-identical whatever the number of threads. The caller never waits for
// a helper to wake up: once its own items are done it closes the job, and a helper that has not
// joined by then skips it (a training loop's calls find the workers asleep).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

#include "internal.h"

namespace h4j {
namespace {

std::atomic<int> g_max_threads{0};

// Dispatch to the pool only when the call's estimated serial work (estimate_work, ns) exceeds
// this: below it, waking a sleeping worker (a futex wake and a context switch, 5-50 µs on a
// loaded machine) costs about what it could save. Each helper must also get at least
// kMinWorkPerThread of it, so a call never wakes more workers than it can keep busy.
constexpr double kParallelThreshold = 150000.0;  // ns
constexpr double kMinWorkPerThread = 60000.0;   // ns

// After a job, a worker polls for the next one this long before it sleeps (back-to-back calls,
// as in a training loop, then start without a wake-up); the caller polls this long for its
// helpers to finish before it sleeps.
constexpr auto kWorkerSpin = std::chrono::microseconds(50);
constexpr auto kCallerSpin = std::chrono::microseconds(200);

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    asm volatile("yield" ::: "memory");
#endif
}

/// Polls pred() for up to `limit`; true when it became true.
template <typename P>
bool spin_until(P&& pred, std::chrono::microseconds limit) {
    const auto start = std::chrono::steady_clock::now();
    for (;;) {
        for (int i = 0; i < 64; ++i) {
            if (pred()) return true;
            cpu_relax();
        }
        // Lets a thread waiting for this CPU run: the scheduler may have put a woken worker on the
        // caller's CPU (or the framework's threads share it), and the item it holds, which this
        // spin waits for, would otherwise wait for the spin to end.
        std::this_thread::yield();
        if (std::chrono::steady_clock::now() - start >= limit) return pred();
    }
}

class Pool {
public:
    explicit Pool(int workers) {
        try {
            for (int i = 0; i < workers; ++i) threads_.emplace_back([this, i] { loop(i); });
        } catch (...) {
            // fewer workers than wanted (thread creation failed): use what we have
        }
    }

    int workers() const { return (int)threads_.size(); }

    /// Runs the job with up to `helpers` workers besides the caller. Returns false (and runs
    /// nothing) when the pool is busy with another call.
    bool try_run(int n, int helpers, void (*fn)(void*, int), void* ctx) {
        std::unique_lock<std::mutex> busy(busy_, std::try_to_lock);
        if (!busy.owns_lock()) return false;
        helpers = std::min(helpers, workers());
        if (helpers <= 0) {
            busy.unlock();
            for (int i = 0; i < n; ++i) fn(ctx, i);
            return true;
        }
        // Only the helpers that joined the previous job read these, and they have all finished it.
        fn_ = fn;
        ctx_ = ctx;
        n_ = n;
        next_.store(0, std::memory_order_relaxed);
        finished_.store(0, std::memory_order_relaxed);
        const std::uint64_t gen = (job_.load(std::memory_order_relaxed) >> 16) + 1;
        join_.store((gen & 0xffffffffu) << 32, std::memory_order_relaxed);  // open, nobody joined
        // generation (upper bits) and number of helpers (low 16 bits) in one word, so a worker
        // reads both consistently; seq_cst pairs with the sleepers_ protocol below.
        job_.store(gen << 16 | (std::uint64_t)helpers);
        if (sleepers_.load() > 0) {
            std::lock_guard<std::mutex> lk(m_);
            cv_.notify_all();
        }
        work();
        // Closed: a helper that has not joined yet (still waking up: a futex wake and a context
        // switch, up to hundreds of µs on a loaded VM) skips this job, so the call never waits
        // for a wake-up, only for the items that joined helpers are working on.
        const int joined = (int)(join_.fetch_or(kClosed) & kJoinedMask);
        auto done = [this, joined] { return finished_.load(std::memory_order_acquire) == joined; };
        if (!spin_until(done, kCallerSpin)) {
            std::unique_lock<std::mutex> lk(m_);
            caller_sleeps_.store(true);
            done_cv_.wait(lk, done);
            caller_sleeps_.store(false);
        }
        return true;
    }

private:
    void work() {
        for (;;) {
            const int i = next_.fetch_add(1, std::memory_order_relaxed);
            if (i >= n_) break;
            fn_(ctx_, i);
        }
    }

    void loop(int id) {
        std::uint64_t seen = 0;  // job_ before the first job (this may start after it)
        for (;;) {
            auto fresh = [&] { return job_.load() != seen; };
            if (!spin_until(fresh, kWorkerSpin)) {
                std::unique_lock<std::mutex> lk(m_);
                sleepers_.fetch_add(1);
                cv_.wait(lk, fresh);
                sleepers_.fetch_sub(1);
            }
            seen = job_.load();
            if (id >= (int)(seen & 0xffff)) continue;  // not needed for this job
            if (!join(seen >> 16)) continue;           // closed already: the caller did it all
            work();
            finished_.fetch_add(1);
            if (caller_sleeps_.load()) {
                std::lock_guard<std::mutex> lk(m_);
                done_cv_.notify_one();
            }
        }
    }

    /// Joins job `gen` unless the caller has closed it (or a later job replaced it).
    bool join(std::uint64_t gen) {
        const std::uint64_t tag = (gen & 0xffffffffu) << 32;
        std::uint64_t v = join_.load();
        for (;;) {
            if ((v & ~kJoinedMask) != tag) return false;  // another generation, or closed
            if (join_.compare_exchange_weak(v, v + 1)) return true;
        }
    }

    static constexpr std::uint64_t kClosed = 1ull << 31;
    static constexpr std::uint64_t kJoinedMask = kClosed - 1;

    std::mutex busy_;  // held by the call that owns the pool
    std::mutex m_;     // only for sleeping and waking
    std::condition_variable cv_, done_cv_;
    std::vector<std::thread> threads_;
    std::atomic<std::uint64_t> job_{0};
    std::atomic<int> sleepers_{0};
    std::atomic<bool> caller_sleeps_{false};
    // the job's generation (upper 32 bits), closed (bit 31) and the helpers that joined it
    std::atomic<std::uint64_t> join_{0};
    std::atomic<int> finished_{0};  // joined helpers done with the job
    void (*fn_)(void*, int) = nullptr;
    void* ctx_ = nullptr;
    int n_ = 0;
    std::atomic<int> next_{0};
};

// Queried once: hardware_concurrency() reads /sys on every call (microseconds).
int hardware_threads() {
    static const int n = [] {
        const unsigned hc = std::thread::hardware_concurrency();
        return hc == 0 ? 1 : (int)std::min(hc, 256u);
    }();
    return n;
}

// Never destroyed: a destructor joining the workers at exit() would wait forever for a worker
// that is inside a JNI call (h4j_cpu_forward_layers_io's loads and stores from a JVM), blocked by
// the JVM's exit; the process ends the workers instead.
Pool& pool() {
    static Pool& p = *new Pool(hardware_threads() - 1);
    return p;
}

}  // namespace

void parallel_for_impl(int n, double work, void (*fn)(void*, int), void* ctx) {
    int threads = g_max_threads.load(std::memory_order_relaxed);
    const int hw = hardware_threads();
    if (threads <= 0 || threads > hw) threads = hw;
    if (n > 1 && threads > 1 && work >= kParallelThreshold) {
        const double by_work = work / kMinWorkPerThread;
        const int useful = by_work < (double)threads ? (int)by_work : threads;
        const int helpers = std::min(useful, n) - 1;
        if (helpers > 0 && pool().try_run(n, helpers, fn, ctx)) return;
    }
    for (int i = 0; i < n; ++i) fn(ctx, i);
}

}  // namespace h4j

extern "C" int h4j_set_max_threads(int n) {
    return h4j::g_max_threads.exchange(n < 0 ? 0 : n);
}

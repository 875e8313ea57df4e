// hungarian4j — a small persistent thread pool for the per-image work.
//
// One pool per process, sized to the hardware (the calling thread works too, so it has
// hardware_concurrency() - 1 workers). A call that finds the pool busy (another thread's call
// holds it) runs serially on its own thread instead of queueing or oversubscribing, so N Java
// threads calling at once use about as many cores as there are. Work items are images; each
// writes only its own outputs, and every reduction over images is done afterwards in image
// order, so results are bit-identical whatever the number of threads.
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

#include "internal.h"

namespace h4j {
namespace {

std::atomic<int> g_max_threads{0};

// Below this many estimated operations per call, waking the workers costs more than it saves.
constexpr double kParallelThreshold = 200000.0;

class Pool {
public:
    explicit Pool(int workers) {
        try {
            for (int i = 0; i < workers; ++i) threads_.emplace_back([this, i] { loop(i); });
        } catch (...) {
            // fewer workers than wanted (thread creation failed): use what we have
        }
    }

    ~Pool() {
        {
            std::lock_guard<std::mutex> lk(m_);
            stop_ = true;
        }
        cv_.notify_all();
        for (auto& t : threads_)
            if (t.joinable()) t.join();
    }

    int workers() const { return (int)threads_.size(); }

    /// Runs the job with up to `helpers` workers besides the caller. Returns false (and runs
    /// nothing) when the pool is busy with another call.
    bool try_run(int n, int helpers, void (*fn)(void*, int), void* ctx) {
        std::unique_lock<std::mutex> busy(busy_, std::try_to_lock);
        if (!busy.owns_lock()) return false;
        helpers = std::min(helpers, workers());
        {
            std::lock_guard<std::mutex> lk(m_);
            fn_ = fn;
            ctx_ = ctx;
            n_ = n;
            next_.store(0, std::memory_order_relaxed);
            helpers_ = helpers;
            pending_ = helpers;
            ++generation_;
        }
        cv_.notify_all();
        work();
        {
            std::unique_lock<std::mutex> lk(m_);
            done_cv_.wait(lk, [this] { return pending_ == 0; });
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
        std::uint64_t seen = 0;
        std::unique_lock<std::mutex> lk(m_);
        for (;;) {
            cv_.wait(lk, [&] { return stop_ || generation_ != seen; });
            if (stop_) return;
            seen = generation_;
            if (id >= helpers_) continue;  // not needed for this job
            lk.unlock();
            work();
            lk.lock();
            if (--pending_ == 0) done_cv_.notify_one();
        }
    }

    std::mutex busy_;  // held by the call that owns the pool
    std::mutex m_;
    std::condition_variable cv_, done_cv_;
    std::vector<std::thread> threads_;
    std::uint64_t generation_ = 0;
    bool stop_ = false;
    void (*fn_)(void*, int) = nullptr;
    void* ctx_ = nullptr;
    int n_ = 0;
    std::atomic<int> next_{0};
    int helpers_ = 0;
    int pending_ = 0;
};

// Queried once: hardware_concurrency() reads /sys on every call (microseconds).
int hardware_threads() {
    static const int n = [] {
        const unsigned hc = std::thread::hardware_concurrency();
        return hc == 0 ? 1 : (int)std::min(hc, 256u);
    }();
    return n;
}

Pool& pool() {
    static Pool p(hardware_threads() - 1);
    return p;
}

}  // namespace

void parallel_for_impl(int n, double work, void (*fn)(void*, int), void* ctx) {
    int threads = g_max_threads.load(std::memory_order_relaxed);
    const int hw = hardware_threads();
    if (threads <= 0 || threads > hw) threads = hw;
    if (n > 1 && threads > 1 && work >= kParallelThreshold) {
        const int helpers = std::min(threads, n) - 1;
        if (pool().try_run(n, helpers, fn, ctx)) return;
    }
    for (int i = 0; i < n; ++i) fn(ctx, i);
}

}  // namespace h4j

extern "C" int h4j_set_max_threads(int n) {
    return h4j::g_max_threads.exchange(n < 0 ? 0 : n);
}

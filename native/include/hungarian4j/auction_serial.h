/*
 * hungarian4j — the serial executor of the auction rounds (host code only).
 *
 * Runs the rounds of auction_rounds.h on one CPU thread: every "parallel" loop of the block is a
 * plain loop, every per-person warp scan is one pass over the objects, atomics are plain
 * compare-and-store. Reductions are order-independent (min/max/count/keys), so the result is the
 * same matching the CUDA kernel computes from the same costs. Used by the CPU twin
 * (native/src/auction_cpu.cpp) and by the tests' emulation harness (native/tests/auction_emu.h).
 */
#ifndef HUNGARIAN4J_AUCTION_SERIAL_H
#define HUNGARIAN4J_AUCTION_SERIAL_H

namespace h4j {
namespace auction {

/// The executor contract of auction_blocks.h for one "thread" that is the whole block.
struct SerialExec {
    bool leader() const { return true; }
    void sync() const {}
    template <class F>
    void for_each(int count, F f) const {
        for (int i = 0; i < count; ++i) f(i);
    }
    template <class P, class Scan, class Comb, class Done>
    void for_each_warp(int count, P ident, Scan scan, Comb comb, Done done) const {
        for (int k = 0; k < count; ++k) done(k, comb(ident, scan(k, 0, 1)));
    }
    template <class P, class Gen, class Comb>
    P reduce(int count, P ident, Gen gen, Comb comb) const {
        P a = ident;
        for (int i = 0; i < count; ++i) a = comb(a, gen(i));
        return a;
    }
    template <class Pred>
    int compact(int count, Pred pred, int* list) const {
        int c = 0;
        for (int i = 0; i < count; ++i)
            if (pred(i)) list[c++] = i;
        return c;
    }
    template <class F>
    int leader_int(F f) const {
        return f();
    }
};

}  // namespace auction
}  // namespace h4j

#endif

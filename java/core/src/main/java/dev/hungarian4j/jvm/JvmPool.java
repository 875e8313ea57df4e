package dev.hungarian4j.jvm;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The jvm backend's pool for per-image work, modelled on the native one: hardware threads - 1 daemon workers, the
 * calling thread working too, at most {@link #threads()} threads per call (the cap that
 * {@link dev.hungarian4j.Backends#setMaxNativeThreads} and {@code -Dh4j.native.threads} set for both CPU backends). A call dispatches only when its estimated serial work pays for waking
 * workers; a call that finds the pool busy (another thread's call holds it) runs serially on its own thread instead
 * of queueing or oversubscribing. Items write disjoint outputs; callers reduce over items afterwards in item order,
 * so results never depend on the thread count.
 */
public final class JvmPool {
    /** Hardware threads, read once. */
    static final int HARDWARE = Math.max(1, Runtime.getRuntime().availableProcessors());
    /** Dispatch only above this estimated serial work (ns): waking a parked worker costs 5-50 us. */
    private static final double PARALLEL_THRESHOLD_NS = 150_000;
    /** Each thread of a call gets at least this much of the work (ns). */
    private static final double MIN_WORK_PER_THREAD_NS = 60_000;
    /** A worker polls this long for the next job before parking (back-to-back calls of a training loop). */
    private static final long WORKER_SPIN_NS = 50_000;
    /** The caller polls this long for its helpers before parking. */
    private static final long CALLER_SPIN_NS = 200_000;
    /** Polling rounds between two yields of the CPU (about 4 us of spin-wait hints; the native pool's 64 pauses). */
    private static final int YIELD_EVERY = 64;

    private static volatile int maxThreads = initialCap();
    private static final AtomicBoolean BUSY = new AtomicBoolean();
    private static volatile Worker[] workers;

    private JvmPool() {
    }

    /**
     * Sets the cap (0 = every hardware thread). {@link dev.hungarian4j.Backends#setMaxNativeThreads} is the public
     * entry, which sets the native pool's cap too.
     *
     * @param n the cap, {@code >= 0}
     * @return the previous cap
     * @throws IllegalArgumentException when {@code n} is negative
     */
    public static synchronized int setMaxThreads(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("maxThreads is " + n + "; must be >= 0 (0 = all cores)");
        }
        int previous = maxThreads;
        maxThreads = n;
        return previous;
    }

    /** {@code -Dh4j.native.threads=N} at start-up (NativeLoader applies the same to the native pool), else 0. */
    private static int initialCap() {
        try {
            int n = Integer.parseInt(System.getProperty("h4j.native.threads", "0").trim());
            return Math.max(0, n);
        } catch (NumberFormatException e) { // NativeLoader warns about it
            return 0;
        }
    }

    /**
     * The threads a large call may use now.
     *
     * @return the cap resolved against the hardware, in {@code [1, HARDWARE]}
     */
    public static int threads() {
        int t = maxThreads;
        return t <= 0 || t > HARDWARE ? HARDWARE : t;
    }

    /**
     * Runs {@code body.accept(i)} for every {@code i} in {@code [0, n)}, spread over up to {@link #threads()}
     * threads when {@code workNs} (the estimated serial time) is large enough. Returns when every item is done; the
     * first exception an item threw is rethrown here (the other items still ran).
     */
    static void forEach(int n, double workNs, IntConsumer body) {
        int threads = threads();
        if (n > 1 && threads > 1 && workNs >= PARALLEL_THRESHOLD_NS) {
            int useful = (int) Math.min(threads, workNs / MIN_WORK_PER_THREAD_NS);
            int helpers = Math.min(useful, n) - 1;
            if (helpers > 0 && BUSY.compareAndSet(false, true)) {
                try {
                    runParallel(n, helpers, body);
                } finally {
                    BUSY.set(false);
                }
                return;
            }
        }
        for (int i = 0; i < n; i++) {
            body.accept(i);
        }
    }

    private static void runParallel(int n, int helpers, IntConsumer body) {
        Job job = new Job(n, body, Thread.currentThread());
        Worker[] w = workers();
        for (int k = 0; k < helpers && k < w.length; k++) {
            w[k].give(job);
        }
        job.work();
        long start = System.nanoTime();
        for (int spins = 1; job.done.get() < n; spins++) {
            if (System.nanoTime() - start < CALLER_SPIN_NS) {
                pause(spins);
            } else {
                LockSupport.park(job);
            }
        }
        Throwable t = job.failure.get();
        if (t instanceof RuntimeException) {
            throw (RuntimeException) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
        if (t != null) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * One round of polling: a spin-wait hint, and every {@link #YIELD_EVERY} rounds the CPU yielded, so that a thread
     * waiting for this CPU runs (the scheduler may put a woken worker on the caller's CPU, or the framework's threads
     * share it, and the item it holds is what the caller polls for).
     */
    private static void pause(int spins) {
        if (spins % YIELD_EVERY == 0) {
            Thread.yield();
        } else {
            Thread.onSpinWait();
        }
    }

    private static Worker[] workers() {
        Worker[] w = workers;
        if (w == null) {
            synchronized (JvmPool.class) {
                w = workers;
                if (w == null) {
                    w = new Worker[HARDWARE - 1];
                    for (int k = 0; k < w.length; k++) {
                        w[k] = new Worker(k);
                        w[k].start();
                    }
                    workers = w;
                }
            }
        }
        return w;
    }

    /** One parallel call: items are claimed from a shared counter; the last one to finish wakes the caller. */
    private static final class Job {
        final int n;
        final IntConsumer body;
        final Thread caller;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        Job(int n, IntConsumer body, Thread caller) {
            this.n = n;
            this.body = body;
            this.caller = caller;
        }

        void work() {
            int i;
            while ((i = next.getAndIncrement()) < n) {
                try {
                    body.accept(i);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
                if (done.incrementAndGet() == n) {
                    LockSupport.unpark(caller);
                }
            }
        }
    }

    /** A daemon worker: takes the job handed to it, works on it, polls briefly for the next, then parks. */
    private static final class Worker extends Thread {
        private final AtomicReference<Job> inbox = new AtomicReference<>();

        Worker(int k) {
            super("hungarian4j-jvm-" + k);
            setDaemon(true);
        }

        void give(Job job) {
            inbox.set(job);
            LockSupport.unpark(this);
        }

        @Override
        public void run() {
            long idleSince = System.nanoTime();
            for (int spins = 1; ; spins++) {
                Job job = inbox.getAndSet(null);
                if (job != null) {
                    job.work();
                    idleSince = System.nanoTime();
                } else if (System.nanoTime() - idleSince < WORKER_SPIN_NS) {
                    pause(spins);
                } else {
                    LockSupport.park(this);
                }
            }
        }
    }
}

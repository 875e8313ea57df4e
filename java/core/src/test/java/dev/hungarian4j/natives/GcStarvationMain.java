package dev.hungarian4j.natives;

import dev.hungarian4j.Batch;
import dev.hungarian4j.HungarianConfig;
import dev.hungarian4j.SyntheticBatch;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Run by {@link GcStarvationTest} in a child JVM with a small heap: three threads call the native forward back to
 * back while three others allocate 0.4-2.8 MB arrays (about 100 MB live in all), for the given seconds. Prints
 * {@code ok calls=N allocations=N} and exits 0, or prints the first failure and exits 1. With the arrays passed in
 * JNI critical regions, JDK 17's G1 threw OutOfMemoryError here within seconds (GCLocker starvation).
 */
public final class GcStarvationMain {
    private GcStarvationMain() {
    }

    /**
     * Runs the stress.
     *
     * @param args one argument: seconds to run
     * @throws InterruptedException when interrupted while joining the threads
     */
    public static void main(String[] args) throws InterruptedException {
        long seconds = Long.parseLong(args[0]);
        Batch batch = SyntheticBatch.generate(1, 64, 100, 91, 20);
        NativeBackend nb = NativeBackend.instance();
        AtomicLong calls = new AtomicLong();
        AtomicLong allocations = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        Thread[] threads = new Thread[6];
        for (int t = 0; t < threads.length; t++) {
            boolean caller = t < 3;
            threads[t] = new Thread(() -> {
                try {
                    if (caller) {
                        int[] assign = new int[batch.batch() * batch.queries()];
                        double[] cost = new double[batch.batch()];
                        double[] terms = new double[5];
                        float[] gl = new float[batch.predictions().logits().length];
                        float[] gb = new float[batch.predictions().boxes().length];
                        while (System.nanoTime() < end && failure.get() == null) {
                            nb.forwardInto(HungarianConfig.DEFAULTS, batch, assign, cost, terms, gl, gb);
                            calls.incrementAndGet();
                        }
                    } else {
                        Object[] live = new Object[16];
                        int i = 0;
                        while (System.nanoTime() < end && failure.get() == null) {
                            live[i & 15] = new float[(i % 7 + 1) * 100_000];
                            i++;
                            allocations.incrementAndGet();
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        if (failure.get() != null) {
            System.out.println("failed: " + failure.get());
            System.exit(1);
        }
        System.out.println("ok calls=" + calls.get() + " allocations=" + allocations.get() + " arrays "
                + InPlaceArrays.describe());
    }
}

package dev.hungarian4j.natives;

import dev.hungarian4j.Batch;
import dev.hungarian4j.BackendKind;
import dev.hungarian4j.HungarianConfig;
import dev.hungarian4j.HungarianLoss;
import dev.hungarian4j.LossClass;
import dev.hungarian4j.SyntheticBatch;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Run by {@link ExitDuringCallTest} in a child JVM: two threads call the six-layer native pipeline back to back (a
 * few milliseconds per call, so the pool's threads are copying through JNI most of the time), and the main thread
 * calls {@code System.exit(0)} while they do. Prints {@code exiting calls=N} first; the JVM must then end.
 */
public final class ExitDuringCallMain {
    private ExitDuringCallMain() {
    }

    /**
     * Runs the calls, then exits.
     *
     * @param args one argument: milliseconds to let the calls run before exiting
     * @throws InterruptedException when interrupted while sleeping
     */
    public static void main(String[] args) throws InterruptedException {
        long millis = Long.parseLong(args[0]);
        int[] counts = new int[16];
        Arrays.fill(counts, 50);
        Batch batch = SyntheticBatch.generate(5, 300, 91, counts, 6, LossClass.CE);
        HungarianLoss loss = HungarianLoss.create(HungarianConfig.DEFAULTS, BackendKind.NATIVE);
        AtomicLong calls = new AtomicLong();
        for (int t = 0; t < 2; t++) {
            Thread th = new Thread(() -> {
                float[][] gl = new float[6][batch.predictions().logits().length];
                float[][] gb = new float[6][batch.predictions().boxes().length];
                for (;;) {
                    loss.computeInto(batch, gl, gb);
                    calls.incrementAndGet();
                }
            });
            th.setDaemon(false); // System.exit must end the JVM anyway
            th.start();
        }
        Thread.sleep(millis);
        System.out.println("exiting calls=" + calls.get() + " " + InPlaceArrays.describe());
        System.out.flush();
        System.exit(0);
    }
}

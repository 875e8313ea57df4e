package dev.hungarian4j.natives;

import dev.hungarian4j.BackendKind;
import dev.hungarian4j.Batch;
import dev.hungarian4j.HungarianConfig;
import dev.hungarian4j.HungarianLoss;
import dev.hungarian4j.InvalidInputException;
import dev.hungarian4j.LossResult;
import dev.hungarian4j.MatcherKind;
import dev.hungarian4j.Matching;
import dev.hungarian4j.SyntheticBatch;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The allocation-free entry points give exactly the results of the allocating ones, and refuse short arrays; input
 * arrays are never written, and the garbage collector keeps running, without starving allocating threads, while
 * several threads call in (the large arrays travel through per-thread staging buffers, see ArrayStaging).
 */
class NativeIntoTest {
    private final Batch batch = SyntheticBatch.generate(5, 30, 7, new int[] {4, 0, 12, 30});
    private final NativeBackend nb = NativeBackend.instance();

    @Test
    void forwardIntoMatchesCompute() {
        LossResult expected = HungarianLoss.create(HungarianConfig.DEFAULTS, BackendKind.NATIVE).compute(batch, true);
        int rows = batch.batch() * batch.queries();
        int[] assign = new int[rows];
        double[] cost = new double[batch.batch()];
        double[] terms = new double[5];
        float[] gl = new float[batch.predictions().logits().length];
        float[] gb = new float[batch.predictions().boxes().length];
        for (int repeat = 0; repeat < 2; repeat++) { // reused arrays are overwritten
            nb.forwardInto(HungarianConfig.DEFAULTS, batch, assign, cost, terms, gl, gb);
            assertArrayEquals(expected.matching().assignment(), assign);
            assertArrayEquals(expected.matching().costs(), cost);
            assertEquals(expected.loss().ce(), terms[0]);
            assertEquals(expected.loss().bbox(), terms[1]);
            assertEquals(expected.loss().giou(), terms[2]);
            assertEquals(expected.loss().total(), terms[3]);
            assertEquals(expected.numBoxes(), terms[4]);
            assertArrayEquals(expected.gradLogits(), gl);
            assertArrayEquals(expected.gradBoxes(), gb);
        }
        nb.forwardInto(HungarianConfig.DEFAULTS, batch, assign, cost, terms, null, null);
        assertEquals(expected.loss().total(), terms[3]);
    }

    @Test
    void matchIntoMatchesMatch() {
        float[] costs = HungarianLoss.create(HungarianConfig.DEFAULTS, BackendKind.NATIVE).costs(batch);
        Matching m = nb.match(batch, costs, MatcherKind.EXACT);
        int[] assign = new int[batch.batch() * batch.queries()];
        double[] cost = new double[batch.batch()];
        nb.matchInto(batch, costs, assign, cost);
        assertArrayEquals(m.assignment(), assign);
        assertArrayEquals(m.costs(), cost);
    }

    @Test
    void shortArraysAreRefusedInJava() {
        int rows = batch.batch() * batch.queries();
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> nb.forwardInto(
                HungarianConfig.DEFAULTS, batch, new int[rows - 1], new double[4], new double[5], null, null));
        assertEquals(true, e.getMessage().contains("assign_out"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> nb.forwardInto(HungarianConfig.DEFAULTS, batch,
                new int[rows], new double[4], new double[5], new float[3], null));
        assertEquals(true, e.getMessage().contains("grad_logits"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> nb.matchInto(batch, new float[2], new int[rows],
                new double[4]));
        assertEquals(true, e.getMessage().contains("costs"), e.getMessage());
    }

    @Test
    void inputArraysAreNeverWritten() {
        // Inputs are staged through buffers that outputs also use (cost blocks): a mix-up would write into them.
        float[] logits = batch.predictions().logits().clone();
        float[] boxes = batch.predictions().boxes().clone();
        int[] offsets = batch.targets().offsets().clone();
        int[] labels = batch.targets().labels().clone();
        float[] tboxes = batch.targets().boxes().clone();
        HungarianLoss exact = HungarianLoss.create(HungarianConfig.DEFAULTS, BackendKind.NATIVE, MatcherKind.EXACT);
        HungarianLoss auction = HungarianLoss.create(HungarianConfig.DEFAULTS, BackendKind.NATIVE, MatcherKind.AUCTION);
        float[] costs = exact.costs(batch);
        float[] costsBefore = costs.clone();
        Matching m = nb.match(batch, costs, MatcherKind.EXACT);
        nb.match(batch, costs, MatcherKind.AUCTION);
        int[] assignBefore = m.assignment().clone();
        nb.loss(HungarianConfig.DEFAULTS, batch, m.assignment(), new float[logits.length], new float[boxes.length]);
        exact.compute(batch, true);
        auction.compute(batch, true);
        assertArrayEquals(costsBefore, costs);
        assertArrayEquals(assignBefore, m.assignment());
        assertArrayEquals(logits, batch.predictions().logits());
        assertArrayEquals(boxes, batch.predictions().boxes());
        assertArrayEquals(offsets, batch.targets().offsets());
        assertArrayEquals(labels, batch.targets().labels());
        assertArrayEquals(tboxes, batch.targets().boxes());
    }

    @Test
    void gcRunsWhileThreadsAreInsideNativeCalls() {
        // Four threads calling back to back while a fifth allocates and asks for collections must all finish with
        // the single-threaded results. (Passing the arrays in JNI critical regions instead starved allocating
        // threads into OutOfMemoryError on JDK 17's G1; a deadlock or a moved array would fail or time out here.)
        Batch big = SyntheticBatch.generate(11, 16, 100, 91, 20);
        LossResult expected = HungarianLoss.create(HungarianConfig.DEFAULTS, BackendKind.NATIVE).compute(big, true);
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> callers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Thread th = new Thread(() -> {
                    int[] assign = new int[big.batch() * big.queries()];
                    double[] cost = new double[big.batch()];
                    double[] terms = new double[5];
                    float[] gl = new float[big.predictions().logits().length];
                    float[] gb = new float[big.predictions().boxes().length];
                    try {
                        for (int i = 0; i < 150; i++) {
                            nb.forwardInto(HungarianConfig.DEFAULTS, big, assign, cost, terms, gl, gb);
                            assertArrayEquals(expected.matching().assignment(), assign);
                            assertEquals(expected.loss().total(), terms[3]);
                            assertArrayEquals(expected.gradLogits(), gl);
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                });
                callers.add(th);
                th.start();
            }
            long sink = 0;
            while (callers.stream().anyMatch(Thread::isAlive)) {
                for (int i = 0; i < 200; i++) {
                    sink += new byte[64 * 1024].length; // garbage, so that young collections happen
                }
                System.gc();
            }
            for (Thread th : callers) {
                th.join();
            }
            assertNull(failure.get(), () -> "a calling thread failed: " + failure.get());
            assertEquals(true, sink > 0);
        });
    }
}

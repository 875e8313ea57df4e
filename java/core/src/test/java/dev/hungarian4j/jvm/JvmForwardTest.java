package dev.hungarian4j.jvm;

import dev.hungarian4j.BackendKind;
import dev.hungarian4j.Batch;
import dev.hungarian4j.Backends;
import dev.hungarian4j.HungarianConfig;
import dev.hungarian4j.HungarianLoss;
import dev.hungarian4j.LossResult;
import dev.hungarian4j.Matching;
import dev.hungarian4j.MatcherKind;
import dev.hungarian4j.SyntheticBatch;
import dev.hungarian4j.natives.NativeBackend;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The jvm backend's fused, pooled pipeline: the same results as its three stages run one after the other, bit for
 * bit whatever the thread cap, and the same {@code prob} cost blocks as the native backend.
 */
class JvmForwardTest {
    private static final HungarianConfig CFG = HungarianConfig.DEFAULTS;

    /** Big enough for the pool to dispatch (its work estimate is well above the threshold). */
    private static Batch big() {
        return SyntheticBatch.generate(21, 16, 100, 91, 20);
    }

    @Test
    void forwardEqualsTheStagesAndDoesNotDependOnTheThreadCap() {
        Batch batch = big();
        HungarianLoss loss = HungarianLoss.create(CFG, BackendKind.JVM, MatcherKind.EXACT);
        float[] costs = loss.costs(batch);
        Matching staged = JvmBackend.INSTANCE.match(batch, costs, MatcherKind.EXACT);
        LossResult stagedLoss = loss.loss(batch, staged, true);
        int previous = Backends.setMaxNativeThreads(1);
        try {
            LossResult serial = loss.compute(batch, true);
            Backends.setMaxNativeThreads(0);
            LossResult pooled = loss.compute(batch, true);
            assertTrue(Backends.cpuThreads() >= 1);
            for (LossResult r : new LossResult[] {serial, pooled}) {
                assertArrayEquals(staged.assignment(), r.matching().assignment());
                assertArrayEquals(staged.costs(), r.matching().costs());
                assertEquals(stagedLoss.loss().total(), r.loss().total(), 0.0);
                assertEquals(stagedLoss.loss().ce(), r.loss().ce(), 0.0);
                assertArrayEquals(stagedLoss.gradLogits(), r.gradLogits());
                assertArrayEquals(stagedLoss.gradBoxes(), r.gradBoxes());
            }
            Backends.setMaxNativeThreads(1);
            float[] serialCosts = loss.costs(batch);
            assertArrayEquals(costs, serialCosts);
        } finally {
            Backends.setMaxNativeThreads(previous);
        }
    }

    @Test
    void probCostBlocksAreBitIdenticalToTheNativeBackend() {
        Assumptions.assumeTrue(NativeBackend.status().available(),
                () -> "native backend not loaded: " + NativeBackend.status().detail());
        for (long seed = 1; seed <= 5; seed++) {
            Batch batch = SyntheticBatch.generate(seed, (int) (2 + seed), 50 + (int) seed, 91, 7 * (int) seed);
            float[] jvm = HungarianLoss.create(CFG, BackendKind.JVM).costs(batch);
            float[] nat = HungarianLoss.create(CFG, BackendKind.NATIVE).costs(batch);
            assertArrayEquals(nat, jvm, "seed " + seed);
        }
    }

    @Test
    void oneCapForBothCpuBackends() {
        int previous = Backends.setMaxNativeThreads(1);
        try {
            assertEquals(1, Backends.cpuThreads());
            assertEquals(1, JvmPool.setMaxThreads(1), "the jvm pool holds the cap just set");
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> Backends.setMaxNativeThreads(-1));
        } finally {
            Backends.setMaxNativeThreads(previous);
        }
    }
}

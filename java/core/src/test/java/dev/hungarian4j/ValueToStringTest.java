package dev.hungarian4j;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The value types print a short summary for logs, never their (possibly huge) arrays. */
class ValueToStringTest {
    @Test
    void summaries() {
        Predictions p = new Predictions(2, 3, 4, new float[2 * 3 * 4], new float[] {
            0.5f, 0.5f, 0.2f, 0.2f, 0.4f, 0.4f, 0.1f, 0.1f, 0.3f, 0.3f, 0.1f, 0.2f,
            0.5f, 0.5f, 0.2f, 0.2f, 0.4f, 0.4f, 0.1f, 0.1f, 0.3f, 0.3f, 0.1f, 0.2f});
        Targets t = new Targets(new int[] {0, 1, 3}, new int[] {0, 1, 2},
                new float[] {0.5f, 0.5f, 0.2f, 0.2f, 0.4f, 0.4f, 0.1f, 0.1f, 0.3f, 0.3f, 0.1f, 0.2f});
        Batch b = new Batch(p, t);
        assertEquals("Predictions{B=2, Q=3, numLogits=4}", p.toString());
        assertEquals("Targets{B=2, total=3, perImage=[1, 2]}", t.toString());
        assertEquals("Batch{Predictions{B=2, Q=3, numLogits=4}, Targets{B=2, total=3, perImage=[1, 2]}}", b.toString());
        LossResult r = HungarianLoss.create(HungarianConfig.DEFAULTS, BackendKind.JVM).compute(b, true);
        assertEquals(BackendKind.JVM, r.backend());
        String s = r.toString();
        assertTrue(s.startsWith("LossResult{backend=jvm, loss=LossTerms[ce="), s);
        assertTrue(s.endsWith(", gradients=true}"), s);
        assertTrue(HungarianConfig.DEFAULTS.toString().contains("eos_coef=0.1"));
        MatcherReport m = new MatcherReport(new int[2 * MatcherReport.STATS_LEN]);
        assertTrue(m.toString().startsWith("MatcherReport{problems=2, outcomes=["), m.toString());
    }

    @Test
    void backendUnavailableIsAHungarianException() {
        HungarianException e = new BackendUnavailableException("backend cuda is not available: no CUDA device found");
        assertEquals(0, e.status());
    }
}

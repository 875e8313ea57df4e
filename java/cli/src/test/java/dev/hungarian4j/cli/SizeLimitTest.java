package dev.hungarian4j.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A valid input of ~1.3 MB whose Q x total targets exceeds 32-bit indexing is bad input naming {@code targets} on
 * every backend (issue 10 item 8): it once ended in "internal error: NegativeArraySizeException".
 */
class SizeLimitTest {
    @Test
    void queriesTimesTargetsBeyondAnIntIsExitTwoNamingTargets() {
        int q = 46_341;
        StringBuilder sb = new StringBuilder(1 << 21);
        sb.append("{\"pred_logits\":[[");
        for (int i = 0; i < q; i++) {
            sb.append(i == 0 ? "" : ",").append("[0,0]");
        }
        sb.append("]],\"pred_boxes\":[[");
        for (int i = 0; i < q; i++) {
            sb.append(i == 0 ? "" : ",").append("[0,0,0,0]");
        }
        sb.append("]],\"targets\":[{\"labels\":[");
        for (int i = 0; i < q; i++) {
            sb.append(i == 0 ? "0" : ",0");
        }
        sb.append("],\"boxes\":[");
        for (int i = 0; i < q; i++) {
            sb.append(i == 0 ? "" : ",").append("[0,0,0,0]");
        }
        sb.append("]}]}");
        for (String backend : new String[] {"jvm", "native"}) {
            CliRun.Result r = CliRun.withStdin(sb.toString(), "loss", "--input", "-", "--backend", backend);
            assertEquals(2, r.exit(), r.toString());
            assertTrue(r.err().startsWith("error: targets give Q * total targets"), r.toString());
            assertTrue(r.out().isEmpty(), r.toString());
        }
    }
}

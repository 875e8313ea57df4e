package dev.hungarian4j.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A syntax error between two top-level fields names the object it is in, not the field before it, whose value
 * was fine (issue 10 item 11).
 */
class JsonSyntaxFieldTest {
    private static final String LOGITS = "[[[0.1, 2.0, -1.0]]]";
    private static final String BOXES = "[[[0.5, 0.5, 0.2, 0.3]]]";
    private static final String TARGETS = "[{\"labels\": [1], \"boxes\": [[0.4, 0.5, 0.2, 0.2]]}]";

    @Test
    void aMissingCommaAfterATopLevelValueNamesTheInput() {
        String doc = "{\"pred_logits\": " + LOGITS + " \"pred_boxes\": " + BOXES + ", \"targets\": " + TARGETS + "}";
        CliRun.Result r = CliRun.withStdin(doc, "match", "--input", "-", "--backend", "jvm");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().startsWith("error: input is not valid JSON after the value of pred_logits"), r.err());
    }

    @Test
    void aBadTokenAfterAConfigValueNamesTheConfig() {
        String doc = "{\"pred_logits\": " + LOGITS + ", \"pred_boxes\": " + BOXES + ", \"targets\": " + TARGETS
                + ", \"config\": {\"eos_coef\": 0.2 ; \"cost_bbox\": 1}}";
        CliRun.Result r = CliRun.withStdin(doc, "match", "--input", "-", "--backend", "jvm");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().startsWith("error: config is not valid JSON after the value of eos_coef"), r.err());
    }

    @Test
    void anErrorInsideAValueStillNamesTheValue() {
        String doc = "{\"pred_logits\": [[[0.1, 2.0, -1.0,]]], \"pred_boxes\": " + BOXES + ", \"targets\": "
                + TARGETS + "}";
        CliRun.Result r = CliRun.withStdin(doc, "match", "--input", "-", "--backend", "jvm");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().startsWith("error: pred_logits[0][0]"), r.err());
    }
}

package dev.hungarian4j;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A caller that nests the arrays in a larger document names the field there; the problem text stays. */
class InvalidInputExceptionTest {
    @Test
    void prefixNamesTheFieldInsideTheEnclosingDocument() {
        float[] boxes = {0.5f, 0.5f, 0.2f, -0.1f};
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> new Predictions(1, 1, 2, new float[] {0f, 1f}, boxes));
        assertEquals("pred_boxes[0][0][3]", e.field());
        InvalidInputException p = e.withFieldPrefix("aux_outputs[2].");
        assertEquals("aux_outputs[2].pred_boxes[0][0][3]", p.field());
        assertEquals(e.problem(), p.problem());
        assertEquals("aux_outputs[2]." + e.getMessage(), p.getMessage());
        assertSame(e, p.getCause());
    }
}

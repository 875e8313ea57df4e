package dev.hungarian4j.cli;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.hungarian4j.LossResult;
import dev.hungarian4j.LossTerms;
import dev.hungarian4j.MatcherReport;
import dev.hungarian4j.Matching;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Writes the output JSON of CONTRACT.md section 2 with Jackson's streaming generator (gradients of a large batch
 * are never held as text in memory):
 * <pre>
 * {"backend": "jvm",
 *  "matches": [{"pred": [...], "target": [...]}, ...B],
 *  "matching_cost": [...B],
 *  "matcher_report": [{"outcome": "certified", ...}, ...B],      only when the auction matcher ran
 *  "loss": {"ce", "bbox", "giou", "total"},                       loss only
 *  "num_boxes": 17,                                               loss only
 *  "grad": {"pred_logits": [[[...]]], "pred_boxes": [[[...]]]}}   loss --grad only
 * </pre>
 * Float32 values (gradients) are printed with {@link Float#toString(float)} digits and double values (costs,
 * loss terms) with {@link Double#toString(double)} digits, so both round-trip. {@code matcher_report} is an
 * extension of the contract: per image, how the auction ended ({@code trivial}, {@code certified},
 * {@code repaired}, {@code capped_repaired}) with its round counts.
 */
public final class OutputWriter {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build();

    private OutputWriter() {
    }

    /**
     * Writes the output of {@code match}.
     *
     * @param out      where to write (flushed, not closed)
     * @param backend  the backend's CLI name
     * @param matching the matching
     */
    public static void writeMatch(OutputStream out, String backend, Matching matching) {
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            writeMatching(g, backend, matching);
            g.writeEndObject();
            g.writeRaw('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the output", e);
        }
    }

    /**
     * Writes the output of {@code loss} (with {@code grad} when the result has gradients).
     *
     * @param out       where to write (flushed, not closed)
     * @param result    the loss result
     * @param queries   Q, for the gradient shapes
     * @param numLogits K+1, for the gradient shapes
     */
    public static void writeLoss(OutputStream out, LossResult result, int queries, int numLogits) {
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            writeMatching(g, result.backend().cliName(), result.matching());
            LossTerms t = result.loss();
            g.writeObjectFieldStart("loss");
            g.writeNumberField("ce", t.ce());
            g.writeNumberField("bbox", t.bbox());
            g.writeNumberField("giou", t.giou());
            g.writeNumberField("total", t.total());
            g.writeEndObject();
            double nb = result.numBoxes();
            g.writeFieldName("num_boxes");
            if (nb == Math.rint(nb) && Math.abs(nb) < 1e15) {
                g.writeNumber((long) nb);
            } else {
                g.writeNumber(nb);
            }
            if (result.hasGradients()) {
                g.writeObjectFieldStart("grad");
                g.writeFieldName("pred_logits");
                writeTensor(g, result.gradLogits(), queries, numLogits);
                g.writeFieldName("pred_boxes");
                writeTensor(g, result.gradBoxes(), queries, 4);
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeRaw('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the output", e);
        }
    }

    private static void writeMatching(JsonGenerator g, String backend, Matching m) throws IOException {
        g.writeStringField("backend", backend);
        g.writeArrayFieldStart("matches");
        for (int b = 0; b < m.batch(); b++) {
            g.writeStartObject();
            g.writeFieldName("pred");
            int[] pred = m.predIndices(b);
            g.writeArray(pred, 0, pred.length);
            g.writeFieldName("target");
            int[] target = m.targetIndices(b);
            g.writeArray(target, 0, target.length);
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("matching_cost");
        for (int b = 0; b < m.batch(); b++) {
            g.writeNumber(m.cost(b));
        }
        g.writeEndArray();
        MatcherReport r = m.report();
        if (r != null) {
            g.writeArrayFieldStart("matcher_report");
            for (int p = 0; p < r.problems(); p++) {
                g.writeStartObject();
                g.writeStringField("outcome", r.outcome(p).jsonName());
                g.writeNumberField("forward_rounds", r.forwardRounds(p));
                g.writeNumberField("reverse_rounds", r.reverseRounds(p));
                g.writeNumberField("refinement_rounds", r.refinementRounds(p));
                g.writeNumberField("phases", r.phases(p));
                g.writeNumberField("augmentations", r.augmentations(p));
                g.writeEndObject();
            }
            g.writeEndArray();
        }
    }

    private static void writeTensor(JsonGenerator g, float[] data, int rows, int width) throws IOException {
        int images = data.length / (rows * width);
        g.writeStartArray();
        int i = 0;
        for (int b = 0; b < images; b++) {
            g.writeStartArray();
            for (int q = 0; q < rows; q++) {
                g.writeStartArray();
                for (int k = 0; k < width; k++) {
                    g.writeNumber(data[i++]);
                }
                g.writeEndArray();
            }
            g.writeEndArray();
        }
        g.writeEndArray();
    }
}

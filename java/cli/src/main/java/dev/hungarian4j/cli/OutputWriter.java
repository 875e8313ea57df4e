package dev.hungarian4j.cli;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.hungarian4j.LayerResult;
import dev.hungarian4j.LossResult;
import dev.hungarian4j.LossTerms;
import dev.hungarian4j.MatcherReport;
import dev.hungarian4j.Matching;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Writes the output JSON of contract.md section 2 with Jackson's streaming generator (gradients of a large batch
 * are never held as text in memory):
 * <pre>
 * {"backend": "jvm",
 *  "matches": [{"pred": [...], "target": [...]}, ...B],
 *  "matching_cost": [...B],
 *  "matcher_report": [{"outcome": "certified", ...}, ...B],      only when the auction matcher ran
 *  "loss": {"ce", "bbox", "giou", "total"},                       loss only
 *  "num_boxes": 17,                                               loss only
 *  "aux_matches": [[...B], ...L-1], "aux_matching_cost": [...],   with aux_outputs (contract.md section 3)
 *  "aux_losses": [{"ce", ...}, ...L-1], "total_all_layers": 5.2,  loss with aux_outputs only
 *  "grad": {"pred_logits": [[[...]]], "pred_boxes": [[[...]]],     loss --grad only
 *           "aux": [{"pred_logits", "pred_boxes"}, ...L-1]}}      with aux_outputs
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
        writeMatch(out, backend, matching, null);
    }

    /**
     * Writes the output of {@code match} with the aux layers' matchings ({@code aux_matches},
     * {@code aux_matching_cost}).
     *
     * @param out      where to write (flushed, not closed)
     * @param backend  the backend's CLI name
     * @param matching the top layer's matching
     * @param aux      the aux layers' matchings in {@code aux_outputs} order, or null when the input had none
     */
    public static void writeMatch(OutputStream out, String backend, Matching matching, List<Matching> aux) {
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            writeMatching(g, backend, matching);
            if (aux != null) {
                writeAuxMatchings(g, aux);
            }
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
        writeLoss(out, result, queries, numLogits, !result.aux().isEmpty());
    }

    /**
     * Writes the output of {@code loss}, with the aux fields of contract.md section 3 when {@code withAux}.
     *
     * @param out       where to write (flushed, not closed)
     * @param result    the loss result
     * @param queries   Q, for the gradient shapes
     * @param numLogits logits per query, for the gradient shapes
     * @param withAux   whether to write {@code aux_matches}, {@code aux_matching_cost}, {@code aux_losses},
     *                  {@code total_all_layers} and {@code grad.aux} (true when the input had {@code aux_outputs},
     *                  even an empty list)
     */
    public static void writeLoss(OutputStream out, LossResult result, int queries, int numLogits, boolean withAux) {
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            writeMatching(g, result.backend().cliName(), result.matching());
            g.writeFieldName("loss");
            writeTerms(g, result.loss());
            double nb = result.numBoxes();
            g.writeFieldName("num_boxes");
            if (nb == Math.rint(nb) && Math.abs(nb) < 1e15) {
                g.writeNumber((long) nb);
            } else {
                g.writeNumber(nb);
            }
            List<LayerResult> aux = result.aux();
            if (withAux) {
                writeAuxMatchings(g, aux.stream().map(LayerResult::matching).toList());
                g.writeArrayFieldStart("aux_losses");
                for (LayerResult r : aux) {
                    writeTerms(g, r.loss());
                }
                g.writeEndArray();
                g.writeNumberField("total_all_layers", result.totalAllLayers());
            }
            if (result.hasGradients()) {
                g.writeObjectFieldStart("grad");
                g.writeFieldName("pred_logits");
                writeTensor(g, result.gradLogits(), queries, numLogits);
                g.writeFieldName("pred_boxes");
                writeTensor(g, result.gradBoxes(), queries, 4);
                if (withAux) {
                    g.writeArrayFieldStart("aux");
                    for (LayerResult r : aux) {
                        g.writeStartObject();
                        g.writeFieldName("pred_logits");
                        writeTensor(g, r.gradLogits(), queries, numLogits);
                        g.writeFieldName("pred_boxes");
                        writeTensor(g, r.gradBoxes(), queries, 4);
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                }
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeRaw('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the output", e);
        }
    }

    private static void writeTerms(JsonGenerator g, LossTerms t) throws IOException {
        g.writeStartObject();
        g.writeNumberField("ce", t.ce());
        g.writeNumberField("bbox", t.bbox());
        g.writeNumberField("giou", t.giou());
        g.writeNumberField("total", t.total());
        g.writeEndObject();
    }

    private static void writeAuxMatchings(JsonGenerator g, List<Matching> aux) throws IOException {
        g.writeArrayFieldStart("aux_matches");
        for (Matching m : aux) {
            writeMatches(g, m);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("aux_matching_cost");
        for (Matching m : aux) {
            g.writeStartArray();
            for (int b = 0; b < m.batch(); b++) {
                g.writeNumber(m.cost(b));
            }
            g.writeEndArray();
        }
        g.writeEndArray();
    }

    private static void writeMatches(JsonGenerator g, Matching m) throws IOException {
        g.writeStartArray();
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
    }

    private static void writeMatching(JsonGenerator g, String backend, Matching m) throws IOException {
        g.writeStringField("backend", backend);
        g.writeFieldName("matches");
        writeMatches(g, m);
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

package dev.hungarian4j.cli;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

/**
 * Prints benchmark results: as contract.md's bench JSON ({@code {"backend", "batch", "queries", "classes",
 * "targets", "matcher", "threads", "jdk", "cpu", "median_us": {cost, match, loss, total, total_alloc},
 * "p90_us": {...}}}, plus {@code layer_calls} and {@code one_layer} in both for a batch of several decoder layers,
 * and {@code gap_us} after {@code cpu} when the timed runs came after idle time; one object for one result, an array
 * of them for several), or as a human-readable table (with a line of ratios under it for each batch of several
 * layers).
 */
final class BenchReport {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build();

    private BenchReport() {
    }

    /** Writes the results as JSON: an object when there is one, else an array. */
    static void writeJson(OutputStream out, List<BenchResult> results, BenchEnvironment env, int gapUs) {
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            if (results.size() == 1) {
                writeOne(g, results.get(0), env, gapUs);
            } else {
                g.writeStartArray();
                for (BenchResult r : results) {
                    writeOne(g, r, env, gapUs);
                }
                g.writeEndArray();
            }
            g.writeRaw('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the output", e);
        }
    }

    private static void writeOne(JsonGenerator g, BenchResult r, BenchEnvironment env, int gapUs)
            throws IOException {
        g.writeStartObject();
        g.writeStringField("backend", r.backend());
        g.writeNumberField("batch", r.size().batch());
        g.writeNumberField("queries", r.size().queries());
        g.writeNumberField("classes", r.size().classes());
        g.writeNumberField("targets", r.size().targets());
        if (!r.family().isPlain()) { // contract.md section 3 sizes
            g.writeNumberField("layers", r.family().layers());
            g.writeNumberField("groups", r.family().groups());
            g.writeStringField("loss_class", r.family().focal() ? "focal" : "ce");
        }
        g.writeStringField("matcher", r.matcher());
        g.writeNumberField("threads", env.threads());
        g.writeStringField("jdk", env.jdk());
        g.writeStringField("cpu", env.cpu());
        if (gapUs > 0) {
            g.writeNumberField("gap_us", gapUs);
        }
        writeStages(g, "median_us", r.medianUs(), r.stageCount());
        writeStages(g, "p90_us", r.p90Us(), r.stageCount());
        g.writeEndObject();
    }

    private static void writeStages(JsonGenerator g, String name, double[] v, int stages) throws IOException {
        g.writeObjectFieldStart(name);
        for (int s = 0; s < stages; s++) {
            g.writeNumberField(BenchResult.STAGES[s], v[s]);
        }
        g.writeEndObject();
    }

    /** Writes the results as an aligned table, times in microseconds (median / p90). */
    static void writeTable(PrintStream out, List<BenchResult> results, BenchEnvironment env, int warmup, int warmupMs,
            int iterations, int gapUs) {
        out.printf(Locale.ROOT, "times per whole batch in microseconds, median / p90 of %d runs%s after at least %d "
                + "warm-up runs and %d ms (timed again, up to %d times, when the JIT compiled meanwhile); %d threads, "
                + "%s, %s%n", iterations, gapUs > 0 ? String.format(Locale.ROOT, ", each after %d us idle", gapUs)
                : "", warmup, warmupMs, BenchRunner.RETIMES, env.threads(), env.jdk(), env.cpu());
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-7s %-8s %16s", "backend", "matcher",
                "BxQxKxM"));
        int columns = results.stream().mapToInt(BenchResult::stageCount).max().orElse(BenchResult.LAYER_CALLS);
        for (int s = 0; s < columns; s++) {
            head.append(String.format(Locale.ROOT, " %21s", BenchResult.STAGES[s]));
        }
        out.println(head);
        for (BenchResult r : results) {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-7s %-8s %16s", r.backend(),
                    r.matcher(), r.size() + r.family().toString()));
            for (int s = 0; s < columns; s++) {
                sb.append(String.format(Locale.ROOT, " %21s", s < r.stageCount()
                        ? String.format(Locale.ROOT, "%.1f / %.1f", r.medianUs()[s], r.p90Us()[s]) : "-"));
            }
            out.println(sb);
        }
        for (BenchResult r : results) {
            if (r.family().layers() > 1) {
                out.printf(Locale.ROOT, "%s %s %s%s: total is %.2fx layer_calls (the L layers as L one-layer calls) "
                        + "and %.2fx one_layer (the one-layer call repeated on layer 0, whose arrays stay in the "
                        + "caches)%n", r.backend(), r.matcher(), r.size(), r.family(), r.totalOverLayerCalls(),
                        r.totalOverOneLayer());
            }
        }
    }
}

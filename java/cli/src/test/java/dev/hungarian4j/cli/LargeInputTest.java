package dev.hungarian4j.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A large input (B=12, Q=900, K=91, about 25 MB of JSON) is read by streaming: it parses in a child JVM limited
 * to {@code -Xmx128m}, which a tree model of the document would not fit comfortably, and in-process too.
 */
class LargeInputTest {
    private static final int B = 12;
    private static final int Q = 900;
    private static final int K = 91;
    private static final int M = 20;

    private static Path writeLargeInput(Path dir) throws IOException {
        Path f = dir.resolve("large.json");
        Random rnd = new Random(3);
        try (BufferedWriter w = Files.newBufferedWriter(f, StandardCharsets.UTF_8)) {
            w.write("{\"pred_logits\": [");
            for (int b = 0; b < B; b++) {
                w.write(b == 0 ? "[" : ", [");
                for (int q = 0; q < Q; q++) {
                    w.write(q == 0 ? "[" : ", [");
                    for (int k = 0; k <= K; k++) {
                        if (k > 0) {
                            w.write(", ");
                        }
                        w.write(Double.toString(rnd.nextGaussian()));
                    }
                    w.write(']');
                }
                w.write(']');
            }
            w.write("],\n\"pred_boxes\": [");
            for (int b = 0; b < B; b++) {
                w.write(b == 0 ? "[" : ", [");
                for (int q = 0; q < Q; q++) {
                    w.write((q == 0 ? "[" : ", [") + box(rnd) + "]");
                }
                w.write(']');
            }
            w.write("],\n\"targets\": [");
            for (int b = 0; b < B; b++) {
                StringBuilder labels = new StringBuilder();
                StringBuilder boxes = new StringBuilder();
                for (int j = 0; j < M; j++) {
                    labels.append(j == 0 ? "" : ", ").append(rnd.nextInt(K));
                    boxes.append(j == 0 ? "[" : ", [").append(box(rnd)).append(']');
                }
                w.write((b == 0 ? "" : ", ") + "{\"image_id\": " + b + ", \"labels\": [" + labels + "], \"boxes\": ["
                        + boxes + "]}");
            }
            w.write("]}\n");
        }
        return f;
    }

    private static String box(Random rnd) {
        return (0.1 + 0.8 * rnd.nextDouble()) + ", " + (0.1 + 0.8 * rnd.nextDouble()) + ", "
                + (0.02 + 0.3 * rnd.nextDouble()) + ", " + (0.02 + 0.3 * rnd.nextDouble());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void largeBatchParsesInASmallHeap(@TempDir Path dir) throws Exception {
        Path f = writeLargeInput(dir);
        long size = Files.size(f);
        assertTrue(size > 20_000_000, "the generated input should be large, is " + size + " bytes");

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path out = dir.resolve("out.json");
        Path err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(java, "-Xmx128m", "-cp", cp, Main.class.getName(), "match", "--backend", "jvm",
                "--input", f.toString())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(50, TimeUnit.SECONDS), "child JVM timed out");
        String stderr = Files.readString(err);
        assertEquals(0, p.exitValue(), "child JVM failed: " + stderr);
        Map<String, Object> o = JsonTree.obj(JsonTree.parse(Files.readString(out)));
        List<Object> matches = JsonTree.arr(o.get("matches"));
        assertEquals(B, matches.size());
        for (Object m : matches) {
            assertEquals(M, JsonTree.arr(JsonTree.obj(m).get("pred")).size());
        }
    }
}

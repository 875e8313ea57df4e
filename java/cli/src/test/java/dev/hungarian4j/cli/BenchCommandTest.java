package dev.hungarian4j.cli;

import dev.hungarian4j.BackendStatus;
import dev.hungarian4j.Backends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bench}: the contract's JSON shape, sizes lists, every backend, the table (no timing assertions). */
class BenchCommandTest {
    private static final List<String> KEYS = List.of("backend", "batch", "queries", "classes", "targets",
            "matcher", "threads", "jdk", "cpu", "median_us", "p90_us");
    private static final List<String> STAGES = List.of("cost", "match", "loss", "total", "total_alloc");

    private static void checkResult(Map<String, Object> o, String backend, int b, int q, int k, int m) {
        assertEquals(KEYS, List.copyOf(o.keySet()));
        assertEquals(backend, o.get("backend"));
        assertEquals(b, JsonTree.num(o.get("batch")));
        assertEquals(q, JsonTree.num(o.get("queries")));
        assertEquals(k, JsonTree.num(o.get("classes")));
        assertEquals(m, JsonTree.num(o.get("targets")));
        assertEquals("exact", o.get("matcher"));
        double threads = JsonTree.num(o.get("threads"));
        assertTrue(threads >= 1 && threads <= Runtime.getRuntime().availableProcessors(), "threads " + threads);
        assertTrue(((String) o.get("jdk")).contains(System.getProperty("java.version").split("[.+-]")[0]),
                "jdk " + o.get("jdk"));
        assertTrue(((String) o.get("cpu")).contains("hardware threads"), "cpu " + o.get("cpu"));
        for (String key : List.of("median_us", "p90_us")) {
            Map<String, Object> t = JsonTree.obj(o.get(key));
            assertEquals(STAGES, List.copyOf(t.keySet()), key);
            for (String s : STAGES) {
                double v = JsonTree.num(t.get(s));
                assertTrue(v >= 0 && Double.isFinite(v), key + "." + s + " = " + v);
            }
        }
    }

    @Test
    void jsonIsTheContractObject() {
        CliRun.Result r = CliRun.run("bench", "--batch", "2", "--queries", "10", "--classes", "5", "--targets", "3",
                "--backend", "jvm", "--iterations", "3", "--warmup", "1", "--warmup-time", "0", "--json");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("", r.err(), "no progress line for a single run");
        checkResult(JsonTree.obj(JsonTree.parse(r.out())), "jvm", 2, 10, 5, 3);
    }

    @Test
    void detrFamilySizesAreBenchmarkedAndReported() {
        CliRun.Result r = CliRun.run("bench", "--sizes", "2x12x5x3", "--layers", "3", "--groups", "4", "--focal",
                "--backend", "all", "--iterations", "2", "--warmup", "0", "--warmup-time", "0", "--json");
        assertEquals(0, r.exit(), r::toString);
        Object parsed = JsonTree.parse(r.out());
        List<Object> all = parsed instanceof List ? JsonTree.arr(parsed) : List.of(parsed);
        for (Object o : all) {
            Map<String, Object> m = JsonTree.obj(o);
            assertEquals(3.0, JsonTree.num(m.get("layers")));
            assertEquals(4.0, JsonTree.num(m.get("groups")));
            assertEquals("focal", m.get("loss_class"));
            for (String key : List.of("median_us", "p90_us")) { // the batched call beside L one-layer calls
                Map<String, Object> t = JsonTree.obj(m.get(key));
                List<String> stages = new ArrayList<>(STAGES);
                stages.add("layer_calls");
                stages.add("one_layer");
                assertEquals(stages, List.copyOf(t.keySet()), key);
                for (String stage : List.of("layer_calls", "one_layer")) {
                    double v = JsonTree.num(t.get(stage));
                    assertTrue(v > 0 && Double.isFinite(v), key + "." + stage + " = " + v);
                }
            }
        }
        BadInputTest.assertRejected(CliRun.run("bench", "--queries", "10", "--groups", "3", "--backend", "jvm"),
                "error: --groups is 3; must be >= 1 and divide Q = 10");
        BadInputTest.assertRejected(CliRun.run("bench", "--layers", "0", "--backend", "jvm"),
                "error: --layers is 0; must be >= 1");
    }

    @Test
    void sizesAndAllBackendsGiveAnArray() {
        long available = Backends.statuses().stream().filter(BackendStatus::available).count();
        CliRun.Result r = CliRun.run("bench", "--sizes", "1x6x4x2,2x5x3x7", "--backend", "all", "--iterations", "2",
                "--warmup", "0", "--warmup-time", "0", "--json", "--seed", "7");
        assertEquals(0, r.exit(), r::toString);
        List<Object> a = JsonTree.arr(JsonTree.parse(r.out()));
        assertEquals(2 * available, a.size());
        Map<String, Object> first = JsonTree.obj(a.get(0));
        checkResult(first, (String) first.get("backend"), 1, 6, 4, 2);
        Map<String, Object> last = JsonTree.obj(a.get(a.size() - 1));
        checkResult(last, (String) last.get("backend"), 2, 5, 3, 7);
        assertTrue(r.err().contains("bench: [1/" + 2 * available + "]"), "progress on stderr: " + r);
    }

    @Test
    void tableOfSeveralLayersEndsWithTheRatiosOfTheBatchedCall() {
        CliRun.Result r = CliRun.run("bench", "--sizes", "2x12x5x3", "--layers", "3", "--backend", "jvm",
                "--iterations", "4", "--warmup", "0", "--warmup-time", "0");
        assertEquals(0, r.exit(), r::toString);
        Matcher m = Pattern.compile("(?m)^jvm exact +2x12x5x3 L3: total is ([0-9.]+)x layer_calls \\(the L layers "
                + "as L one-layer calls\\) and ([0-9.]+)x one_layer \\(.*\\)$").matcher(r.out());
        assertTrue(m.find(), r.out());
        for (int g = 1; g <= 2; g++) {
            double ratio = Double.parseDouble(m.group(g));
            assertTrue(ratio > 0 && Double.isFinite(ratio), m.group());
        }
        CliRun.Result one = CliRun.run("bench", "--sizes", "2x12x5x3", "--backend", "jvm", "--iterations", "2",
                "--warmup", "0", "--warmup-time", "0");
        assertEquals(0, one.exit(), one::toString);
        assertFalse(one.out().contains("one_layer"), "one layer: no layer columns, no ratios\n" + one.out());
    }

    @Test
    void threadsIsAppliedToBothCpuBackendsAndReported() {
        int before = Backends.cpuThreads();
        CliRun.Result r = CliRun.run("bench", "--sizes", "1x6x4x2", "--backend", "all", "--iterations", "2",
                "--warmup", "0", "--warmup-time", "1", "--threads", "1", "--json");
        assertEquals(0, r.exit(), r::toString);
        for (Object o : JsonTree.arr(JsonTree.parse(r.out()))) {
            Map<String, Object> m = JsonTree.obj(o);
            if (!"cuda".equals(m.get("backend"))) {
                checkResult(m, (String) m.get("backend"), 1, 6, 4, 2);
                assertEquals(1.0, JsonTree.num(m.get("threads")));
            }
        }
        assertEquals(before, Backends.cpuThreads(), "the cap is restored after the run");
        CliRun.Result bad = CliRun.run("bench", "--threads", "0", "--backend", "jvm");
        assertEquals(2, bad.exit(), bad::toString);
        assertTrue(bad.err().startsWith("error: --threads"), bad.err());
    }

    @Test
    void gapIdlesBeforeEveryTimedRunAndIsReported() {
        int iterations = 4;
        int gapUs = 50_000;
        long t0 = System.nanoTime();
        CliRun.Result r = CliRun.run("bench", "--sizes", "2x10x5x3", "--backend", "auto", "--iterations",
                String.valueOf(iterations), "--warmup", "0", "--warmup-time", "0", "--gap-us", String.valueOf(gapUs),
                "--json");
        long elapsedUs = (System.nanoTime() - t0) / 1_000;
        assertEquals(0, r.exit(), r::toString);
        Map<String, Object> o = JsonTree.obj(JsonTree.parse(r.out()));
        List<String> keys = new ArrayList<>(KEYS);
        keys.add(keys.indexOf("cpu") + 1, "gap_us");
        assertEquals(keys, List.copyOf(o.keySet()));
        assertEquals(gapUs, JsonTree.num(o.get("gap_us")));
        // every timed run of the five stages waited first: the run cannot have taken less (a lower bound only)
        assertTrue(elapsedUs >= (long) STAGES.size() * iterations * gapUs, "took " + elapsedUs + " us");
        CliRun.Result table = CliRun.run("bench", "--sizes", "1x4x2x1", "--backend", "jvm", "--iterations", "1",
                "--warmup", "0", "--warmup-time", "0", "--gap-us", "1");
        assertEquals(0, table.exit(), table::toString);
        assertTrue(table.out().contains("median / p90 of 1 runs, each after 1 us idle"), table.out());
        CliRun.Result plain = CliRun.run("bench", "--sizes", "1x4x2x1", "--backend", "jvm", "--iterations", "1",
                "--warmup", "0", "--warmup-time", "0", "--json");
        assertFalse(plain.out().contains("gap_us"), "no gap, no key: " + plain.out());
        for (String bad : List.of("-1", "1000001")) {
            CliRun.Result e = CliRun.run("bench", "--gap-us", bad, "--backend", "jvm");
            assertEquals(2, e.exit(), e::toString);
            assertEquals("error: --gap-us is " + bad + "; must be in [0, 1000000]\n", e.err());
        }
    }

    @Test
    void tableWithoutJson() {
        CliRun.Result r = CliRun.run("bench", "--sizes", "1x4x2x0", "--backend", "jvm", "--iterations", "1",
                "--warmup", "0", "--warmup-time", "0");
        assertEquals(0, r.exit(), r::toString);
        for (String s : List.of("backend", "cost", "match", "loss", "total", "total_alloc", "threads", "jvm",
                "1x4x2x0")) {
            assertTrue(r.out().contains(s), s + " in " + r);
        }
    }

    @Test
    void plotWritesAPng(@TempDir Path dir) throws IOException {
        Path png = dir.resolve("sub/plot.png");
        Files.createDirectories(png.getParent()); // a missing folder is refused (OutputFailureTest), not created
        CliRun.Result r = CliRun.run("bench", "--sizes", "1x6x4x2,2x8x3x3", "--backend", "all", "--iterations", "2",
                "--warmup", "0", "--warmup-time", "0", "--json", "--plot", png.toString());
        assertEquals(0, r.exit(), r::toString);
        assertTrue(Files.size(png) > 1000, "PNG size " + Files.size(png));
        byte[] head = Arrays.copyOf(Files.readAllBytes(png), 8);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, head);
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img);
        assertTrue(img.getWidth() >= 800 && img.getHeight() >= 500, img.getWidth() + "x" + img.getHeight());
        JsonTree.arr(JsonTree.parse(r.out())); // stdout is still the JSON
    }

    @Test
    void dumpCostsWritesTheTimedProblems(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("costs.bin");
        CliRun.Result r = CliRun.run("bench", "--sizes", "2x5x3x2,1x4x2x0", "--backend", "jvm", "--iterations", "1",
                "--warmup", "0", "--warmup-time", "0", "--dump-costs", f.toString());
        assertEquals(0, r.exit(), r::toString);
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[8];
        in.get(magic);
        assertArrayEquals(CostDump.MAGIC, magic);
        assertEquals(2, in.getInt());
        int[][] sizes = {{2, 5, 3, 2}, {1, 4, 2, 0}};
        for (int[] s : sizes) {
            for (int v : s) {
                assertEquals(v, in.getInt());
            }
            int[] offsets = new int[s[0] + 1];
            for (int i = 0; i < offsets.length; i++) {
                offsets[i] = in.getInt();
            }
            assertEquals(0, offsets[0]);
            for (int i = 0; i < s[1] * offsets[s[0]]; i++) {
                assertTrue(Float.isFinite(in.getFloat()));
            }
            for (int b = 0; b < s[0]; b++) {
                assertTrue(Double.isFinite(in.getDouble()));
            }
        }
        assertEquals(0, in.remaining());
    }
}

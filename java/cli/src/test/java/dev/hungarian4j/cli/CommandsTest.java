package dev.hungarian4j.cli;

import dev.hungarian4j.BackendKind;
import dev.hungarian4j.BackendStatus;
import dev.hungarian4j.Backends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** The subcommands end to end: match, stdin, info, demo, backend requests, help. */
class CommandsTest {
    private static BackendStatus status(BackendKind kind) {
        return Backends.statuses().stream().filter(s -> s.kind() == kind).findFirst().orElseThrow();
    }

    @Test
    void matchPrintsBackendMatchesAndCostsOnly() {
        String name = "detr_b2_defaults";
        CliRun.Result r = CliRun.run("match", "--backend", "jvm", "--input", Vectors.input(name).toString());
        assertEquals(0, r.exit(), r::toString);
        assertEquals("", r.err());
        Map<String, Object> out = JsonTree.obj(JsonTree.parse(r.out()));
        assertEquals(List.of("backend", "matches", "matching_cost"), List.copyOf(out.keySet()));
        assertEquals("jvm", out.get("backend"));
        ReferenceProblem p = ReferenceProblem.from(JsonTree.parse(Vectors.input(name)));
        OutputChecks.Pairs got = OutputChecks.checkMatching(p, out, name);
        Map<String, Object> exp = JsonTree.obj(JsonTree.parse(Vectors.expected(name)));
        OutputChecks.assertSame(OutputChecks.pairs(exp), got, name);
    }

    @Test
    void matchOnAnImageWithoutTargets() {
        String name = "small_q1_m0";
        CliRun.Result r = CliRun.run("match", "--backend", "jvm", "--input", Vectors.input(name).toString());
        assertEquals(0, r.exit(), r::toString);
        Map<String, Object> out = JsonTree.obj(JsonTree.parse(r.out()));
        OutputChecks.checkMatching(ReferenceProblem.from(JsonTree.parse(Vectors.input(name))), out, name);
    }

    @Test
    void stdinGivesTheSameOutputAsTheFile() throws IOException {
        String file = Vectors.input("small_m_gt_q").toString();
        CliRun.Result fromFile = CliRun.run("loss", "--grad", "--backend", "jvm", "--input", file);
        CliRun.Result fromStdin = CliRun.withStdin(Files.readAllBytes(Vectors.input("small_m_gt_q")),
                "loss", "--grad", "--backend", "jvm", "--input", "-");
        assertEquals(0, fromStdin.exit(), fromStdin::toString);
        assertEquals(fromFile.out(), fromStdin.out());
        assertTrue(fromStdin.out().startsWith("{\"backend\":\"jvm\""), fromStdin::toString);
    }

    @Test
    void lossWithoutGradHasNoGradKey() {
        CliRun.Result r = CliRun.run("loss", "--backend", "jvm", "--input", Vectors.input("k1_basic").toString());
        assertEquals(0, r.exit(), r::toString);
        Map<String, Object> out = JsonTree.obj(JsonTree.parse(r.out()));
        assertEquals(List.of("backend", "matches", "matching_cost", "loss", "num_boxes"), List.copyOf(out.keySet()));
        assertEquals(6.0, JsonTree.num(out.get("num_boxes")));
        assertTrue(r.out().contains("\"num_boxes\":6,") || r.out().contains("\"num_boxes\":6}"),
                "num_boxes printed as an integer: " + r.out());
    }

    @Test
    void autoBackendRunsAndNamesTheBackend() {
        CliRun.Result r = CliRun.run("match", "--input", Vectors.input("small_m_eq_q").toString());
        assertEquals(0, r.exit(), r::toString);
        String backend = (String) JsonTree.obj(JsonTree.parse(r.out())).get("backend");
        assertEquals(Backends.select(BackendKind.AUTO).backend().kind().cliName(), backend);
    }

    @Test
    void cudaWithoutAGpuIsAnErrorThatSaysWhy() {
        BackendStatus cuda = status(BackendKind.CUDA);
        assumeFalse(cuda.available(), "a CUDA device is usable here: " + cuda.detail());
        for (String cmd : List.of("match", "loss")) {
            CliRun.Result r = CliRun.run(cmd, "--backend", "cuda", "--input", Vectors.input("small_m_eq_q").toString());
            BadInputTest.assertRejected(r, "error: backend cuda is not available: ");
            assertTrue(r.err().contains(cuda.detail().substring(0, Math.min(20, cuda.detail().length()))), r::toString);
        }
        BadInputTest.assertRejected(CliRun.run("demo", "--backend", "cuda"), "error: backend cuda is not available");
        BadInputTest.assertRejected(CliRun.run("bench", "--backend", "cuda", "--json"), "error: backend cuda is not available");
        BadInputTest.assertRejected(CliRun.run("info", "--backend", "cuda"), "error: backend cuda is not available");
    }

    /** Runs the CLI in a child JVM where the native library counts as missing ({@code -Dh4j.native.disable=true}). */
    private static String[] runWithoutNative(Path dir, String... args) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new java.util.ArrayList<>(List.of(javaBin, "-Dh4j.native.disable=true", "-cp", cp,
                Main.class.getName()));
        cmd.addAll(List.of(args));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "child JVM timed out");
        return new String[] {String.valueOf(p.exitValue()), Files.readString(out), Files.readString(err)};
    }

    @Test
    void unavailableNativeIsAnErrorNeverAFallback(@TempDir Path dir) throws Exception {
        String input = Vectors.input("small_m_eq_q").toString();
        String[] r = runWithoutNative(dir, "loss", "--backend", "native", "--input", input);
        assertEquals("2", r[0], r[2]);
        assertEquals("", r[1]);
        assertTrue(r[2].startsWith("error: backend native is not available: disabled"), r[2]);
        assertEquals(1, r[2].strip().lines().count(), r[2]);

        r = runWithoutNative(dir, "loss", "--input", input); // auto falls back to jvm, and says so in info
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].startsWith("{\"backend\":\"jvm\""), r[1]);
        r = runWithoutNative(dir, "info");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("disabled by -Dh4j.native.disable=true"), r[1]);
    }

    @Test
    void auctionMatcherIsOptimalOrRefusedWithAReason() {
        String name = "detr_b2_defaults";
        CliRun.Result r = CliRun.run("loss", "--backend", "jvm", "--matcher", "auction", "--input",
                Vectors.input(name).toString());
        if (r.exit() == 0) {
            Map<String, Object> out = JsonTree.obj(JsonTree.parse(r.out()));
            OutputChecks.checkMatching(ReferenceProblem.from(JsonTree.parse(Vectors.input(name))), out, name);
            List<Object> report = JsonTree.arr(out.get("matcher_report"));
            assertEquals(2, report.size());
            String outcome = (String) JsonTree.obj(report.get(0)).get("outcome");
            assertTrue(List.of("trivial", "certified", "repaired", "capped_repaired").contains(outcome), outcome);
        } else {
            BadInputTest.assertRejected(r, "error: ");
        }
    }

    @Test
    void infoListsEveryBackendAndWhatAutoPicks() {
        CliRun.Result r = CliRun.run("info");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("", r.err());
        for (String s : List.of("jvm", "native", "cuda", "auto:", "java:", "available")) {
            assertTrue(r.out().contains(s), "info should mention " + s + ": " + r);
        }
        for (BackendStatus s : Backends.statuses()) {
            assertTrue(r.out().contains(s.detail()), "info should give the detail of " + s.kind() + ": " + r);
        }
        assertEquals(0, CliRun.run("info", "--backend", "jvm").exit());
    }

    @Test
    void demoPrintsMatchesLossTermsAndTime() {
        CliRun.Result r = CliRun.run("demo", "--backend", "jvm");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("", r.err());
        for (String s : List.of("backend:  jvm", "matcher:  exact", "image 0:  5 matches", "image 1:  12 matches",
                "loss:", "ce ", "bbox ", "giou ", "total ", "num_boxes: 17", "ms")) {
            assertTrue(r.out().contains(s), "demo should print " + s + ": " + r);
        }
        assertEquals(r.out().replaceAll("time: .*", ""), CliRun.run("demo", "--backend", "jvm").out()
                .replaceAll("time: .*", ""), "demo is deterministic apart from the time");
        assertEquals(0, CliRun.run("demo").exit());
    }

    @Test
    void helpAndVersionExit0() {
        CliRun.Result h = CliRun.run("--help");
        assertEquals(0, h.exit(), h::toString);
        assertTrue(h.out().contains("bench"), h::toString);
        assertTrue(h.out().contains("docs/contract.md"), () -> "--help points at the JSON format: " + h);
        CliRun.Result lh = CliRun.run("loss", "--help");
        assertEquals(0, lh.exit(), lh::toString);
        assertTrue(lh.out().contains("--grad"), lh::toString);
        assertEquals(0, CliRun.run("--version").exit());
        assertFalse(CliRun.run("--version").out().isEmpty());
    }
}

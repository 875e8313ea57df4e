package dev.hungarian4j.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Output that cannot be written is a failure, never a silent success (issue 10 items 9 and 10, and {@code --input -}
 * with standard input closed from item 11).
 */
class OutputFailureTest {
    private static final String INPUT = "{\"pred_logits\": [[[0.1, 2.0, -1.0], [1.0, 0.0, 0.5]]],"
            + " \"pred_boxes\": [[[0.5, 0.5, 0.2, 0.3], [0.4, 0.4, 0.1, 0.1]]],"
            + " \"targets\": [{\"labels\": [1], \"boxes\": [[0.4, 0.5, 0.2, 0.2]]}]}";

    /** A stream whose reader went away: every write fails, as on a closed pipe or a full disk. */
    private static final class BrokenPipe extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            throw new IOException("Broken pipe");
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            throw new IOException("Broken pipe");
        }
    }

    private static String[] errLines(ByteArrayOutputStream err) {
        return err.toString(StandardCharsets.UTF_8).split("\n");
    }

    @Test
    void aFailedWriteOfTheResultExitsOneWithOneErrorLine() {
        for (String[] args : new String[][] {{"match", "--input", "-", "--backend", "jvm"},
                {"loss", "--input", "-", "--grad", "--backend", "native"}, {"info"}}) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int exit;
            try (PrintStream out = new PrintStream(new BrokenPipe(), true, StandardCharsets.UTF_8);
                 PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
                exit = Main.run(args, new ByteArrayInputStream(INPUT.getBytes(StandardCharsets.UTF_8)), out, e);
            }
            assertEquals(1, exit, String.join(" ", args) + ": " + err);
            String[] lines = errLines(err);
            assertEquals(1, lines.length, err.toString(StandardCharsets.UTF_8));
            assertTrue(lines[0].startsWith("error: cannot write standard output"), lines[0]);
        }
    }

    @Test
    void stdoutOnDevFullExitsOne() throws Exception {
        Path devFull = Path.of("/dev/full");
        if (!Files.exists(devFull)) {
            return; // not Linux: the in-process broken pipe above covers the same path
        }
        Path jar = Path.of(System.getProperty("user.dir")).resolve("target").resolve("classes");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path") + java.io.File.pathSeparator + jar,
                "-Dorg.bytedeco.javacpp.cachedir=" + Path.of("target", "javacpp-cache").toAbsolutePath(),
                Main.class.getName(), "match", "--input", "-", "--backend", "jvm");
        pb.redirectOutput(devFull.toFile()); // what a user does with `> /dev/full`
        pb.redirectError(ProcessBuilder.Redirect.PIPE);
        Process p = pb.start();
        p.getOutputStream().write(INPUT.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue(), err);
        assertTrue(err.startsWith("error: cannot write standard output") && err.strip().lines().count() == 1, err);
    }

    @Test
    void closedStandardInputIsOneErrorLine() {
        InputStream closed = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("Stream closed");
            }
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            exit = Main.run(new String[] {"match", "--input", "-", "--backend", "jvm"}, closed, o, e);
        }
        assertEquals(2, exit, err.toString(StandardCharsets.UTF_8)); // like an unreadable --input file
        assertEquals(0, out.size());
        String[] lines = errLines(err);
        assertEquals(1, lines.length, err.toString(StandardCharsets.UTF_8));
        assertTrue(lines[0].startsWith("error: --input") && lines[0].contains("standard input cannot be read"),
                lines[0]);
    }

    @Test
    void plotRefusesAMissingFolderAndANonRegularFile(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("no-such-folder").resolve("p.png");
        CliRun.Result r = CliRun.run("bench", "--sizes", "1x4x2x1", "--backend", "jvm", "--iterations", "1",
                "--warmup", "0", "--warmup-time", "0", "--plot", missing.toString());
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().startsWith("error: --plot"), r.toString());
        assertFalse(Files.exists(missing.getParent()), "the missing folder was created");

        Path fifo = dir.resolve("fifo.png");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        if (mk.waitFor() == 0) {
            r = CliRun.run("bench", "--sizes", "1x4x2x1", "--backend", "jvm", "--iterations", "1", "--warmup", "0", "--warmup-time", "0",
                    "--plot", fifo.toString());
            assertEquals(2, r.exit(), r.toString());
            assertTrue(Files.exists(fifo) && !Files.isRegularFile(fifo), "the FIFO was replaced");
        }
        r = CliRun.run("bench", "--sizes", "1x4x2x1", "--backend", "jvm", "--iterations", "1", "--warmup", "0", "--warmup-time", "0",
                "--plot", dir.toString());
        assertEquals(2, r.exit(), r.toString());
    }

    @Test
    void plotReplacesARegularFileWholeAndLeavesNoTemporaryFile(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("p.png");
        Files.writeString(png, "old");
        CliRun.Result r = CliRun.run("bench", "--sizes", "1x4x2x1", "--backend", "jvm", "--iterations", "1",
                "--warmup", "0", "--warmup-time", "0", "--plot", png.toString());
        assertEquals(0, r.exit(), r.toString());
        byte[] head = Files.readAllBytes(png);
        assertTrue(head.length > 8 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G', "not a PNG");
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "a temporary file was left behind");
        }
    }
}

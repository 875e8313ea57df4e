package dev.hungarian4j.natives;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code System.exit} while native calls run must end the JVM: the pool's threads may be inside a JNI array copy
 * (on JDK 17-21) when the JVM exits, where they stay blocked for good; a pool whose destructor joined its threads at
 * {@code exit()} then hung the process. Runs {@link ExitDuringCallMain} in child JVMs, a few times at different
 * moments, each of which must end within 60 s with status 0.
 */
class ExitDuringCallTest {
    @Test
    void exitWhileTheNativePoolCopiesEndsTheJvm(@TempDir Path dir) throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        for (int millis : new int[] {150, 400, 700}) {
            ProcessBuilder pb = new ProcessBuilder(List.of(java, "--enable-native-access=ALL-UNNAMED",
                    "-Dorg.bytedeco.javacpp.cachedir=" + System.getProperty("org.bytedeco.javacpp.cachedir",
                            System.getProperty("java.io.tmpdir") + File.separator + "h4j-javacpp"),
                    "-cp", System.getProperty("java.class.path"), ExitDuringCallMain.class.getName(),
                    Integer.toString(millis)));
            Path log = dir.resolve("exit-" + millis + ".log");
            pb.redirectErrorStream(true).redirectOutput(log.toFile());
            Process p = pb.start();
            boolean done = p.waitFor(60, TimeUnit.SECONDS);
            if (!done) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertTrue(done, "the JVM did not end within 60 s of System.exit (after " + millis + " ms): " + out);
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains("exiting calls="), out);
        }
    }
}
